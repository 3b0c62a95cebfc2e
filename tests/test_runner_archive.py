"""The runner's archive of earlier results: coming back to an earlier key restores, not reruns."""

import json

from conftest import output_files, run_builder
from test_runner import PLOTTING, build, project, write  # noqa: F401 (project: a fixture)


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


def test_input_variables_are_part_of_the_key_only_for_snippets_that_use_them(project, tmp_path):
    snippets, out = project
    write(snippets / "ch/a.py", 'import os\nprint(os.environ.get("MAKEMORE_STEPS", "default"))\n')
    build(project)
    result = run_builder("--snippets", snippets, "--out", out, env={"MAKEMORE_STEPS": "5"})
    assert "running 1 of 3" in result.stdout and "ch/a.py" in result.stdout  # b, c untouched
    assert (out / "ch/a.txt").read_text() == "5\n"
    assert "restored snippets/ch/a.py" in build(project).stdout  # back to the default
    assert (out / "ch/a.txt").read_text() == "default\n"


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
