"""Print the dependencies pinned in pyproject.toml, one per line, for `pip install -r`.

The site is not a Python package, so it is never installed itself: only what it needs is.
"""

import tomllib
from pathlib import Path

pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
with pyproject.open("rb") as handle:
    print("\n".join(tomllib.load(handle)["project"]["dependencies"]))
