"""Build every stale snippet in its own subprocess, in parallel, and install its outputs.

Outputs of `snippets/<chapter>/<name>.py` go to `<out>/<chapter>/<name>.txt` (its stdout) and
`<out>/<chapter>/<name>-<n>.<light|dark>.<svg|png>` (its figures). A failed snippet changes
nothing on disk; the others still build.
"""

import fcntl
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .cache import Manifest, environment_fingerprint, file_hash, snippet_key

HARNESS = Path(__file__).resolve().parent / "harness.py"
DEFAULT_TIMEOUT = 600
HEARTBEAT = 30  # seconds between "still running" lines during long snippets
ARCHIVE = ".archive"  # earlier results, by key, under the output folder
KEEP_ARCHIVED = 3


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


def run_one(name, snippet, staging, timeout, display):
    """Run one snippet in a fresh interpreter inside an empty working directory."""
    staging.mkdir(parents=True)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="snippet-cwd-") as workdir:
        try:
            proc = subprocess.run(
                [sys.executable, str(HARNESS), str(snippet), str(staging)],
                cwd=workdir, env=child_environment(), capture_output=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return Result(name, False, time.monotonic() - start, staging,
                          f"{display}: timed out after {timeout} s (killed)")
    runtime = time.monotonic() - start
    stderr = proc.stderr.decode(errors="replace").replace(str(snippet), display)
    if proc.returncode != 0:
        return Result(name, False, runtime, staging, stderr.strip() or f"{display}: exit status {proc.returncode}")
    if not proc.stdout.strip():
        return Result(name, False, runtime, staging,
                      f"{display}: printed nothing (a snippet prints what it finds)")
    (staging / "stdout.txt").write_bytes(proc.stdout)
    return Result(name, True, runtime, staging)


def replace_if_changed(source, dest):
    """Move source over dest unless dest already holds the same bytes (keeps mtimes, so a
    file watcher sees no change)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and dest.read_bytes() == source.read_bytes():
        return
    os.replace(source, dest)


def record(name, entry, manifest, out_dir):
    """Make `entry` the manifest's record of `name`, removing outputs it no longer has."""
    old = manifest.entries.get(name, {}).get("outputs", {})
    for leftover in set(old) - set(entry["outputs"]):
        (out_dir / leftover).unlink(missing_ok=True)
    manifest.entries[name] = entry
    manifest.save()


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


def archive_outputs(name, entry, out_dir):
    """Keep a copy of a snippet's outputs in .archive/<key>/, so that coming back to an earlier
    key (an edit undone, another NAMES_PATH or MAKEMORE_STEPS) restores instead of re-running.
    The last KEEP_ARCHIVED keys of each snippet are kept."""
    root = out_dir / ARCHIVE
    building = root / f".building-{entry['key']}"
    shutil.rmtree(building, ignore_errors=True)
    for output in entry["outputs"]:
        (building / output).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out_dir / output, building / output)
    (building / "entry.json").write_text(json.dumps({"snippet": name, **entry}))
    final = root / entry["key"]
    shutil.rmtree(final, ignore_errors=True)
    os.replace(building, final)
    mine = [d for d in root.iterdir() if not d.name.startswith(".")
            and json.loads((d / "entry.json").read_text())["snippet"] == name]
    for old in sorted(mine, key=lambda d: d.stat().st_mtime_ns)[:-KEEP_ARCHIVED]:
        shutil.rmtree(old)


def restore_archived(name, key, manifest, out_dir):
    """Bring back the archived outputs of `name` for `key`; False if there are none intact."""
    folder = out_dir / ARCHIVE / key
    try:
        entry = json.loads((folder / "entry.json").read_text())
    except (OSError, ValueError):
        return False
    if entry.pop("snippet") != name or any(
            not (folder / out).is_file() or file_hash(folder / out) != digest
            for out, digest in entry["outputs"].items()):
        return False
    for output in entry["outputs"]:
        copy = (out_dir / output).with_name((out_dir / output).name + ".restoring")
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / output, copy)
        replace_if_changed(copy, out_dir / output)
        copy.unlink(missing_ok=True)
    record(name, entry, manifest, out_dir)
    os.utime(folder)  # now the most recently used
    return True


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
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            pending = {
                pool.submit(run_one, name, snippets[name], staging_root / str(i), timeout, shown(name)): name
                for i, name in enumerate(stale)
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
