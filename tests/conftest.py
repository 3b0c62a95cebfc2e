import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

# The case study trains for 200,000 steps per stage in the real build; the suite runs the same
# code briefly (snippets, the runner and the site build all inherit this). FULL_RUN=1 keeps
# the build's own setting and reads the developer's build cache, to check the full-length
# outputs that `make build` left there.
FULL_RUN = os.environ.get("FULL_RUN") == "1"
TEMPORARY_CACHE = None  # the suite's own build cache, removed at the end of the session
if not FULL_RUN:
    os.environ.setdefault("MAKEMORE_STEPS", "200")
    # The suite builds into a cache of its own (site_paths.py), never into the developer's:
    # a temporary folder, or $SITE_CACHE when set (to keep it between runs).
    if not os.environ.get("SITE_CACHE"):
        os.environ["SITE_CACHE"] = TEMPORARY_CACHE = tempfile.mkdtemp(prefix="site-cache-")

# Builds in the suite get a published address, as the hosted build does (the GitHub workflow
# sets SITE_URL): with site_url set, MkDocs lists the pages in sitemap.xml, which Material's
# instant navigation needs. The .invalid domain never resolves, and the browser tests fail on
# any request to a host other than the local server.
PUBLISHED_URL = os.environ["SITE_URL"] = \
    os.environ.get("SITE_URL") or "https://activations.invalid/book/"

# Reads SITE_CACHE, set above; the tests import these paths from here.
from site_paths import OUTPUTS, ROOT, SNIPPETS  # noqa: E402, F401

BUILD_SNIPPETS = ROOT / "scripts" / "build_snippets.py"


def pytest_sessionfinish(session):
    if TEMPORARY_CACHE:
        shutil.rmtree(TEMPORARY_CACHE, ignore_errors=True)


# The five stages of the lecture's MLP, as train_stages.py names them in its table.
STAGES = ["original", "fix softmax confidently wrong", "fix tanh layer too saturated at init",
          "semi-principled kaiming init", "add batch norm layer"]

# The fixtures that build the snippets, the site or start a browser: a test that uses one is
# marked `build`, and `make test-fast` (pytest -m "not build") leaves it out.
BUILD_FIXTURES = {"built_outputs", "site_dir", "site_url", "chromium", "visit"}


def pytest_collection_modifyitems(items):
    for item in items:
        if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)


def reader_environment(**extra):
    """The environment a snippet runs in when a reader runs it: nothing of the project
    importable, no case-study inputs, one torch thread, no display; plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NAMES_PATH")}
    env.update(MPLBACKEND="Agg", OMP_NUM_THREADS="1", **extra)
    return env


def run_builder(*args, timeout=300, env=None):
    """Run the snippet runner's command line, with `env` added to the environment; returns
    the CompletedProcess (text)."""
    return subprocess.run([sys.executable, str(BUILD_SNIPPETS), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def table(text):
    """Rows of an `a | b | c` table printed by a snippet, as lists of stripped cells."""
    return [[cell.strip() for cell in line.split("|")] for line in text.splitlines()
            if line.count("|") >= 2 and not line.startswith("-")]


def percent(cell):
    """'12.5%' -> 0.125"""
    return float(cell.rstrip("%")) / 100


def output_files(out):
    """Every output file's bytes under `out`, leaving out the manifest (it records runtimes)
    and the runner's hidden files and folders (lock, staging, archive)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in Path(out).rglob("*")
            if p.is_file() and p.name != "manifest.json"
            and not any(part.startswith(".") for part in p.relative_to(out).parts)}


# A throwaway project for the runner's tests: no torch, so they stay fast.
PLOTTING = textwrap.dedent("""\
    import matplotlib.pyplot as plt
    print("value", {value})
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0, {value}, 0], color="black", label="line")
    ax.set_title("title")
    ax.legend()
    plt.show()
""")


@pytest.fixture
def project(tmp_path):
    """A snippets folder with three good snippets, and an empty output folder."""
    snippets, out = tmp_path / "snippets", tmp_path / "generated"
    (snippets / "ch").mkdir(parents=True)
    for name, value in (("a", 1), ("b", 2), ("c", 3)):
        write(snippets / "ch" / f"{name}.py", PLOTTING.format(value=value))
    return snippets, out


def write(path, source):
    path.write_text(source)


def build(project, *args):
    snippets, out = project
    return run_builder("--snippets", snippets, "--out", out, *args)


@pytest.fixture(scope="session")
def built_outputs():
    """The site's real snippet outputs, brought up to date: every snippet once in a fresh
    cache (a few minutes on a busy machine), instant in a kept one."""
    result = run_builder(timeout=800)
    assert result.returncode == 0, result.stdout + result.stderr
    return OUTPUTS


@pytest.fixture
def output(built_outputs):
    """output("<chapter>/<name>.txt"): what snippet <chapter>/<name>.py printed in this build."""
    return lambda name: (built_outputs / name).read_text()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, built_outputs):
    """The site built strict into a temporary folder, as `make build` builds it."""
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


# --- browser tests (tests/site_browser.py holds the machinery) ---------------------------------

@pytest.fixture(scope="session")
def site_url(site_dir):
    """The test build of the site, served on 127.0.0.1 (a free port) for the whole session."""
    from local_browser import serve
    with serve(site_dir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (Debian's package) under Playwright, for the whole session."""
    from local_browser import launch
    with launch() as browser:
        yield browser


@pytest.fixture(scope="session")
def visit(chromium, site_url, site_dir):
    """visit(page, palette): the record of that page loaded in that palette (loaded once)."""
    from site_browser import Visitor
    return Visitor(chromium, site_url, site_dir)
