"""Build every stale snippet in a process of its own, in parallel, and install its outputs.

Each snippet's process is a harness (harness.py) forked from a fork server (fork_server.py) that
has already imported the heavy libraries.

Outputs of `snippets/<chapter>/<name>.py` go to `<out>/<chapter>/<name>.txt` (its stdout) and
`<out>/<chapter>/<name>-<n>.<light|dark>.<svg|png>` (its figures), and its EXPLORABLE dict, if it
has one, to `<out>/<chapter>/<name>.explorable.json`. A failed snippet changes nothing on disk;
the others still build.
"""

import contextlib
import fnmatch
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from .archive import archive_outputs, restore_archived
from .cache import Manifest, environment_fingerprint, file_hash, snippet_key
from .fork_server import ForkServer
from .outputs import record

DEFAULT_TIMEOUT = 1800  # a guard against hangs; the case study's training takes minutes
HEARTBEAT = 30  # seconds between "still running" lines during long snippets
FILE_INPUTS = ("NAMES_PATH",)  # input variables that name a file


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
    for name in FILE_INPUTS:  # a snippet runs in an empty folder: a relative path would miss
        if env.get(name):
            env[name] = os.path.abspath(env[name])
    return env


def run_one(name, snippet, staging, timeout, display, log, server):
    """Run one snippet (forked by `server` as a fresh interpreter) inside an empty working
    directory, as a reader would run it, and fail it if it leaves files there. Lines it writes
    to stderr starting with "progress:" are passed on to `log` as they come."""
    staging.mkdir(parents=True)
    start = time.monotonic()
    stderr_read, stderr_write = os.pipe()
    with tempfile.TemporaryDirectory(prefix="snippet-cwd-") as workdir, \
            open(staging / "stdout.txt", "wb") as stdout, \
            open(stderr_read, errors="replace") as stderr:
        try:
            pid = server.start(snippet, staging, workdir, stdout.fileno(), stderr_write)
        finally:
            os.close(stderr_write)  # the harness holds the only writer: its exit is end-of-file
        lines = []
        reader = threading.Thread(target=_read_stderr, args=(stderr, lines, display, log))
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            reader.join()
            return Result(name, False, time.monotonic() - start, staging,
                          f"{display}: timed out after {timeout} s (killed)")
        runtime = time.monotonic() - start
        left_behind = sorted(os.listdir(workdir))
    errors = "".join(lines).replace(str(snippet), display)
    if not (staging / "run.json").exists():  # the harness writes it last, on success only
        return Result(name, False, runtime, staging,
                      errors.strip() or f"{display}: ended without a result (killed by a signal?)")
    if not (staging / "stdout.txt").read_bytes().strip():
        return Result(name, False, runtime, staging,
                      f"{display}: printed nothing (a snippet prints what it finds)")
    if left_behind:  # a reader's folder would be left with them
        return Result(name, False, runtime, staging, f"{display}: wrote files into its working "
                      f"folder ({', '.join(left_behind)}); a snippet writes no files")
    return Result(name, True, runtime, staging)


def _read_stderr(stderr, lines, display, log):
    for line in stderr:
        lines.append(line)
        if line.startswith("progress:"):
            log(f"    {display}: {line.removeprefix('progress:').strip()}")


def install_outputs(result, key, manifest, out_dir):
    stem = result.name.removesuffix(".py")
    run = json.loads((result.staging / "run.json").read_text())
    figures = run["figures"]
    moves = {"stdout.txt": f"{stem}.txt"}
    if run["explorable"]:
        moves["explorable.json"] = f"{stem}.explorable.json"
    for fig in figures:
        for palette in ("light", "dark"):
            moves[f"{fig['index']}.{palette}.{fig['format']}"] = f"{stem}-{fig['index']}.{palette}.{fig['format']}"
    outputs = {}
    for staged, final in moves.items():
        outputs[final] = file_hash(result.staging / staged)
        (out_dir / final).parent.mkdir(parents=True, exist_ok=True)
        os.replace(result.staging / staged, out_dir / final)  # atomic: old file or new
    entry = {"key": key, "outputs": outputs, "figures": figures,
             "runtime_s": round(result.runtime, 2), "cpu_s": run["cpu_s"]}
    record(result.name, entry, manifest, out_dir)
    archive_outputs(result.name, entry, out_dir)


