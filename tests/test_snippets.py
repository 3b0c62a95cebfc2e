"""Every snippet is a standalone script that a reader can paste into an empty folder and run."""

import ast
import json
import os
import re
import subprocess
import sys
import time

import pytest

from conftest import GENERATED, ROOT, SNIPPETS, output_files, run_builder

# A snippet should take a few seconds on one CPU thread (issue: under ~10 s); hard limit:
BUDGET_SECONDS = 12

ALL = sorted(p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.rglob("*.py"))
PAGES = sorted((ROOT / "docs").rglob("*.md"))
FIGURE_REF = re.compile(r"\]\(fig:([\w/.-]+)/(\d+)\)")
OUTPUT_REF = re.compile(r'--8<-- "docs/generated/([\w/.-]+)\.txt"')


def declared():
    """What the chapters use of each snippet: its printed output, and which figures."""
    uses = {}
    for page in PAGES:
        text = page.read_text()
        for stem in OUTPUT_REF.findall(text):
            uses.setdefault(f"{stem}.py", {"figures": set()})["stdout"] = True
        for stem, index in FIGURE_REF.findall(text):
            uses.setdefault(f"{stem}.py", {"figures": set()})["figures"].add(int(index))
    return uses


@pytest.mark.parametrize("name", ALL)
def test_snippet_runs_standalone_in_an_empty_folder(name, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(MPLBACKEND="Agg", OMP_NUM_THREADS="1")
    start = time.monotonic()
    result = subprocess.run([sys.executable, str(SNIPPETS / name)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=BUDGET_SECONDS * 3)
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "a snippet prints what it finds"
    assert elapsed < BUDGET_SECONDS, f"{name} took {elapsed:.1f} s"
    assert not list(tmp_path.iterdir()), "a snippet writes no files"


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
    entry = json.loads((GENERATED / "manifest.json").read_text())["snippets"][name]
    uses = declared()[name]
    produced = {fig["index"] for fig in entry["figures"]}
    assert uses["figures"] <= produced, f"chapter uses figures {uses['figures']}, has {produced}"
    assert produced <= uses["figures"], f"figures {produced - uses['figures']} are never shown"
    if uses.get("stdout"):
        assert (built_outputs / f"{name.removesuffix('.py')}.txt").read_text().strip()


def test_real_snippets_rebuild_byte_identical(built_outputs, tmp_path):
    """A second, clean build of every snippet reproduces the site's outputs exactly."""
    result = run_builder("--out", tmp_path, "--force")
    assert result.returncode == 0, result.stdout
    assert runner_outputs(tmp_path) == runner_outputs(built_outputs)


def runner_outputs(out):
    """The runner's outputs under `out`: not the notebook the MkDocs hook also writes there."""
    return {name: data for name, data in output_files(out).items()
            if name.endswith((".txt", ".svg", ".png"))}
