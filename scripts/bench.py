"""Time the site build on this machine: `make bench`.

Runs a cold build (every snippet forced, then `mkdocs build`) and a rebuild with no change,
each exactly as `make build` runs them, and prints each snippet's runtime, both wall times,
the ideal parallel time of the snippets on this machine's cores, and the ratios warm/cold
(target < 0.05) and cold/ideal (target < 1.2). Then, in headless Chromium (Debian's
`chromium`), the explorables' repaint latency, input event to painted frame, per page (target:
within one frame, 16.7 ms).
"""

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from explorable_latency import drive, summary
from site_paths import OUTPUTS, ROOT


def timed(*commands):
    start = time.monotonic()
    for command in commands:
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.monotonic() - start


def main():
    chromium = find_chromium()  # before minutes of building, not after
    snippets = [sys.executable, "scripts/build_snippets.py"]
    with tempfile.TemporaryDirectory() as site:
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", site]
        cold_snippets = timed(snippets + ["--force"])
        cold = cold_snippets + timed(mkdocs)
        warm_snippets = timed(snippets)
        warm = warm_snippets + timed(mkdocs)
        latencies = repaint_latencies(Path(site), chromium)

    manifest = json.loads((OUTPUTS / "manifest.json").read_text())["snippets"]
    runtimes = {name: entry["runtime_s"] for name, entry in sorted(manifest.items())}
    cores = os.cpu_count() or 1
    total = sum(runtimes.values())
    ideal = max(total / cores, max(runtimes.values()))

    width = max(map(len, runtimes))
    print("snippet runtimes (seconds, measured during the cold build):")
    for name, seconds in runtimes.items():
        print(f"  {name:<{width}}  {seconds:6.2f}")
    print(f"sum of snippet runtimes        {total:7.2f} s")
    print(f"ideal parallel time, {cores} cores   {ideal:7.2f} s")
    print(f"cold build (forced + mkdocs)   {cold:7.2f} s  (snippets {cold_snippets:.2f} s)")
    print(f"no-change rebuild              {warm:7.2f} s  (snippets {warm_snippets:.2f} s)")
    print(f"warm/cold                      {warm / cold:7.3f}   (target < 0.05)")
    print(f"cold/ideal                     {cold / ideal:7.3f}   (target < 1.2)")
    print("explorables, per page: input event to painted frame, and the drawing code's share of it"
          "\n(each change shows in the next frame while drawing takes under a frame, 16.7 ms):")
    for page, (measured, drawing) in latencies.items():
        print(f"  {page:<24}  {summary(measured, drawing)}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def find_chromium():
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        sys.exit("make bench times the explorables in Debian's chromium: install it "
                 "(sudo apt-get install -y chromium) or point $CHROMIUM at a Chromium binary")
    return chromium


def repaint_latencies(site, chromium):
    """Page -> (latencies, drawing times) in ms of every control of its explorables, moved
    from the keyboard."""
    from playwright.sync_api import sync_playwright
    pages = sorted(path.parent.relative_to(site).as_posix() + "/"
                   for path in site.rglob("index.html") if 'class="explorable"' in path.read_text())
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        results = {}
        for page in pages:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(base + page, wait_until="load")
            results[page] = drive(tab)
            tab.close()
        browser.close()
    return results


if __name__ == "__main__":
    main()