def remove_deleted(manifest, deleted, out_dir, log):
    for name in deleted:
        for output in manifest.entries.pop(name)["outputs"]:
            (out_dir / output).unlink(missing_ok=True)
        log(f"removed outputs of deleted snippet {name}")
    if deleted:
        manifest.save()


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

    with FileLock(out_dir / ".lock"):  # one build at a time per output folder
        manifest = Manifest(out_dir / "manifest.json")
        selected = [n for n in snippets if matches(n, shown(n), only)]
        stale = {n: manifest.problems(n, keys[n], out_dir) for n in selected}
        stale = {n: why or ["forced"] for n, why in stale.items() if why or force}
        deleted = sorted(set(manifest.entries) - set(snippets))
        if check:
            return report_stale(stale, deleted, len(selected), shown, log)
        if not only:
            remove_deleted(manifest, deleted, out_dir, log)
        if not force:
            stale = {n: why for n, why in stale.items()
                     if not restore(n, keys[n], manifest, out_dir, shown, log)}
        if not stale:
            log(f"snippets up to date ({len(selected)} cached)")
            return 0
        jobs = jobs or os.cpu_count() or 1
        log(f"running {len(stale)} of {len(selected)} snippets on {jobs} processes")
        failures = run_stale(stale, snippets, keys, manifest, out_dir, jobs, timeout, shown, log)
        if failures:
            log(f"{len(failures)} snippet(s) failed; their previous outputs were kept:")
            for result in failures:
                log(f"  {shown(result.name)}")
        return len(failures)


def report_stale(stale, deleted, selected, shown, log):
    """--check: say what is stale; the number of problems."""
    for name, why in stale.items():
        log(f"stale: {shown(name)}: {'; '.join(why)}")
    for name in deleted:
        log(f"stale: {name}: snippet deleted, outputs still present")
    if not stale and not deleted:
        log(f"up to date: {selected} snippets")
    return len(stale) + len(deleted)


def restore(name, key, manifest, out_dir, shown, log):
    if restore_archived(name, key, manifest, out_dir):
        log(f"restored {shown(name)} from the archive of earlier builds")
        return True
    return False


def run_stale(stale, snippets, keys, manifest, out_dir, jobs, timeout, shown, log):
    """Run the stale snippets `jobs` at a time, longest first (by the last recorded runtime, so
    a long snippet does not start last); install each success as it finishes. Returns the
    failed Results."""
    staging_root = out_dir / ".staging"
    shutil.rmtree(staging_root, ignore_errors=True)  # left by an interrupted build
    order = sorted(stale, key=lambda n: -manifest.entries.get(n, {}).get("runtime_s", 0))
    start, failures = time.monotonic(), []
    with ForkServer(child_environment(), [snippets[name] for name in order]) as server, \
            ThreadPoolExecutor(max_workers=jobs) as pool:
        pending = {
            # Named per run: a stray process of an earlier, killed build cannot write here.
            pool.submit(run_one, name, snippets[name], staging_root / f"{os.getpid()}-{i}",
                        timeout, shown(name), log, server): name
            for i, name in enumerate(order)
        }
        while pending:
            finished, _ = wait(pending, timeout=HEARTBEAT, return_when=FIRST_COMPLETED)
            if not finished:
                running = ", ".join(shown(pending[f]) for f in pending if f.running())
                log(f"... still running: {running} ({time.monotonic() - start:.0f}s elapsed)")
            for future in finished:
                del pending[future]
                result = future.result()
                done = len(stale) - len(pending)
                progress = f"[{done}/{len(stale)}] {{}} {shown(result.name)} {result.runtime:.1f}s" \
                           f" ({len(pending)} left, {time.monotonic() - start:.1f}s elapsed)"
                if result.ok:
                    install_outputs(result, keys[result.name], manifest, out_dir)
                    log(progress.format("ok    "))
                else:
                    failures.append(result)
                    log(progress.format("FAILED"))
                    log("    " + result.error.replace("\n", "\n    "))
                shutil.rmtree(result.staging, ignore_errors=True)
    shutil.rmtree(staging_root, ignore_errors=True)
    return failures
