"""The site in a real browser (headless Debian Chromium): every page of the nav in the light
and the dark palette, served on 127.0.0.1 with nothing else reachable.

Full-page screenshots of every page in both palettes are left in test-artifacts/screenshots/
(ignored by git) for a person to look at after a run; taking them never decides a test.
"""

import json
import re
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import page_screenshot
from page_screenshot import TILE_HEIGHT, ScreenshotWarning, failure_note, save_full_page
from site_browser import (PALETTES, SCREENSHOTS, SCROLL_THROUGH, VIEWPORT,
                          PAGE_FACTS, WAIT_FOR_MATH, Traffic, browsing, nav_pages, run_script,
                          source_math_count)

PAGES = nav_pages()
NOTEBOOKS = [page for page in PAGES if page.is_notebook]
OTHER = {"light": "dark", "dark": "light"}


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page_in_browser(visit, page, palette):
    """Offline, no error, every figure loaded in this palette's variant, every formula drawn,
    every code block copyable."""
    record = visit(page, palette)
    facts, traffic, other = record.facts, record.traffic, OTHER[palette]
    problems = []
    if facts["scheme"] != PALETTES[palette]:
        problems.append(f"palette: data-md-color-scheme is {facts['scheme']!r}, "
                        f"expected {PALETTES[palette]!r}")

    problems += [f"console error: {error}" for error in traffic.console_errors]
    problems += [f"uncaught exception: {error}" for error in traffic.page_errors]
    problems += [f"failed request: {failure}" for failure in traffic.failed]
    problems += [f"request to another host: {url}" for url in traffic.foreign]

    for img in facts["images"]:
        src = img["src"]
        if not img["alt"].strip():
            problems.append(f"image without alt text: {src}")
        if src.endswith(f"#only-{other}"):
            if img["visible"]:
                problems.append(f"the {other} variant is shown in the {palette} palette: {src}")
        elif not (img["complete"] and img["width"] > 0):
            problems.append(f"image did not load (naturalWidth 0): {src}")
        elif "#only-" not in src and "/generated/" in src:
            problems.append(f"figure without a palette variant: {src}")
    light = sorted(i["src"].replace("#only-light", "") for i in facts["images"]
                   if i["src"].endswith("#only-light"))
    dark = sorted(i["src"].replace("#only-dark", "").replace(".dark.", ".light.")
                  for i in facts["images"] if i["src"].endswith("#only-dark"))
    if light != dark:
        problems.append(f"figures without both palette variants: {set(light) ^ set(dark)}")
    # Lazy loading and display: none together mean the hidden variant costs nothing.
    problems += [f"fetched the hidden {other} variant: {url}" for url in traffic.requests
                 if re.search(rf"\.{other}\.(svg|png)$", urlsplit(url).path)]

    math, expected = facts["math"], source_math_count(page)
    if math["containers"] != expected:
        problems.append(f"math: the source has {expected} formulas, the page shows "
                        f"{math['containers']} typeset")
    if not page.is_notebook and math["arithmatex"] != expected:
        problems.append(f"math: the source has {expected} formulas, the HTML marks "
                        f"{math['arithmatex']} for MathJax")
    for kind, texts in (("not typeset", math["untypeset"]),
                        ("typeset blank (no glyphs, or zero width)", math["blank"])):
        if texts:
            problems.append(f"math {kind}: {len(texts)} formulas, such as {texts[:3]}")
    if math["errors"]:
        problems.append(f"math: {math['errors']} TeX errors (mjx-merror)")

    if facts["copyable"] != facts["code_blocks"]:
        problems.append(f"code: {facts['code_blocks'] - facts['copyable']} of "
                        f"{facts['code_blocks']} code blocks have no copy button")

    assert not problems, f"{record.url} ({palette}):\n  " + "\n  ".join(problems)


def test_screenshots_of_every_page_in_both_palettes(visit):
    """A full-page screenshot of every page and palette, or the reason there is none: taking it
    never decides a test (page_screenshot.py), but it is never lost silently either."""
    for page in PAGES:
        for palette in PALETTES:
            record = visit(page, palette)
            shot = record.screenshot
            assert shot.is_relative_to(SCREENSHOTS), shot
            if record.screenshot_failure:
                assert not shot.exists(), f"{shot}: a picture and a failure note"
                assert failure_note(shot).read_text().strip() == record.screenshot_failure
                continue
            assert shot.is_file() and not failure_note(shot).exists(), shot
            with Image.open(shot) as image:
                width, height = image.size
            assert width == VIEWPORT["width"] and height >= VIEWPORT["height"], (shot, image.size)


