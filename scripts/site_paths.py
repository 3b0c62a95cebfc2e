"""Where the build keeps what it generates: one cache folder, outside the authored trees
(docs/ and snippets/), so that nothing the build writes is ever watched or committed.

    <cache>/outputs/    the snippet runner's outputs, manifest, archive and lock
    <cache>/notebooks/  the notebooks written from the snippets, at their paths in the site
    <cache>/mkdocs-jupyter/  mkdocs-jupyter's cache of executed notebooks

The cache is `.cache/` at the repository root (ignored by git, as Material's own plugins keep
theirs), or the folder named by SITE_CACHE (the test suite builds into a temporary one).
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CACHE = Path(os.environ.get("SITE_CACHE") or ROOT / ".cache").resolve()
OUTPUTS = CACHE / "outputs"
NOTEBOOKS = CACHE / "notebooks"
JUPYTER_CACHE = CACHE / "mkdocs-jupyter"

# The folder of the built site that generated files (figures, notebooks) are published under.
SITE_FOLDER = "generated"
