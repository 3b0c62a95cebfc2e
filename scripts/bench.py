"""Time the site build on this machine: `make bench`.

Runs a cold build (every snippet forced, then `mkdocs build`) and a rebuild with no change,
each exactly as `make build` runs them, and prints each snippet's runtime, both wall times,
the ideal parallel time of the snippets on this machine's cores, and the ratios warm/cold
(target < 0.05) and cold/ideal (target < 1.2). Then, in headless Chromium (Debian's
`chromium`), the explorables' repaint latency, input event to painted frame, per page (target:
within one frame, 16.7 ms).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from explorable_latency import drive, summary
from local_browser import VIEWPORT, chromium_executable, launch, serve
from site_paths import OUTPUTS, ROOT


def timed(*commands):
    start = time.monotonic()
    for command in commands:
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.monotonic() - start


def main():
    if not chromium_executable():  # said before minutes of building, not after
        sys.exit("make bench times the explorables in Debian's chromium: install it "
                 "(sudo apt-get install -y chromium) or point $CHROMIUM at a Chromium binary")
    snippets = [sys.executable, "scripts/build_snippets.py"]
    with tempfile.TemporaryDirectory() as site:
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", site]
        cold_snippets = timed(snippets + ["--force"])
        cold = cold_snippets + timed(mkdocs)
        warm_snippets = timed(snippets)
        warm = warm_snippets + timed(mkdocs)
        latencies = repaint_latencies(Path(site))

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


def repaint_latencies(site):
    """Page -> (latencies, drawing times) in ms of every control of its explorables, moved
    from the keyboard."""
    pages = sorted(path.parent.relative_to(site).as_posix() + "/"
                   for path in site.rglob("index.html") if 'class="explorable"' in path.read_text())
    results = {}
    with serve(site) as base, launch() as browser:
        for page in pages:
            tab = browser.new_page(viewport=VIEWPORT)
            tab.goto(base + page, wait_until="load")
            results[page] = drive(tab)
            tab.close()
    return results


if __name__ == "__main__":
    main()
