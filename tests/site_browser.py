"""What the browser tests share: the pages in the nav, the built site served on 127.0.0.1 and
headless Chromium (Debian's package, driven by Playwright; both from scripts/local_browser.py,
which `make bench` uses too), and one recorded visit per page and palette.

A visit loads the page with a fresh cache in the given palette (`prefers-color-scheme`, which the
site follows on a first visit), waits for MathJax, opens every `<details>` and scrolls the whole
page through so that every lazy figure loads, then records what the page did (console, network,
images, math, copy buttons) and saves a full-page screenshot under test-artifacts/screenshots/
(page_screenshot.py: it never fails or hangs the visit).
The tests (test_browser.py, test_page_weight.py) only look at these records, so each page is
loaded once per palette however many tests read it.
"""

import contextlib
import functools
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from mkdocs.config import load_config

from local_browser import LOCAL_HOST, VIEWPORT
from page_screenshot import save_full_page
from site_paths import NOTEBOOKS, ROOT

DOCS = ROOT / "docs"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PALETTES = {"light": "default", "dark": "slate"}  # palette -> Material's data-md-color-scheme

# --- the pages -------------------------------------------------------------------------------

@functools.cache
def mkdocs_config():
    """mkdocs.yml as MkDocs reads and validates it."""
    return load_config(str(ROOT / "mkdocs.yml"))


@dataclass(frozen=True)
class NavPage:
    order: int
    title: str
    src: str  # path under docs/, as in the nav

    @property
    def path(self):
        """URL path of the built page, relative to the site root ("" for the home page)."""
        stem = PurePosixPath(self.src).with_suffix("")
        if stem.name in ("index", "README"):
            stem = stem.parent
        return "" if str(stem) == "." else f"{stem.as_posix()}/"

    @property
    def slug(self):
        return f"{self.order:02d}-{self.path.strip('/').replace('/', '-') or 'home'}"

    @property
    def is_notebook(self):
        return self.src.endswith(".ipynb")

    @property
    def source(self):
        """The page's source file: a chapter in docs/, a notebook in the build cache."""
        return (NOTEBOOKS if self.is_notebook else DOCS) / self.src

    def __str__(self):
        return self.slug


def nav_pages():
    """Every page of the nav, in nav order (external links left out)."""
    found = []

    def walk(items):
        for item in items or []:
            title, target = (None, item) if isinstance(item, str) else next(iter(item.items()))
            if isinstance(target, list):
                walk(target)
            elif isinstance(target, str) and not re.match(r"^[a-z]+://", target):
                found.append(NavPage(len(found), title or target, target))

    walk(mkdocs_config()["nav"])
    return found


# --- what a page's source says it should show ------------------------------------------------

FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+).+?\1", re.S)


def _prose(markdown):
    """The Markdown without fenced blocks and inline code (where a `\\(` is not math)."""
    kept, fence = [], None
    for line in markdown.splitlines():
        opener = FENCE_OPEN.match(line)
        if fence:
            if opener and opener[1][0] == fence[0] and len(opener[1]) >= len(fence) \
                    and not line.strip()[len(opener[1]):].strip():
                fence = None
        elif opener:
            fence = opener[1]
        else:
            kept.append(line)
    return INLINE_CODE.sub("", "\n".join(kept))


MATH_BLOCKS = [re.compile(p, re.S) for p in (
    r"\$\$.+?\$\$", r"\\\[.+?\\\]", r"\\\(.+?\\\)",
    r"(?<![\\$])\$(?!\s)(?:\\.|[^\\$\n])+?(?<!\s)\$",  # $...$, as arithmatex's smart dollar
    r"\\begin\{([^}]+)\}.+?\\end\{\1\}",  # an environment outside any other delimiters
)]


def count_math(text):
    """Formulas in Markdown prose, with pymdownx.arithmatex's delimiters (generic mode, the
    defaults): $$ $$, \\[ \\], \\begin{env} \\end{env}, \\( \\) and $ $."""
    count = 0
    for pattern in MATH_BLOCKS:  # each formula found is removed, so none is counted twice
        count += len(pattern.findall(text))
        text = pattern.sub(" ", text)
    return count


