"""The snippet runner's contract, on small throwaway snippets (no torch, so it stays fast)."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import BUILD_SNIPPETS, PLOTTING, ROOT, build, output_files, run_builder, write

def snapshot(out):
    """Every output file's bytes and modification time."""
    return {name: (data, (out / name).stat().st_mtime_ns)
            for name, data in output_files(out).items()}


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
    assert 0 < manifest["ch/a.py"]["cpu_s"] <= manifest["ch/a.py"]["runtime_s"] * 2


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
    ("open('scratch.csv', 'w').write('x')\nprint('wrote')\n",
     "wrote files into its working folder (scratch.csv)"),
    ("import os, signal\nprint('partial', flush=True)\nos.kill(os.getpid(), signal.SIGKILL)\n",
     "ended without a result"),
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


@pytest.mark.parametrize("module", ["figure_style", "harness", "fork_server", "snippet_build"])
def test_snippets_cannot_reach_project_code_or_files(project, module):
    write(project[0] / "ch/a.py", f"import {module}\n")
    write(project[0] / "ch/b.py", "import os\nprint(sorted(os.listdir('.')))\n")
    result = build(project)
    assert f"ModuleNotFoundError: No module named '{module}'" in result.stdout
    assert (project[1] / "ch/b.txt").read_text() == "[]\n"  # runs in an empty folder


def test_each_snippet_starts_like_a_fresh_interpreter(project):
    """Snippets are forked from one server (fork_server.py), yet each has its own unseeded
    generators and can wait for processes of its own, as under `python snippet.py`. (torch,
    named here, makes the server import it ahead, and with it `random`.)"""
    unseeded = "import random\nimport numpy as np\nimport torch\n" \
               "print(random.random())\nprint(np.random.rand())\nprint(torch.rand(1).item())\n"
    write(project[0] / "ch/a.py", unseeded)
    write(project[0] / "ch/b.py", unseeded)
    write(project[0] / "ch/c.py", "import subprocess, sys\n"
          "print(subprocess.run([sys.executable, '-c', 'raise SystemExit(7)']).returncode)\n")
    assert build(project).returncode == 0
    out = project[1]
    python, numpy, seeded = zip((out / "ch/a.txt").read_text().splitlines(),
                                (out / "ch/b.txt").read_text().splitlines())
    assert python[0] != python[1] and numpy[0] != numpy[1]
    assert seeded[0] == seeded[1]  # torch seeds its generator with a constant at import
    assert (out / "ch/c.txt").read_text() == "7\n"


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


# --- an interrupted build ----------------------------------------------------------------------


# Blocks until the gate file exists (at most a minute, so a stray copy cannot outlive the test).
GATED = textwrap.dedent("""\
    import os
    import time
    import matplotlib.pyplot as plt
    deadline = time.monotonic() + 60
    while not os.path.exists({gate!r}) and time.monotonic() < deadline:
        time.sleep(0.05)
    print("value", {value})
    plt.plot([0, {value}])
    plt.show()
""")


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def group_members(pgid):
    """Processes still alive in a process group (read from /proc)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def test_killed_build_leaves_nothing_half_written_and_the_next_build_recovers(project, tmp_path):
    """SIGKILL the runner (no handler runs) while two snippets are mid-way and three are
    installed: the output folder shows only complete, recorded outputs, and a plain build then
    finishes the job, without `make clean`."""
    snippets, out = project
    gate = tmp_path / "gate"
    for name, value in (("slow1", 4), ("slow2", 5)):
        write(snippets / "ch" / f"{name}.py", GATED.format(gate=str(gate), value=value))
    log = (tmp_path / "killed.log").open("w")
    runner = subprocess.Popen([sys.executable, str(BUILD_SNIPPETS), "--snippets", snippets,
                               "--out", out, "--jobs", "2"], cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        manifest = out / "manifest.json"
        # a, b and c are installed, and both slow snippets are running (their staging exists)
        wait_until(lambda: manifest.exists() and len(json.loads(manifest.read_text())["snippets"]) == 3
                   and len(list((out / ".staging").glob("*"))) == 2, 120, "a, b and c to finish")
        before = snapshot(out)
        os.kill(runner.pid, signal.SIGKILL)
        runner.wait(10)
    finally:
        # The snippet processes die with the runner (test_killed_build_leaves_no_snippet_running
        # checks it); should one survive, end it here so the rest of the test is deterministic.
        os.killpg(runner.pid, signal.SIGKILL) if group_members(runner.pid) else None
        log.close()
    assert "running 5 of 5 snippets" in (tmp_path / "killed.log").read_text()

    entries = json.loads(manifest.read_text())["snippets"]  # complete JSON, not torn
    assert set(entries) == {"ch/a.py", "ch/b.py", "ch/c.py"}
    recorded = {}
    for entry in entries.values():
        recorded.update(entry["outputs"])
    for name, digest in recorded.items():  # every recorded output whole, as recorded
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    visible = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
               and not any(part.startswith(".") for part in p.relative_to(out).parts)}
    assert visible == set(recorded) | {"manifest.json"}, "unrecorded or half-written files are visible"
    assert snapshot(out) == before

    check = build(project, "--check")
    assert check.returncode == 1
    assert "stale: snippets/ch/slow1.py: never built" in check.stdout
    assert "stale: snippets/ch/slow2.py: never built" in check.stdout
    assert "ch/a.py" not in check.stdout

    gate.touch()
    result = build(project)
    assert result.returncode == 0, result.stdout
    assert "running 2 of 5 snippets" in result.stdout
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k in before} == before  # finished work kept as is
    assert after["ch/slow1.txt"][0] == b"value 4\n" and "ch/slow2-1.dark.svg" in after
    assert not (out / ".staging").exists()
    assert build(project, "--check").returncode == 0


def test_killed_build_leaves_no_snippet_running(project, tmp_path):
    """A snippet's process dies with the runner: its time-out lived in the runner, so a
    survivor could run forever."""
    snippets, out = project
    write(snippets / "ch" / "a.py", GATED.format(gate=str(tmp_path / "never"), value=1))
    runner = subprocess.Popen([sys.executable, str(BUILD_SNIPPETS), "--snippets", snippets,
                               "--out", out, "--only", "snippets/ch/a.py"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until(lambda: len(list((out / ".staging").glob("*"))) == 1, 60, "a to start")
        time.sleep(0.5)  # the harness is running the snippet
        os.kill(runner.pid, signal.SIGKILL)
        runner.wait(10)
        time.sleep(0.5)
        left = group_members(runner.pid)
    finally:
        os.killpg(runner.pid, signal.SIGKILL) if group_members(runner.pid) else None
    assert not left, f"still running after the runner was killed: {left}"
