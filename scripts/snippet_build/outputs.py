"""Writing results into the output folder without ever leaving it half-updated."""

import os


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
