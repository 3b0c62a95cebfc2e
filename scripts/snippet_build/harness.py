"""Run one snippet headless and save the figures it leaves open.

    python harness.py SNIPPET OUT_DIR     (the runner forks it from fork_server.py instead)

The snippet runs as `__main__`, exactly as `python SNIPPET` would run it, except that
`plt.show()` does nothing. Its stdout passes through untouched (the parent captures it). Every
figure still open at the end is saved as OUT_DIR/<index>.light.<ext> and <index>.dark.<ext>, a
module-level EXPLORABLE dict as OUT_DIR/explorable.json, and OUT_DIR/run.json lists them, with
the CPU time the snippet took (its own and that of the processes it started and waited for).
On an uncaught exception it prints the snippet's file and line and a traceback that starts at
the snippet, then exits 1.
"""

import ctypes
import json
import os
import resource
import runpy
import signal
import sys
import traceback
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from figure_style import apply_site_style, recolour  # noqa: E402

PR_SET_PDEATHSIG = 1  # prctl option: a signal for this process when its parent dies

# Above this size a figure is stored as PNG instead (dense images make heavy SVG).
MAX_SVG_BYTES = 250_000
SAVE_OPTIONS = {"svg": {"metadata": {"Date": None}}, "png": {"metadata": {"Software": None}}}


def run_snippet(snippet):
    # Mirror `python snippet.py`: argv[0] is the script and the import path starts at its
    # folder, except that the folder is the (empty) working directory, so project files are
    # out of reach.
    sys.argv = [str(snippet)]
    sys.path[0] = os.getcwd()
    plt.show = lambda *args, **kwargs: None
    here = Path(__file__).resolve().parent
    for name, module in list(sys.modules.items()):  # the runner's modules: out of reach too
        if name != "__main__" and Path(getattr(module, "__file__", None) or "/").parent == here:
            del sys.modules[name]
    return runpy.run_path(str(snippet), run_name="__main__")


def report_failure(snippet, error):
    frames = traceback.extract_tb(error.__traceback__)
    start = next((i for i, f in enumerate(frames) if Path(f.filename) == snippet), 0)
    here = [f for f in frames if Path(f.filename) == snippet]
    where = f"line {here[-1].lineno}" if here else "an unknown line"
    print(f"{snippet}: {where}: {type(error).__name__}: {error}", file=sys.stderr)
    print("Traceback (from the snippet on):", file=sys.stderr)
    print("".join(traceback.format_list(frames[start:])), end="", file=sys.stderr)
    print("".join(traceback.format_exception_only(error)), end="", file=sys.stderr)


def save(fig, path_stem, fmt):
    path = path_stem.with_name(f"{path_stem.name}.{fmt}")
    fig.savefig(path, format=fmt, **SAVE_OPTIONS[fmt])
    return path


def save_figures(out_dir):
    figures = []
    for index, number in enumerate(plt.get_fignums(), start=1):
        fig = plt.figure(number)
        light = save(fig, out_dir / f"{index}.light", "svg")
        fmt = "svg"
        if light.stat().st_size > MAX_SVG_BYTES:
            light.unlink()
            fmt = "png"
            save(fig, out_dir / f"{index}.light", fmt)
        recolour(fig, "light", "dark")
        save(fig, out_dir / f"{index}.dark", fmt)
        figures.append({"index": index, "format": fmt})
    return figures


def save_explorable(namespace, out_dir):
    """Save the snippet's EXPLORABLE dict, if it defines one, as OUT_DIR/explorable.json: every
    value the page's explorable can show, computed by the snippet (docs/javascripts/explorable.js
    only looks them up). Returns whether it did."""
    if "EXPLORABLE" not in namespace:
        return False
    data = json.dumps(namespace["EXPLORABLE"], separators=(",", ":"), allow_nan=False)
    (out_dir / "explorable.json").write_text(data)
    return True


def cpu_seconds():
    """CPU time so far, this process's and its finished children's (say, a pool of workers):
    unlike wall time, it does not grow when the machine is busy with other work."""
    return sum(usage.ru_utime + usage.ru_stime for usage in
               (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def die_with_parent():
    """Get SIGKILL when the process that started this one dies (Linux): the fork server, which
    ends when the runner does, so a killed build leaves no snippet running. Elsewhere a snippet
    outlives a killed runner, but writes only into a staging folder that no later build reads."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    # fork_server.py names itself (it is not imported here)
    if str(os.getppid()) != os.environ.get("SNIPPET_PARENT_PID", str(os.getppid())):
        sys.exit(1)  # the parent died before the signal was set


def main():
    die_with_parent()
    snippet, out_dir = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    apply_site_style()
    namespace = {}
    try:
        namespace = run_snippet(snippet)
    except SystemExit as exit_:
        if exit_.code not in (None, 0):  # sys.exit("message") carries its message as the code
            detail = exit_.code if isinstance(exit_.code, str) else f"exited with status {exit_.code}"
            print(f"{snippet}: {detail}", file=sys.stderr)
            sys.exit(1)
    except BaseException as error:  # noqa: BLE001 - report any failure of the snippet
        report_failure(snippet, error)
        sys.exit(1)
    sys.stdout.flush()
    cpu = cpu_seconds()  # the snippet's work, before the site's own figure saving
    figures = save_figures(out_dir)
    explorable = save_explorable(namespace, out_dir)
    (out_dir / "run.json").write_text(
        json.dumps({"figures": figures, "explorable": explorable, "cpu_s": round(cpu, 2)}))


if __name__ == "__main__":
    main()
