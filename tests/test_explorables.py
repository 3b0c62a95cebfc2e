"""The explorables (docs/javascripts/explorable.js) in a real browser, each in both palettes:
worked from the keyboard, their defaults equal to what their snippet printed, their state in the
URL hash, redrawn with the palette, mounted after instant navigation, the static figure without
JavaScript; and their data within its weight budget.

Screenshots of each explorable at its defaults and after every control moved are left in
test-artifacts/screenshots/<palette>/explorable-<id>-{default,changed}.png.
"""

import gzip
import re
from collections import defaultdict

import pytest

from explorable_latency import controls, drive, press
from site_browser import PALETTES, SCREENSHOTS, Traffic, browsing, nav_pages, run_script

REFERENCE = re.compile(r"\]\(explore:(?P<snippet>[\w/.-]+)/\d+\)")
MAX_GZIPPED = 150_000  # bytes of explorable data per page, gzipped


def explorables():
    """(page, '<chapter>/<snippet>') for every explorable the chapters reference."""
    return [(page, match["snippet"]) for page in nav_pages() if not page.is_notebook
            for match in REFERENCE.finditer(page.source.read_text())]


EXPLORABLES = explorables()
IDS = [snippet.split("/")[-1] for _, snippet in EXPLORABLES]

STATE = """id => {
    const root = document.getElementById(id);
    return {
        charts: root.querySelector(".explorable-charts").innerHTML,
        readouts: [...root.querySelectorAll(".explorable-readouts dt")].map(dt =>
            [dt.textContent, dt.nextElementSibling.textContent]),
        controls: [...root.querySelectorAll("input[type=range], select")].map(i => i.value)
            .concat([...root.querySelectorAll("input[type=radio]:checked")].map(i => i.value)),
        hash: decodeURIComponent(location.hash),
        ink: getComputedStyle(document.body).getPropertyValue("--xp-ink").trim(),
        scheme: document.body.getAttribute("data-md-color-scheme"),
        drawnInk: root.querySelector(".explorable-chart g[fill]").getAttribute("fill"),
    };
}"""

def open_explorable(context, url, element_id):
    tab = context.new_page()
    tab.goto(url, wait_until="load")
    tab.wait_for_selector(f"#{element_id}.explorable--live .explorable-chart", timeout=20_000)
    return tab


def state(tab, element_id):
    return run_script(tab, STATE, element_id)


def step(tab, control):
    """Move one control one step from the keyboard (backwards at the end of its range)."""
    press(tab, control, forward=not control["atEnd"])


class Explorations:
    """Works each explorable once per palette, on first request, and keeps the record: its
    state at the defaults, before and after each control's step, after a palette toggle and
    (in the light palette) in a new tab opened at the URL with its hash, then reloaded."""

    def __init__(self, browser, base_url):
        self.browser, self.base_url, self.records = browser, base_url, {}

    def __call__(self, page, snippet, palette):
        if (snippet, palette) not in self.records:
            self.records[snippet, palette] = self._explore(page, snippet, palette)
        return self.records[snippet, palette]

    def _explore(self, page, snippet, palette):
        element_id = snippet.split("/")[-1]
        shots = SCREENSHOTS / palette
        record, traffic = {"steps": []}, Traffic()
        with browsing(self.browser, palette, traffic) as context:
            tab = open_explorable(context, self.base_url + page.path, element_id)
            tab.locator(f"#{element_id}").screenshot(
                path=shots / f"explorable-{element_id}-default.png")
            record["defaults"] = state(tab, element_id)
            record["controls"] = controls(tab, element_id)
            for control in record["controls"]:
                before = state(tab, element_id)
                step(tab, control)
                record["steps"].append((control["label"], before, state(tab, element_id)))
            tab.locator(f"#{element_id}").screenshot(
                path=shots / f"explorable-{element_id}-changed.png")
            record["changed"] = state(tab, element_id)
            record["latencies"] = run_script(tab, "() => window.explorableLatencies")
            if palette == "light":
                linked = open_explorable(context, tab.url, element_id)
                record["linked"] = state(linked, element_id)
                linked.reload(wait_until="load")
                linked.wait_for_selector(f"#{element_id}.explorable--live .explorable-chart")
                record["reloaded"] = state(linked, element_id)
            tab.click("form[data-md-component=palette] label:visible")
            tab.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') "
                                  f"!== '{record['changed']['scheme']}'")
            record["toggled"] = state(tab, element_id)
        record["problems"] = traffic.problems()
        return record


@pytest.fixture(scope="session")
def explorations(chromium, site_url):
    return Explorations(chromium, site_url)


