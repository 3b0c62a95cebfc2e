"""nbconvert settings for the notebook page, read by mkdocs-jupyter's nbconvert while the MkDocs
hook points JUPYTER_CONFIG_PATH at this folder.

The kernel sends what a cell prints in pieces, cut wherever its flush timer fires, so the same
cell can show one output block on one build and two on the next. nbconvert's
CoalesceStreamsPreprocessor merges a cell's consecutive text outputs, but its place in the
default list is before execution, where there is nothing to merge yet: move it after.
"""

from nbconvert.exporters import Exporter

COALESCE = "nbconvert.preprocessors.CoalesceStreamsPreprocessor"
EXECUTE = "nbconvert.preprocessors.ExecutePreprocessor"

order = [name for name in Exporter().default_preprocessors if name != COALESCE]
order.insert(order.index(EXECUTE) + 1, COALESCE)

c = get_config()  # noqa: F821 - traitlets provides it when it loads this file
c.HTMLExporter.default_preprocessors = order
c.CoalesceStreamsPreprocessor.enabled = True