# A page 3.5 tiles tall: a sticky header, then a band of colour per tile.
BANDS = ["rgb(200, 0, 0)", "rgb(0, 160, 0)", "rgb(0, 0, 200)", "rgb(200, 160, 0)"]
BANDED_PAGE = (
    "<body style='margin: 0'>"
    "<header style='position: sticky; top: 0; height: 40px; background: rgb(0, 0, 0)'></header>"
    + "".join(f"<div style='height: {TILE_HEIGHT}px; background: {colour}'></div>"
              for colour in BANDS[:3])
    + f"<div style='height: {TILE_HEIGHT // 2}px; background: {BANDS[3]}'></div></body>")


@pytest.fixture
def tab(chromium):
    with browsing(chromium, "light", Traffic()) as context:
        page = context.new_page()
        page.set_content(BANDED_PAGE)
        yield page


def rgb(css):
    return tuple(int(n) for n in re.findall(r"\d+", css))


def test_a_stitched_screenshot_is_the_whole_page_once(tab, tmp_path):
    shot = tmp_path / "page.png"
    assert save_full_page(tab, shot, 1000, run_script) is None
    with Image.open(shot) as image:
        image = image.convert("RGB")
    height = 40 + 3 * TILE_HEIGHT + TILE_HEIGHT // 2
    assert image.size == (1000, height)
    assert image.getpixel((500, 20)) == (0, 0, 0)  # the header, at the top only
    for i, colour in enumerate(BANDS):  # each band where it belongs, across every seam
        for y in (40 + i * TILE_HEIGHT + 30, min(40 + (i + 1) * TILE_HEIGHT, height) - 30):
            assert image.getpixel((500, y)) == rgb(colour), (i, y)


def test_a_capture_that_fails_is_retried(tab, tmp_path):
    capture, calls = tab.screenshot, []

    def flaky(**options):
        calls.append(options)
        if len(calls) == 2:
            raise PlaywrightTimeout("Timeout 10000ms exceeded.")
        return capture(**options)

    tab.screenshot = flaky
    assert save_full_page(tab, tmp_path / "page.png", 1000, run_script) is None
    assert len(calls) == 5  # four tiles, one of them twice
    assert (tmp_path / "page.png").is_file()


def test_a_capture_that_never_comes_is_recorded_not_raised(tab, tmp_path, monkeypatch):
    """Every capture stalls until its time-out: the screenshot gives up within its budget,
    writes why, warns, and raises nothing."""
    monkeypatch.setattr(page_screenshot, "BUDGET", 3.0)
    monkeypatch.setattr(page_screenshot, "CAPTURE_TIMEOUT", 1.0)

    def stalled(timeout, **options):
        time.sleep(timeout / 1000)
        raise PlaywrightTimeout(f"Timeout {timeout:.0f}ms exceeded.")

    tab.screenshot = stalled
    shot = tmp_path / "page.png"
    shot.write_bytes(b"an older picture")  # never left in place as if it were this page's
    start = time.monotonic()
    with pytest.warns(ScreenshotWarning, match="capture at y=0 failed"):
        reason = save_full_page(tab, shot, 1000, run_script)
    assert time.monotonic() - start < 3.0 + 5  # the budget, and time to lay the page out
    assert "Timeout 1000ms exceeded" in reason
    assert not shot.exists() and failure_note(shot).read_text().strip() == reason


def copy_controls(tab):
    """Marks every copy control of the page with data-test-copy=<i>; returns, per control, the
    text it should copy."""
    return run_script(tab, """() => [...document.querySelectorAll(
            "[data-clipboard-target], clipboard-copy[for]")].map((control, i) => {
        control.setAttribute("data-test-copy", i);
        const target = control.matches("[data-clipboard-target]")
            ? document.querySelector(control.getAttribute("data-clipboard-target"))
            : document.getElementById(control.getAttribute("for"));
        return target ? (target.value ?? target.textContent) : null;
    })""")


# Select the content tab (pymdownx.tabbed) that holds copy control i, as a reader would.
SHOW_TAB = """i => {
    const control = document.querySelector(`[data-test-copy="${i}"]`);
    for (let block = control.closest(".tabbed-block"); block;
         block = block.parentElement.closest(".tabbed-block")) {
        const index = [...block.parentElement.children].indexOf(block);
        const set = block.closest(".tabbed-set");
        set.querySelectorAll(":scope > .tabbed-labels > label")[index].click();
    }
    control.scrollIntoView({block: "center"});
}"""