def source_math_count(page):
    """How many formulas the page's source holds: in a Markdown chapter, or in the Markdown
    cells of a notebook."""
    source = page.source.read_text()
    if page.is_notebook:
        cells = json.loads(source)["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return count_math(_prose(source))


# --- the server (local_browser.py) -------------------------------------------------------------

def site_file(site_dir, url):
    """The file of site_dir that a URL of the local server returns (None if there is none)."""
    path = unquote(urlsplit(url).path).lstrip("/")
    target = Path(site_dir) / path
    if not path or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


# --- the browser (local_browser.py launches it) -------------------------------------------------

def is_local(url):
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == LOCAL_HOST


@dataclass
class Traffic:
    """Everything a browser context asked for and what went wrong."""
    requests: list = field(default_factory=list)        # every URL requested, in order
    responses: dict = field(default_factory=dict)       # URL -> HTTP status
    failed: list = field(default_factory=list)          # "URL: reason" (status >= 400 too)
    foreign: list = field(default_factory=list)         # requests to a host other than ours
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)     # uncaught exceptions
    closed: bool = False  # set before closing the context, whose in-flight requests then abort

    def problems(self):
        return self.console_errors + self.page_errors + self.failed + \
            [f"request to another host: {url}" for url in self.foreign]


@contextlib.contextmanager
def browsing(browser, palette, traffic, **options):
    """new_context() as a context manager: stops recording, then closes the context."""
    context = new_context(browser, palette, traffic, **options)
    try:
        yield context
    finally:
        traffic.closed = True
        context.close()


def new_context(browser, palette, traffic, **options):
    """A fresh context (empty cache and storage) in `palette` that records its traffic and
    never lets a request leave 127.0.0.1 (it is recorded, then aborted)."""
    context = browser.new_context(color_scheme=palette, viewport=VIEWPORT, **options)

    def guard(route):
        traffic.foreign.append(route.request.url)
        route.abort()

    def recording(handler):
        return lambda event: None if traffic.closed else handler(event)

    context.route(lambda url: not is_local(url), guard)
    context.on("request", recording(lambda request: traffic.requests.append(request.url)))
    context.on("response", recording(lambda response: _response(traffic, response)))
    context.on("requestfailed", recording(lambda request: None if not is_local(request.url) else
               traffic.failed.append(f"{request.url}: {request.failure}")))
    context.on("console", recording(lambda message: traffic.console_errors.append(
        f"{message.text} ({message.location.get('url', '')})") if message.type == "error" else None))
    context.on("weberror", recording(lambda error: traffic.page_errors.append(str(error.error))))
    return context


def _response(traffic, response):
    traffic.responses[response.url] = response.status
    if response.status >= 400:
        traffic.failed.append(f"{response.url}: HTTP {response.status}")


def run_script(tab, script, arg=None, seconds=60):
    """tab.evaluate(script, arg), but failing after `seconds`: Playwright waits for the promise
    a script returns without any time limit, so one that never settles would hang the suite."""
    bounded = f"""async arg => {{
        let timer;
        const limit = new Promise((_, reject) => {{ timer = setTimeout(
            () => reject(new Error("script still running after {seconds} s")), {seconds * 1000}); }});
        try {{ return await Promise.race([({script})(arg), limit]); }}
        finally {{ clearTimeout(timer); }}
    }}"""
    return tab.evaluate(bounded, arg)


