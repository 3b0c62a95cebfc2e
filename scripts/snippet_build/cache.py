"""Content keys and the manifest that records what each snippet produced.

A snippet's key covers everything that can change its outputs: its own bytes, the code of this
package (harness and figure style), the versions of Python and the numeric libraries, and the
environment variables in INPUTS that the snippet mentions (with the bytes of the file a variable
names, if it names one).
"""

import hashlib
import json
import os
import platform
from importlib.metadata import version
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LIBRARIES = ("torch", "numpy", "matplotlib")
# Variables a snippet may read to change what it computes (documented on the pages using them).
INPUTS = ("NAMES_PATH", "MAKEMORE_STEPS")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def file_hash(path):
    return sha256(Path(path).read_bytes())


def environment_fingerprint():
    """Runner code and library versions, shared by every snippet's key."""
    parts = [f"python {platform.python_version()}"]
    parts += [f"{name} {version(name)}" for name in LIBRARIES]
    for source in sorted(PACKAGE_DIR.glob("*.py")):
        parts.append(f"{source.name} {file_hash(source)}")
    return "\n".join(parts)


def snippet_key(snippet, fingerprint):
    source = Path(snippet).read_bytes()
    parts = [fingerprint.encode(), source]
    for name in INPUTS:
        value = os.environ.get(name)
        if value is not None and name.encode() in source:
            parts.append(f"{name}={value}".encode())
            if Path(value).is_file():
                parts.append(Path(value).read_bytes())
    return sha256(b"\n".join(parts))


class Manifest:
    """manifest.json in the output folder: per snippet, its key, outputs (name -> sha256),
    figures and runtime. Written atomically, so an interrupted build never leaves it torn."""

    def __init__(self, path):
        self.path = Path(path)
        self.entries = {}
        if self.path.exists():
            try:
                self.entries = json.loads(self.path.read_text())["snippets"]
            except (ValueError, KeyError):
                self.entries = {}  # unreadable: every snippet counts as stale and is rebuilt

    def save(self):
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"snippets": self.entries}, indent=1, sort_keys=True) + "\n")
        os.replace(tmp, self.path)

    def problems(self, name, key, out_dir):
        """Why the recorded outputs of `name` cannot be reused (empty list: they can)."""
        entry = self.entries.get(name)
        if entry is None:
            return ["never built"]
        if entry["key"] != key:
            return ["snippet, runner or library versions changed"]
        found = []
        for output, digest in entry["outputs"].items():
            path = out_dir / output
            if not path.exists():
                found.append(f"missing {output}")
            elif file_hash(path) != digest:
                found.append(f"modified {output}")
        return found