def test_copy_buttons_copy_their_code_block(chromium, site_url):
    """Click every copy button of every page and read the clipboard back."""
    traffic, copied, problems = Traffic(), 0, []
    with browsing(chromium, "light", traffic) as context:
        context.grant_permissions(["clipboard-read", "clipboard-write"],
                                  origin=site_url.rstrip("/"))
        tab = context.new_page()
        for page in PAGES:
            tab.goto(site_url + page.path)
            run_script(tab, SCROLL_THROUGH)  # Material adds the buttons as blocks come into view
            for i, expected in enumerate(copy_controls(tab)):
                where = f"{page.path or 'home'} copy button {i}"
                if not expected or not expected.strip():
                    problems.append(f"{where}: copies nothing (no target)")
                    continue
                run_script(tab, SHOW_TAB, i)  # a block in a tab not selected: select its tab
                run_script(tab, "() => navigator.clipboard.writeText('')")
                tab.click(f'[data-test-copy="{i}"]')
                tab.wait_for_function("() => navigator.clipboard.readText().then(t => t !== '')",
                                      timeout=5_000, polling=100)
                text = run_script(tab, "() => navigator.clipboard.readText()")
                if text.rstrip() != expected.rstrip():
                    problems.append(f"{where}: clipboard holds {text[:80]!r}..., "
                                    f"the block shows {expected[:80]!r}...")
                copied += 1
            tab.wait_for_load_state("networkidle")  # leaving a page cancels what it still loads
    assert copied >= 20, f"only {copied} copy buttons found: has the layout changed?"
    problems += traffic.problems()
    assert not problems, "\n".join(problems)


# query -> the page it is about. Case-study pages may discuss the same topics, so the check is
# that the right chapter outranks every other chapter and is among the first three pages.
SEARCHES = {
    "Kaiming": "weight-init/",
    "running mean": "batchnorm/",
    "saturation": "tanh-saturation/",
}


def test_search_finds_the_right_chapter(chromium, site_url):
    traffic, problems = Traffic(), []
    chapters = {page.path for page in PAGES if not page.is_notebook and page.path}
    with browsing(chromium, "light", traffic) as context:
        tab = context.new_page()
        tab.goto(site_url)
        tab.wait_for_load_state("networkidle")  # the search worker has fetched its index
        tab.keyboard.press("/")  # Material's shortcut to the search box
        box = tab.locator("input[data-md-component=search-query]")
        for query, expected in SEARCHES.items():
            for attempt in range(3):  # a query typed before the worker's index is built is lost
                box.fill("")
                tab.wait_for_selector(".md-search-result__item", state="detached")
                box.press_sequentially(query, delay=20)  # Material searches on key events
                try:
                    tab.wait_for_selector(".md-search-result__item a", timeout=5_000)
                    break
                except PlaywrightTimeout:
                    continue
            hrefs = tab.eval_on_selector_all(".md-search-result__item > a",
                                             "links => links.map(a => a.href)")
            ranked = list(dict.fromkeys(urlsplit(h).path.removeprefix("/") for h in hrefs))
            ranked_chapters = [path for path in ranked if path in chapters]
            if expected not in ranked[:3] or ranked_chapters[:1] != [expected]:
                problems.append(f"{query!r}: expected {expected} first, got {ranked[:5]}")
    problems += traffic.problems()
    assert not problems, "\n".join(problems)


def sitemap_lists_pages(site_dir):
    return "<loc>" in (site_dir / "sitemap.xml").read_text()


