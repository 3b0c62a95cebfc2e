"""Writing into the output folder without ever leaving a file or the folder half-updated."""

import os
from pathlib import Path


def write_atomic(path, data):
    """Write `data` (str or bytes) to `path` through a temporary file and a rename: whoever
    reads `path`, even after a build killed midway, sees the old content or the new, whole."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.encode() if isinstance(data, str) else data)
    os.replace(tmp, path)


def record(name, entry, manifest, out_dir):
    """Make `entry` the manifest's record of `name`, removing outputs it no longer has."""
    old = manifest.entries.get(name, {}).get("outputs", {})
    for leftover in set(old) - set(entry["outputs"]):
        (out_dir / leftover).unlink(missing_ok=True)
    manifest.entries[name] = entry
    manifest.save()
