"""Every snippet is a standalone script that a reader can paste into an empty folder and run.
(Two clean builds giving the same outputs: tests/test_reproducible.py.)"""

import ast
import json
import re

import pytest

from conftest import OUTPUTS, ROOT, SNIPPETS

# A snippet takes a few seconds on one CPU thread; the limit is on CPU time, which (unlike wall
# time) does not grow when the machine is busy with other work.
BUDGET_CPU_SECONDS = 12

ALL = sorted(p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.rglob("*.py"))
PAGES = sorted((ROOT / "docs").rglob("*.md"))
FIGURE_REF = re.compile(r"\]\((fig|explore):([\w/.-]+)/(\d+)\)")
OUTPUT_REF = re.compile(r'--8<-- "outputs/([\w/.-]+)\.txt"')


def declared():
    """What the chapters use of each snippet: its printed output, which figures, and whether
    as an explorable."""
    uses = {}
    for page in PAGES:
        text = page.read_text()
        for stem in OUTPUT_REF.findall(text):
            uses.setdefault(f"{stem}.py", {"figures": set()})["stdout"] = True
        for kind, stem, index in FIGURE_REF.findall(text):
            use = uses.setdefault(f"{stem}.py", {"figures": set()})
            use["figures"].add(int(index))
            use["explorable"] = use.get("explorable", False) or kind == "explore"
    return uses


@pytest.mark.parametrize("name", ALL)
def test_snippet_runs_standalone_within_its_budget(name, built_outputs):
    """The build ran every snippet as a reader would, alone in an empty folder with nothing of
    the project importable, and fails one that errs, prints nothing or leaves a file behind
    (tests/test_runner.py); here, the CPU time it took is within the budget."""
    entry = json.loads((built_outputs / "manifest.json").read_text())["snippets"][name]
    assert entry["cpu_s"] < BUDGET_CPU_SECONDS, f"{name} took {entry['cpu_s']:.1f} s of CPU"


@pytest.mark.parametrize("name", ALL)
def test_snippet_is_self_contained(name):
    source = (SNIPPETS / name).read_text()
    tree = ast.parse(source)
    modules = {alias.name.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    assert modules <= {"math", "random", "torch", "numpy", "matplotlib", "itertools",
                       "collections", "dataclasses", "statistics", "functools", "os", "sys",
                       "pathlib", "importlib", "multiprocessing", "pyarrow"}, modules
    assert "snippets/" not in source and "docs/" not in source, "no project paths"
    if "plt." in source:
        assert source.rstrip().endswith("plt.show()"), "figures end with plt.show()"


def test_every_snippet_is_used_by_a_chapter():
    assert set(declared()) == set(ALL)


@pytest.mark.parametrize("name", sorted(declared()))
def test_snippet_produces_what_its_chapter_uses(name, built_outputs):
    entry = json.loads((OUTPUTS / "manifest.json").read_text())["snippets"][name]
    uses = declared()[name]
    produced = {fig["index"] for fig in entry["figures"]}
    assert uses["figures"] <= produced, f"chapter uses figures {uses['figures']}, has {produced}"
    assert produced <= uses["figures"], f"figures {produced - uses['figures']} are never shown"
    if uses.get("stdout"):
        assert (built_outputs / f"{name.removesuffix('.py')}.txt").read_text().strip()
    has_data = f"{name.removesuffix('.py')}.explorable.json" in entry["outputs"]
    assert has_data == uses.get("explorable", False), \
        "an explorable without EXPLORABLE data" if not has_data else \
        "EXPLORABLE data that no explore: reference shows"