def test_following_a_link_renders_the_next_page(chromium, site_url, site_dir):
    """Click from the home page to a chapter through the navigation, as a reader does, and
    check the new page's math and figures (with instant navigation, the page is swapped in
    without a reload and MathJax must typeset it again: javascripts/mathjax-config.js)."""
    target = next(p for p in PAGES if p.path and not p.is_notebook and source_math_count(p))
    traffic = Traffic()
    with browsing(chromium, "dark", traffic) as context:
        tab = context.new_page()
        tab.goto(site_url)
        run_script(tab, WAIT_FOR_MATH)
        tab.wait_for_load_state("networkidle")  # a reader clicks once the page is there
        run_script(tab, "() => { window.__sameDocument = true; }")
        tab.click(f'.md-sidebar--primary a.md-nav__link[href$="/{target.path}"]')
        tab.wait_for_url(f"**/{target.path}")
        try:  # with instant navigation, typesetting starts only once the page is swapped in
            tab.wait_for_function("""() => document.querySelector('.arithmatex') &&
                [...document.querySelectorAll('.arithmatex')].every(el =>
                    el.querySelector('mjx-container'))""", timeout=10_000, polling=100)
        except PlaywrightTimeout:
            pass  # the assertions below say what is missing
        run_script(tab, WAIT_FOR_MATH)
        run_script(tab, SCROLL_THROUGH)
        tab.wait_for_load_state("networkidle")
        instant = run_script(tab, "() => window.__sameDocument === true")
        facts = run_script(tab, PAGE_FACTS)
    math = facts["math"]
    assert math["arithmatex"] == math["containers"] == source_math_count(target), math
    assert not math["untypeset"] and not math["blank"], \
        f"after {'instant' if instant else 'full'} navigation: {math}"
    images = [i for i in facts["images"] if i["visible"]]
    assert images and all(i["complete"] and i["width"] > 0 for i in images), images
    assert all(i["src"].endswith("#only-dark") for i in images if "#only-" in i["src"])
    assert not traffic.problems(), "\n".join(traffic.problems())
    if sitemap_lists_pages(site_dir):
        assert instant, "navigation.instant is on but the click reloaded the page"


def test_instant_navigation_swaps_pages_without_reload(chromium, site_url, site_dir):
    """Material's instant navigation only follows links listed in sitemap.xml, and MkDocs
    writes an empty sitemap while site_url is empty: the feature is then silently off. The
    suite builds with a published address (SITE_URL, tests/conftest.py), as the hosted site is."""
    assert sitemap_lists_pages(site_dir), "sitemap.xml lists no page: is SITE_URL set?"
    target = next(p for p in PAGES if p.path and not p.is_notebook)
    with browsing(chromium, "light", Traffic()) as context:
        tab = context.new_page()
        tab.goto(site_url)
        tab.wait_for_load_state("networkidle")
        run_script(tab, "() => { window.__sameDocument = true; }")
        tab.click(f'.md-sidebar--primary a.md-nav__link[href$="/{target.path}"]')
        tab.wait_for_url(f"**/{target.path}")
        assert run_script(tab, "() => window.__sameDocument === true")


@pytest.mark.parametrize("page", NOTEBOOKS, ids=str)
def test_notebook_page_renders_and_downloads(visit, chromium, site_url, page):
    source = page.source
    notebook = json.loads(source.read_text())
    record = visit(page, "light")
    assert record.facts["notebook_cells"] > 0, f"{record.url}: no notebook cell rendered"
    shown = re.sub(r"\s+", " ", record.facts["text"])
    for cell in notebook["cells"]:
        lines = [line.strip() for line in "".join(cell["source"]).splitlines() if line.strip()]
        if cell["cell_type"] == "code" and lines:
            assert re.sub(r"\s+", " ", lines[0]) in shown, f"code cell not shown: {lines[0]!r}"

    traffic = Traffic()
    with browsing(chromium, "light", traffic, accept_downloads=True) as context:
        tab = context.new_page()
        tab.goto(record.url)
        link = tab.locator('a[download][href$=".ipynb"]').first
        assert link.count(), f"{record.url}: no download link (an <a download> to the .ipynb)"
        assert link.is_visible(), f"{record.url}: the download link is hidden"
        href = link.evaluate("a => a.href")
        response = context.request.get(href)
        assert response.status == 200, f"{href}: HTTP {response.status}"
        assert "nbformat" in json.loads(response.body()), f"{href} is not a notebook"
        with tab.expect_download() as download:
            link.click()
        downloaded = download.value.path().read_bytes()
    assert downloaded == source.read_bytes(), "the download is not the notebook's source"
    assert not traffic.problems(), "\n".join(traffic.problems())


def test_a_script_that_never_settles_fails_instead_of_hanging(chromium):
    with browsing(chromium, "light", Traffic()) as context:
        tab = context.new_page()
        with pytest.raises(Exception, match="still running after 1 s"):
            run_script(tab, "() => new Promise(() => {})", seconds=1)
        assert run_script(tab, "x => x + 1", 41, seconds=1) == 42
