"""Two builds of the site from clean give the same generated files and the same HTML.

Cost decides the design. Regenerating every snippet and executing the notebook takes a few
minutes of both cores, so building twice from clean here would double that for no extra
information: the session's own build (the `built_outputs` and `site_dir` fixtures) is already a
build of the same sources, from an empty cache of its own (conftest), or with its outputs
checked current against their cache keys and content hashes when $SITE_CACHE keeps one. So one
extra build runs from clean (an empty cache), in a temporary copy of the repository's files (what a fresh
clone holds: `git ls-files`, read-only, plus files not yet committed and not ignored), and its
outputs and HTML are compared byte for byte with the session's. tests/test_runner.py separately checks two clean runner builds on small snippets.

What MkDocs stamps by date, and only that, is left out of the comparison:
- `<lastmod>` in sitemap.xml (the build date of every page; present once site_url is set),
- sitemap.xml.gz, which holds the same dates and, in its gzip header, the build time; it is
  compared decompressed, with the dates removed.
"""

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import OUTPUTS, ROOT, output_files

NOT_SOURCES = {".git", ".venv", "site", "test-artifacts", ".pytest_cache", ".cache",
               "__pycache__", ".lock-venv"}
LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def source_files():
    """The repository's files as a fresh clone (plus uncommitted, non-ignored work) has them."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
        names = [name for name in listing.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # no git, or not a checkout
        names = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()
                 and not NOT_SOURCES & set(p.relative_to(ROOT).parts)]
    return [name for name in names if (ROOT / name).is_file()]  # deleted, not yet committed


def site_files(site):
    """Every file of a built site, with the date stamps named above removed."""
    files = {}
    for path in sorted(Path(site).rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name == "sitemap.xml.gz":
            data = gzip.decompress(data)
        if path.name.startswith("sitemap.xml"):
            data = LASTMOD.sub(b"<lastmod/>", data)
        files[path.relative_to(site).as_posix()] = data
    return files


def manifest_without_runtimes(out):
    """The manifest without the times it records (they vary from run to run)."""
    entries = json.loads((Path(out) / "manifest.json").read_text())["snippets"]
    return {name: {k: v for k, v in entry.items() if k not in ("runtime_s", "cpu_s")}
            for name, entry in entries.items()}


def differences(first, second):
    changed = sorted(name for name in first.keys() & second.keys() if first[name] != second[name])
    return {"only in the session build": sorted(first.keys() - second.keys()),
            "only in the clean build": sorted(second.keys() - first.keys()),
            "different": changed}


def test_a_clean_build_reproduces_the_site(site_dir, built_outputs, tmp_path_factory):
    clean = tmp_path_factory.mktemp("clean-build")
    source = clean / "repository"
    for name in source_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    env = {k: v for k, v in os.environ.items() if k != "SNIPPETS_ONLY"}
    env.update(NO_MKDOCS_2_WARNING="1", SITE_CACHE=str(clean / "cache"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                             "-d", str(clean / "site")],
                            cwd=source, env=env, capture_output=True, text=True, timeout=1800)
    log = "\n".join(line for line in result.stdout.splitlines() if "] ok " not in line)
    assert result.returncode == 0, log[-8000:] + result.stderr[-3000:]

    fresh = clean / "cache" / "outputs"
    assert output_files(fresh), "the clean build generated nothing"
    assert differences(output_files(OUTPUTS), output_files(fresh)) == \
        {"only in the session build": [], "only in the clean build": [], "different": []}
    assert manifest_without_runtimes(OUTPUTS) == manifest_without_runtimes(fresh)

    ours, theirs = site_files(site_dir), site_files(clean / "site")
    found = differences(ours, theirs)
    detail = ""
    if found["different"]:
        name = found["different"][0]
        a, b = ours[name], theirs[name]
        at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
        detail = f"\nfirst difference in {name} at byte {at}:\n{a[at - 80:at + 80]!r}\n{b[at - 80:at + 80]!r}"
    assert found == {"only in the session build": [], "only in the clean build": [],
                     "different": []}, f"{found}{detail}"
