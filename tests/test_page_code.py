"""Every block a page labels as Python runs when a reader copies it from the built HTML into an
empty file, alone. Blocks that are a whole snippet file are run by tests/test_snippets.py; here
we check that the page shows exactly that file, and run every other block."""

import subprocess
import sys

import pytest

from conftest import SNIPPETS, reader_environment
from site_html import pages, python_blocks


def page_blocks(site_dir):
    return [(path.relative_to(site_dir).as_posix(), code)
            for path, page in pages(site_dir) for code in python_blocks(page)]


def test_pages_show_python(site_dir):
    assert page_blocks(site_dir), "no Python blocks found: has the HTML layout changed?"


def test_every_python_block_runs_alone(site_dir, tmp_path):
    snippet_sources = {p.read_text().strip() for p in SNIPPETS.rglob("*.py")}
    failures = []
    for number, (page, code) in enumerate(page_blocks(site_dir)):
        if code.strip() in snippet_sources:
            continue  # a whole snippet file, run by test_snippets.py
        folder = tmp_path / str(number)
        folder.mkdir()
        (folder / "pasted.py").write_text(code)
        result = subprocess.run([sys.executable, "pasted.py"], cwd=folder, env=reader_environment(),
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            failures.append(f"{page}:\n{code}\n{result.stderr[-800:]}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("snippet", sorted(p.relative_to(SNIPPETS).as_posix()
                                           for p in SNIPPETS.rglob("*.py")))
def test_snippet_pages_show_the_whole_file(site_dir, snippet):
    shown = {code.strip() for _, code in page_blocks(site_dir)}
    assert (SNIPPETS / snippet).read_text().strip() in shown, f"{snippet} is not shown whole"
