"""The snippet runner's contract, on small throwaway snippets (no torch, so it stays fast)."""

import json
import textwrap

import pytest

from conftest import output_files, run_builder

PLOTTING = textwrap.dedent("""\
    import matplotlib.pyplot as plt
    print("value", {value})
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0, {value}, 0], color="black", label="line")
    ax.set_title("title")
    ax.legend()
    plt.show()
""")


@pytest.fixture
def project(tmp_path):
    """A snippets folder with three good snippets, and an empty output folder."""
    snippets, out = tmp_path / "snippets", tmp_path / "generated"
    (snippets / "ch").mkdir(parents=True)
    for name, value in (("a", 1), ("b", 2), ("c", 3)):
        write(snippets / "ch" / f"{name}.py", PLOTTING.format(value=value))
    return snippets, out


def write(path, source):
    path.write_text(source)


def build(project, *args):
    snippets, out = project
    return run_builder("--snippets", snippets, "--out", out, *args)


def snapshot(out):
    """Every output file's bytes and modification time."""
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")
            and p.name != "manifest.json"}


def test_first_build_writes_text_and_both_figure_variants(project):
    result = build(project)
    assert result.returncode == 0, result.stdout
    out = project[1]
    assert (out / "ch/a.txt").read_text() == "value 1\n"
    light, dark = (out / "ch/a-1.light.svg").read_text(), (out / "ch/a-1.dark.svg").read_text()
    # ink is dark grey in the light variant and light grey in the dark one
    assert "#222222" in light and "#222222" not in dark and "#d5d8e2" in dark
    manifest = json.loads((out / "manifest.json").read_text())["snippets"]
    assert set(manifest) == {"ch/a.py", "ch/b.py", "ch/c.py"}
    assert manifest["ch/a.py"]["figures"] == [{"index": 1, "format": "svg"}]


def test_second_run_with_no_change_executes_nothing(project):
    build(project)
    before = snapshot(project[1])
    result = build(project)
    assert result.returncode == 0
    assert "up to date (3 cached)" in result.stdout
    assert "running" not in result.stdout
    assert snapshot(project[1]) == before


def test_changing_one_snippet_reruns_only_that_one(project):
    build(project)
    write(project[0] / "ch/b.py", PLOTTING.format(value=20))
    before = snapshot(project[1])
    result = build(project)
    assert result.returncode == 0
    assert "running 1 of 3 snippets" in result.stdout
    assert "snippets/ch/b.py" in result.stdout and "ch/a.py" not in result.stdout
    after = snapshot(project[1])
    assert after["ch/b.txt"][0] == b"value 20\n"
    assert {k: v for k, v in after.items() if "/b" not in k} == \
           {k: v for k, v in before.items() if "/b" not in k}


def test_failing_snippet_names_file_and_line_and_keeps_previous_outputs(project):
    build(project)
    before = snapshot(project[1])
    write(project[0] / "ch/a.py", 'print("start")\nx = 1\ny = x / 0\n')
    write(project[0] / "ch/c.py", PLOTTING.format(value=30))
    result = build(project)
    assert result.returncode == 1
    assert "snippets/ch/a.py: line 3: ZeroDivisionError" in result.stdout
    assert "y = x / 0" in result.stdout  # the traceback shows the failing line
    after = snapshot(project[1])
    for name in ("ch/a.txt", "ch/a-1.light.svg", "ch/a-1.dark.svg"):
        assert after[name] == before[name]  # same bytes, never rewritten
    assert after["ch/c.txt"][0] == b"value 30\n"  # the others still built
    # the failure is not cached: the next run tries again
    assert build(project).returncode == 1


@pytest.mark.parametrize("source, message", [
    ("import time\ntime.sleep(60)\n", "timed out after 3.0 s"),
    ("x = 1\n", "printed nothing"),
    ("import sys\nprint('partial')\nsys.exit(3)\n", "exited with status 3"),
])
def test_other_faults_fail_clearly(project, source, message):
    build(project)
    before = snapshot(project[1])
    write(project[0] / "ch/a.py", source)
    result = build(project, "--timeout", "3")
    assert result.returncode == 1
    assert message in result.stdout
    assert snapshot(project[1]) == before


def test_check_reports_stale_outputs_without_running_anything(project):
    assert build(project, "--check").returncode == 1  # nothing built yet
    build(project)
    assert build(project, "--check").returncode == 0
    write(project[0] / "ch/a.py", PLOTTING.format(value=9))
    (project[1] / "ch/b-1.dark.svg").write_text("edited by hand")
    before = snapshot(project[1])
    result = build(project, "--check")
    assert result.returncode == 1
    assert "stale: snippets/ch/a.py" in result.stdout
    assert "stale: snippets/ch/b.py: modified ch/b-1.dark.svg" in result.stdout
    assert "ch/c.py" not in result.stdout
    assert snapshot(project[1]) == before


def test_force_and_only(project):
    build(project)
    result = build(project, "--force", "--only", "snippets/ch/c.py")
    assert "running 1 of 1 snippets" in result.stdout and "ch/c.py" in result.stdout


def test_deleted_snippet_outputs_are_removed(project):
    build(project)
    (project[0] / "ch/b.py").unlink()
    assert "snippet deleted" in build(project, "--check").stdout
    result = build(project)
    assert result.returncode == 0 and "removed outputs of deleted snippet ch/b.py" in result.stdout
    assert not list(project[1].glob("ch/b*"))


def test_fewer_figures_removes_the_old_ones(project):
    write(project[0] / "ch/a.py", PLOTTING.format(value=1) + "plt.figure()\nplt.plot([1, 2])\n")
    build(project)
    assert (project[1] / "ch/a-2.dark.svg").exists()
    write(project[0] / "ch/a.py", PLOTTING.format(value=1))
    build(project)
    assert not (project[1] / "ch/a-2.dark.svg").exists()


def test_snippets_cannot_reach_project_code_or_files(project):
    write(project[0] / "ch/a.py", "import figure_style\n")
    write(project[0] / "ch/b.py", "import os\nprint(sorted(os.listdir('.')))\n")
    result = build(project)
    assert "ModuleNotFoundError: No module named 'figure_style'" in result.stdout
    assert (project[1] / "ch/b.txt").read_text() == "[]\n"  # runs in an empty folder


def test_two_clean_builds_are_byte_identical(project, tmp_path):
    snippets, first = project
    second = tmp_path / "second"
    assert build(project).returncode == 0
    assert run_builder("--snippets", snippets, "--out", second).returncode == 0
    assert output_files(first) == output_files(second)


def test_heavy_figures_fall_back_to_png(project):
    write(project[0] / "ch/a.py", textwrap.dedent("""\
        import matplotlib.pyplot as plt
        import numpy as np
        points = np.random.default_rng(0).normal(size=(20000, 2))
        print(len(points))
        plt.scatter(points[:, 0], points[:, 1], s=2)
        plt.show()
    """))
    assert build(project).returncode == 0
    out = project[1]
    manifest = json.loads((out / "manifest.json").read_text())["snippets"]
    assert manifest["ch/a.py"]["figures"] == [{"index": 1, "format": "png"}]
    for palette in ("light", "dark"):
        assert (out / f"ch/a-1.{palette}.png").read_bytes().startswith(b"\x89PNG")
    assert not list(out.glob("ch/a-1.*.svg"))