WAIT_FOR_MATH = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    await document.fonts.ready;
}"""

# Open every <details>, then scroll down most of a screen at a time so that every lazy image
# comes within the browser's loading distance and every code block into view (Material adds the
# copy buttons to blocks as they appear).
SCROLL_THROUGH = """async () => {
    document.querySelectorAll("details").forEach(d => { d.open = true; });
    // A frame, then a little time; the timer alone if no frame comes (headless Chromium now
    // and then stops delivering frames, and this must not wait forever).
    const pause = () => new Promise(r => {
        requestAnimationFrame(() => setTimeout(r, 10));
        setTimeout(r, 250);
    });
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight * 0.8) {
        scrollTo(0, y);
        await pause();
    }
    scrollTo(0, document.documentElement.scrollHeight);
    await pause();
    // Images of this palette that no scrolling can show (say, in a tab not selected) load eagerly.
    const other = document.body.getAttribute("data-md-color-scheme") === "slate" ? "#only-light" : "#only-dark";
    for (const img of document.images) {
        if (!img.checkVisibility() && !img.getAttribute("src").endsWith(other)) img.loading = "eager";
    }
}"""

ALL_IMAGES_SETTLED = """() => [...document.images].every(img =>
    img.getAttribute("loading") === "lazy" && !img.checkVisibility() || img.complete)"""

PAGE_FACTS = """() => {
    const content = document.querySelector("article.md-content__inner") || document.body;
    const visible = el => el.checkVisibility();
    const arithmatex = [...content.querySelectorAll(".arithmatex")];
    const containers = [...content.querySelectorAll("mjx-container")];
    const blank = containers.filter(c => {
        if (!visible(c)) return false;
        const glyph = c.querySelector("mjx-c");
        const drawn = !glyph || getComputedStyle(glyph, "::before").content !== "none";
        return c.getBoundingClientRect().width < 2 || !drawn;
    });
    // Code: Markdown code blocks (pre > code), and the input of each notebook code cell (the
    // outputs of a notebook cell are not code to copy).
    const blocks = [...content.querySelectorAll("pre > code"),
                    ...content.querySelectorAll(".jp-InputArea pre")];
    const copyable = blocks.filter(block => {
        const pre = block.closest("pre");
        if (pre.id && document.querySelector(`[data-clipboard-target="#${pre.id} > code"]`)) return true;
        const cell = block.closest(".jp-Cell");  // mkdocs-jupyter's own copy control
        return !!(cell && cell.querySelector("clipboard-copy"));
    });
    return {
        scheme: document.body.getAttribute("data-md-color-scheme"),
        title: document.title,
        images: [...document.images].map(img => ({
            src: img.getAttribute("src"), alt: img.getAttribute("alt") || "",
            visible: visible(img), complete: img.complete, width: img.naturalWidth,
        })),
        math: {
            arithmatex: arithmatex.length,
            typeset: arithmatex.filter(el => el.querySelector("mjx-container")).length,
            containers: containers.length,
            errors: content.querySelectorAll("mjx-merror").length,
            blank: blank.map(c => (c.closest(".arithmatex") || c).textContent.slice(0, 60)),
            untypeset: arithmatex.filter(el => !el.querySelector("mjx-container"))
                                 .map(el => el.textContent.slice(0, 60)),
        },
        code_blocks: blocks.length,
        copyable: copyable.length,
        notebook_cells: content.querySelectorAll(".jp-Cell").length,
        text: content.innerText,
        height: document.documentElement.scrollHeight,
    };
}"""


@dataclass
class Visit:
    page: NavPage
    palette: str
    url: str
    traffic: Traffic
    facts: dict
    screenshot: Path
    screenshot_failure: str | None  # why there is no screenshot (it never fails the visit)


class Visitor:
    """Loads each (page, palette) once, on first request, and keeps the record."""

    def __init__(self, browser, base_url, site_dir, screenshots=SCREENSHOTS):
        self.browser, self.base_url, self.site_dir = browser, base_url, Path(site_dir)
        self.screenshots = Path(screenshots)
        shutil.rmtree(self.screenshots, ignore_errors=True)  # no picture of a page since removed
        self.visits = {}

    def __call__(self, page, palette):
        key = (page.src, palette)
        if key not in self.visits:
            self.visits[key] = self._visit(page, palette)
        return self.visits[key]

    def _visit(self, page, palette):
        traffic = Traffic()
        url = self.base_url + page.path
        with browsing(self.browser, palette, traffic) as context:
            tab = context.new_page()
            tab.goto(url, wait_until="load")
            run_script(tab, WAIT_FOR_MATH)
            run_script(tab, SCROLL_THROUGH)
            tab.wait_for_function(ALL_IMAGES_SETTLED, timeout=20_000, polling=100)
            tab.wait_for_load_state("networkidle")
            facts = run_script(tab, PAGE_FACTS)
            shot = self.screenshots / palette / f"{page.slug}.png"
            shot_failure = save_full_page(tab, shot, VIEWPORT["width"], run_script)
        return Visit(page, palette, url, traffic, facts, shot, shot_failure)
