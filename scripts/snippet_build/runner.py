"""Build every stale snippet in its own subprocess, in parallel, and install its outputs.

Outputs of `snippets/<chapter>/<name>.py` go to `<out>/<chapter>/<name>.txt` (its stdout) and
`<out>/<chapter>/<name>-<n>.<light|dark>.<svg|png>` (its figures). A failed snippet changes
nothing on disk; the others still build.
"""

import ctypes
import fcntl
import fnmatch
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .archive import archive_outputs, restore_archived
from .cache import Manifest, environment_fingerprint, file_hash, snippet_key
from .outputs import record, replace_if_changed

HARNESS = Path(__file__).resolve().parent / "harness.py"
DEFAULT_TIMEOUT = 1800  # a guard against hangs; the case study's training takes minutes
HEARTBEAT = 30  # seconds between "still running" lines during long snippets
PR_SET_PDEATHSIG = 1  # prctl option: signal the child when its parent dies


@dataclass
class Result:
    name: str
    ok: bool
    runtime: float
    staging: Path
    error: str = ""


def child_environment():
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # project code must not be importable from a snippet
    env.update({
        # One thread per process: parallelism comes from running snippets side by side.
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


def run_one(name, snippet, staging, timeout, display, log):
    """Run one snippet in a fresh interpreter inside an empty working directory. Lines it
    writes to stderr starting with "progress:" are passed on to `log` as they come."""
    staging.mkdir(parents=True)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="snippet-cwd-") as workdir, \
            open(staging / "stdout.txt", "wb") as stdout:
        proc = subprocess.Popen(
            [sys.executable, str(HARNESS), str(snippet), str(staging)],
            cwd=workdir, env=child_environment(), stdout=stdout, stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent,
        )
        stderr = []
        reader = threading.Thread(target=_read_stderr, args=(proc, stderr, display, log))
        reader.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return Result(name, False, time.monotonic() - start, staging,
                          f"{display}: timed out after {timeout} s (killed)")
        finally:
            reader.join()
    runtime = time.monotonic() - start
    errors = "".join(stderr).replace(str(snippet), display)
    if proc.returncode != 0:
        return Result(name, False, runtime, staging, errors.strip() or f"{display}: exit status {proc.returncode}")
    if not (staging / "stdout.txt").read_bytes().strip():
        return Result(name, False, runtime, staging,
                      f"{display}: printed nothing (a snippet prints what it finds)")
    return Result(name, True, runtime, staging)


def _die_with_parent():
    """In the child: get SIGKILL when the runner dies (Linux), so a killed build leaves no
    snippet running. Elsewhere the child outlives a killed runner, but writes only into a
    staging folder no later build reads (see `build`)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _read_stderr(proc, lines, display, log):
    for line in io.TextIOWrapper(proc.stderr, errors="replace"):
        lines.append(line)
        if line.startswith("progress:"):
            log(f"    {display}: {line.removeprefix('progress:').strip()}")


def install_outputs(result, key, manifest, out_dir):
    stem = result.name.removesuffix(".py")
    figures = json.loads((result.staging / "figures.json").read_text())
    moves = {"stdout.txt": f"{stem}.txt"}
    for fig in figures:
        for palette in ("light", "dark"):
            moves[f"{fig['index']}.{palette}.{fig['format']}"] = f"{stem}-{fig['index']}.{palette}.{fig['format']}"
    outputs = {}
    for staged, final in moves.items():
        outputs[final] = file_hash(result.staging / staged)
        replace_if_changed(result.staging / staged, out_dir / final)
    entry = {"key": key, "outputs": outputs, "figures": figures, "runtime_s": round(result.runtime, 2)}
    record(result.name, entry, manifest, out_dir)
    archive_outputs(result.name, entry, out_dir)


def remove_deleted(manifest, names, out_dir, log):
    deleted = sorted(set(manifest.entries) - set(names))
    for name in deleted:
        for output in manifest.entries.pop(name)["outputs"]:
            (out_dir / output).unlink(missing_ok=True)
        log(f"removed outputs of deleted snippet {name}")
    if deleted:  # write only on change: `mkdocs serve` rebuilds on every write under docs/
        manifest.save()


@contextmanager
def exclusive(out_dir):
    """Serialise builds that share an output folder (say `mkdocs serve` and `make snippets`).
    The lock file is opened read-only: a write would make `mkdocs serve` rebuild again."""
    fd = os.open(out_dir / ".lock", os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def discover(snippets_dir):
    return {
        p.relative_to(snippets_dir).as_posix(): p
        for p in sorted(snippets_dir.rglob("*.py")) if "__pycache__" not in p.parts
    }


def matches(name, display, patterns):
    return not patterns or any(fnmatch.fnmatch(n, pat) for pat in patterns for n in (name, display))


def build(snippets_dir, out_dir, *, force=False, only=(), jobs=None, check=False,
          timeout=DEFAULT_TIMEOUT, log=print):
    """Bring out_dir up to date with snippets_dir. Returns the number of problems (0 = good)."""
    snippets_dir, out_dir = Path(snippets_dir).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    shown = lambda name: f"{snippets_dir.name}/{name}"  # noqa: E731 - path as a reader sees it
    snippets = discover(snippets_dir)
    fingerprint = environment_fingerprint()
    keys = {name: snippet_key(path, fingerprint) for name, path in snippets.items()}

    with exclusive(out_dir):
        manifest = Manifest(out_dir / "manifest.json")
        selected = [n for n in snippets if matches(n, shown(n), only)]
        stale = {n: manifest.problems(n, keys[n], out_dir) for n in selected}
        stale = {n: why or ["forced"] for n, why in stale.items() if why or force}
        deleted = sorted(set(manifest.entries) - set(snippets))

        if check:
            for name, why in stale.items():
                log(f"stale: {shown(name)}: {'; '.join(why)}")
            for name in deleted:
                log(f"stale: {name}: snippet deleted, outputs still present")
            if not stale and not deleted:
                log(f"up to date: {len(selected)} snippets")
            return len(stale) + len(deleted)

        if not only:
            remove_deleted(manifest, snippets, out_dir, log)
        staging_root = out_dir / ".staging"
        shutil.rmtree(staging_root, ignore_errors=True)  # left by an interrupted build
        for name in [n for n in stale if not force]:
            if restore_archived(name, keys[name], manifest, out_dir):
                log(f"restored {shown(name)} from the archive of earlier builds")
                del stale[name]
        if not stale:
            log(f"snippets up to date ({len(selected)} cached)")
            return 0

        jobs = jobs or os.cpu_count() or 1
        log(f"running {len(stale)} of {len(selected)} snippets on {jobs} processes")
        start, failures = time.monotonic(), []
        # Longest first (by the last recorded runtime), so a long snippet does not start last.
        order = sorted(stale, key=lambda n: -manifest.entries.get(n, {}).get("runtime_s", 0))
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            pending = {
                # Named per run: a stray process of an earlier, killed build cannot write here.
                pool.submit(run_one, name, snippets[name], staging_root / f"{os.getpid()}-{i}",
                            timeout, shown(name), log): name
                for i, name in enumerate(order)
            }
            done = 0
            while pending:
                finished, _ = wait(pending, timeout=HEARTBEAT, return_when=FIRST_COMPLETED)
                if not finished:
                    running = ", ".join(shown(pending[f]) for f in pending if f.running())
                    log(f"... still running: {running} ({time.monotonic() - start:.0f}s elapsed)")
                for future in finished:
                    del pending[future]
                    done += 1
                    result = future.result()
                    progress = f"[{done}/{len(stale)}] {{}} {shown(result.name)} {result.runtime:.1f}s" \
                               f" ({len(stale) - done} left, {time.monotonic() - start:.1f}s elapsed)"
                    if result.ok:
                        install_outputs(result, keys[result.name], manifest, out_dir)
                        log(progress.format("ok    "))
                    else:
                        failures.append(result)
                        log(progress.format("FAILED"))
                        log("    " + result.error.replace("\n", "\n    "))
                    shutil.rmtree(result.staging, ignore_errors=True)
        shutil.rmtree(staging_root, ignore_errors=True)
        if failures:
            log(f"{len(failures)} snippet(s) failed; their previous outputs were kept:")
            for result in failures:
                log(f"  {shown(result.name)}")
        return len(failures)
