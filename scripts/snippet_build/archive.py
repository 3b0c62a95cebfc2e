"""The archive of earlier results: `.archive/<key>/` in the output folder holds a copy of the
outputs a snippet produced under that key, so that coming back to an earlier key (an edit
undone, another NAMES_PATH or MAKEMORE_STEPS) restores instead of re-running."""

import json
import os
import shutil

from .cache import file_hash
from .outputs import record, write_atomic

ARCHIVE = ".archive"
KEEP_ARCHIVED = 3  # keys kept per snippet


def archive_outputs(name, entry, out_dir):
    """Copy a snippet's installed outputs to .archive/<key>/; keep its last KEEP_ARCHIVED keys."""
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
        write_atomic(out_dir / output, (folder / output).read_bytes())
    record(name, entry, manifest, out_dir)
    os.utime(folder)  # now the most recently used
    return True
