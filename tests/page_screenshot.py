"""Full-page screenshots for people to look at after a run, taken so that they can never fail or
hang a test.

A screenshot is stitched from captures of one viewport each (TILE_HEIGHT pixels tall), with
Pillow. Chromium is never asked for a frame taller than that: a capture beyond the viewport, or
of a viewport as tall as the page (25,000 pixels and more), now and then never delivered its
frame here, and Playwright then waited until its time-out. Each capture has a short time-out and
is retried; the whole screenshot has a time budget. If it still fails, the reason is written
next to where the picture would be (<name>.failed.txt) and given as a warning, and the test
carries on: the page's real checks decide it.
"""

import io
import time
import warnings
from pathlib import Path

from PIL import Image

TILE_HEIGHT = 2048       # pixels a capture covers
CAPTURE_TIMEOUT = 10.0   # seconds one capture may take (they take well under one second)
ATTEMPTS = 3             # tries per capture
BUDGET = 60.0            # seconds for the whole screenshot, retries included
SCRIPT_SECONDS = 10      # limit for the page scripts below

# Sticky and fixed elements (Material's header, its sidebars) would be drawn again at the top
# of every capture: lay them out where a page as tall as the window would have them, once, at
# their place in the document. Returns the height to capture.
UNSTICK = """() => {
    for (const el of document.querySelectorAll("*")) {
        const position = getComputedStyle(el).position;
        if (position === "sticky") el.style.setProperty("position", "static", "important");
        if (position === "fixed") el.style.setProperty("position", "absolute", "important");
    }
    return document.documentElement.scrollHeight;
}"""

SCROLL_TO = "y => { scrollTo(0, y); return scrollY; }"  # where the window really went


class ScreenshotWarning(UserWarning):
    """A screenshot could not be taken (the test carries on)."""


def failure_note(path):
    return Path(path).with_suffix(".failed.txt")


def save_full_page(tab, path, width, run_script):
    """Save a full-page screenshot of `tab` (the page `width` pixels wide) as the PNG `path`.
    Never raises: returns None when saved, or the reason it was not (also written to
    failure_note(path) and warned). `run_script(tab, script, arg, seconds)` runs a page script
    with a time limit (site_browser.run_script)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    failure_note(path).unlink(missing_ok=True)
    deadline = time.monotonic() + BUDGET
    try:
        tab.set_viewport_size({"width": width, "height": TILE_HEIGHT})
        height = run_script(tab, UNSTICK, None, SCRIPT_SECONDS)
        page = Image.new("RGB", (width, height), "white")
        for top in range(0, height, TILE_HEIGHT):
            scrolled = run_script(tab, SCROLL_TO, top, SCRIPT_SECONDS)
            tile = Image.open(io.BytesIO(_capture(tab, deadline, where=f"y={top}")))
            page.paste(tile.convert("RGB"), (0, scrolled))
        partial = path.with_suffix(".partial.png")
        page.save(partial, optimize=False)
        partial.replace(path)  # a picture in place is always a whole one
        return None
    except Exception as error:  # noqa: BLE001 - an artifact must not fail the test
        reason = f"no screenshot of {tab.url}: {type(error).__name__}: {error}"
        failure_note(path).write_text(reason + "\n")
        warnings.warn(reason, ScreenshotWarning, stacklevel=2)
        return reason


def _capture(tab, deadline, where):
    """One viewport capture (PNG bytes), retried, within the deadline."""
    errors = []
    for _ in range(ATTEMPTS):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            return tab.screenshot(timeout=1000 * min(CAPTURE_TIMEOUT, left))
        except Exception as error:  # noqa: BLE001 - retried, then reported
            errors.append(str(error).splitlines()[0])
    raise RuntimeError(f"capture at {where} failed {len(errors)} times "
                       f"(budget {BUDGET:.0f} s): {'; '.join(errors) or 'out of time'}")
