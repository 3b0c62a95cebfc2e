"""Page weight: what a reader's browser downloads for each page, measured in the browser.

Each page is loaded cold (empty cache) and scrolled through, in each palette, by the visits of
site_browser.py; every URL it requested is then weighed as the file the site serves for it.
Two sizes are reported per page:

- raw: the files' bytes;
- transfer: the bytes on the wire from a host that compresses text (HTML, CSS, JavaScript,
  JSON, SVG), as GitHub Pages, Netlify, Cloudflare Pages and nginx with `gzip on` all do;
  estimated with gzip level 6. WOFF fonts and PNG figures are sent as they are.

The budgets (justified in the README, "Page weight budget") are on the transfer size and on the
largest figure; the table is printed and written to test-artifacts/page-weight.txt.
"""

import gzip
from pathlib import PurePosixPath

from site_browser import PALETTES, ROOT, nav_pages, site_file

PAGES = nav_pages()
REPORT = ROOT / "test-artifacts" / "page-weight.txt"

TRANSFER_BUDGET = 1_500_000  # bytes a page costs over the wire, all of its figures included
FIGURE_BUDGET = 250_000      # bytes of the largest single figure file
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}


def weigh(path, cache={}):  # noqa: B006 - a deliberate memo: each file is compressed once
    if path not in cache:
        data = path.read_bytes()
        wire = len(gzip.compress(data, 6)) if path.suffix in COMPRESSED else len(data)
        cache[path] = (len(data), wire)
    return cache[path]


def measure(record, site_dir):
    files = {site_file(site_dir, url) for url, status in record.traffic.responses.items()
             if status == 200}
    unknown = [url for url, status in record.traffic.responses.items()
               if status == 200 and site_file(site_dir, url) is None]
    files.discard(None)
    figures = {f: weigh(f)[0] for f in files if "generated" in f.relative_to(site_dir).parts
               and f.suffix in (".svg", ".png")}
    largest = max(figures.items(), key=lambda item: item[1], default=(None, 0))
    return {
        "raw": sum(weigh(f)[0] for f in files),
        "transfer": sum(weigh(f)[1] for f in files),
        "requests": len(files),
        "figures": len(figures),
        "figure_bytes": sum(figures.values()),
        "largest": largest,
        "unknown": unknown,
    }


def test_page_weight_within_budget(visit, site_dir, capsys):
    rows, problems = [], []
    for page in PAGES:
        for palette in PALETTES:
            m = measure(visit(page, palette), site_dir)
            name, size = m["largest"]
            largest = f"{PurePosixPath(name.name)} {size / 1e3:.0f} kB" if name else "-"
            rows.append(f"{page.path or '(home)':42} {palette:5} {m['requests']:4d} "
                        f"{m['raw'] / 1e6:7.2f} {m['transfer'] / 1e6:9.2f} {m['figures']:4d} "
                        f"{m['figure_bytes'] / 1e6:8.2f}  {largest}")
            where = f"{page.path or '(home)'} ({palette})"
            if m["transfer"] > TRANSFER_BUDGET:
                problems.append(f"{where}: {m['transfer'] / 1e6:.2f} MB over the wire, "
                                f"budget {TRANSFER_BUDGET / 1e6:.1f} MB")
            if size > FIGURE_BUDGET:
                problems.append(f"{where}: figure {name.name} is {size / 1e3:.0f} kB, "
                                f"budget {FIGURE_BUDGET / 1e3:.0f} kB")
            problems += [f"{where}: loaded {url}, which is not a file of the site"
                         for url in m["unknown"]]
    header = (f"{'page':42} {'theme':5} {'reqs':>4} {'raw MB':>7} {'wire MB':>9} {'figs':>4} "
              f"{'figs MB':>8}  largest figure\n")
    table = header + "\n".join(rows) + (
        f"\n\nbudgets: {TRANSFER_BUDGET / 1e6:.1f} MB per page over the wire (text gzipped), "
        f"{FIGURE_BUDGET / 1e3:.0f} kB per figure (raw sizes are reported, not limited)\n")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(table)
    with capsys.disabled():
        print(f"\n\nPage weight (also in {REPORT.relative_to(ROOT)}):\n{table}")
    assert not problems, "\n".join(problems)