def test_every_chapter_and_the_case_study_have_an_explorable():
    pages = {page.src for page, _ in EXPLORABLES}
    chapters = {page.src for page in nav_pages() if not page.is_notebook and page.path}
    assert pages == chapters, f"no explorable on: {sorted(chapters - pages)}"


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("page, snippet", EXPLORABLES, ids=IDS)
def test_each_control_works_from_the_keyboard(explorations, page, snippet, palette):
    record = explorations(page, snippet, palette)
    assert not record["problems"], "\n".join(record["problems"])
    assert record["defaults"]["hash"] == "", "the defaults are not written to the hash"
    assert record["steps"], "no controls"
    for label, before, after in record["steps"]:
        assert after["charts"] != before["charts"], f"{label}: figure unchanged"
        assert after["readouts"] != before["readouts"], f"{label}: readouts unchanged"
        assert snippet.split("/")[-1] in after["hash"], f"{label}: state not in the hash"
    # Each change measured its repaint (`make bench` reports the times: on a busy machine they
    # say more about the machine than about the page).
    latencies = record["latencies"]
    assert len(latencies) == len(record["steps"]) and all(0 < ms < 10_000 for ms in latencies)


@pytest.mark.parametrize("page, snippet", EXPLORABLES, ids=IDS)
def test_the_defaults_show_what_the_snippet_printed(explorations, output, page, snippet):
    printed = output(f"{snippet}.txt").splitlines()
    readouts = explorations(page, snippet, "light")["defaults"]["readouts"]
    assert readouts, "no readouts"
    missing = [f"{label}: {text}" for label, text in readouts if f"{label}: {text}" not in printed]
    assert not missing, f"shown at the defaults but not printed by {snippet}.py: {missing}"


@pytest.mark.parametrize("page, snippet", EXPLORABLES, ids=IDS)
def test_a_link_with_the_hash_and_a_reload_show_the_same_setting(explorations, page, snippet):
    record = explorations(page, snippet, "light")
    assert record["changed"]["hash"] and record["changed"] != record["defaults"]
    assert record["linked"] == record["changed"]
    assert record["reloaded"] == record["changed"]


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("page, snippet", EXPLORABLES, ids=IDS)
def test_toggling_the_palette_redraws_in_its_colours(explorations, page, snippet, palette):
    record = explorations(page, snippet, palette)
    before, after = record["changed"], record["toggled"]
    assert before["drawnInk"] == before["ink"]
    assert after["ink"] != before["ink"] and after["drawnInk"] == after["ink"]


def test_explorables_mount_after_instant_navigation(chromium, site_url):
    page, snippet = EXPLORABLES[0]
    element_id = snippet.split("/")[-1]
    with browsing(chromium, "light", Traffic()) as context:
        tab = context.new_page()
        tab.goto(site_url, wait_until="load")
        run_script(tab, "() => { window.__sameDocument = true; }")
        tab.click(f'.md-sidebar--primary a.md-nav__link[href$="/{page.path}"]')
        tab.wait_for_selector(f"#{element_id}.explorable--live .explorable-chart", timeout=20_000)
        assert run_script(tab, "() => window.__sameDocument === true"), "the click reloaded"


def test_without_javascript_the_static_figure_is_shown(chromium, site_url):
    page, snippet = EXPLORABLES[0]
    element_id = snippet.split("/")[-1]
    with browsing(chromium, "light", Traffic(), java_script_enabled=False) as context:
        tab = context.new_page()
        tab.goto(site_url + page.path, wait_until="load")
        figure = tab.locator(f"#{element_id} img[src*='#only-light']")
        assert figure.is_visible()
        assert tab.locator(f"#{element_id} .explorable-live").count() == 0


def test_explorable_data_per_page_is_within_budget(site_dir):
    sizes = defaultdict(int)
    for page, snippet in EXPLORABLES:
        data = (site_dir / "generated" / f"{snippet}.explorable.json").read_bytes()
        sizes[page.src] += len(gzip.compress(data, mtime=0))
    assert sizes and max(sizes.values()) <= MAX_GZIPPED, dict(sizes)


def test_the_latency_driver_moves_every_control(chromium, site_url):
    page, snippet = EXPLORABLES[0]
    with browsing(chromium, "light", Traffic()) as context:
        tab = open_explorable(context, site_url + page.path, snippet.split("/")[-1])
        latencies, draw_times = drive(tab, presses=2)
        moved = controls(tab, snippet.split("/")[-1])
    assert len(latencies) == len(draw_times) >= 2 * len(moved)
    assert all(0 <= drawing < latency for drawing, latency in zip(draw_times, latencies))
