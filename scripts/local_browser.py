"""The built site served on 127.0.0.1 and headless Chromium (Debian's package, under
Playwright): what the browser tests (tests/site_browser.py) and `make bench` share."""

import contextlib
import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

LOCAL_HOST = "127.0.0.1"

# Debian's chromium (apt-get install chromium); Playwright's own browser download is not used.
CHROMIUM_ARGS = [
    "--no-sandbox",                      # CI containers run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",           # /dev/shm is 64 MB in Docker: big screenshots crash
    # Without these, Chromium itself calls Google hosts (field trials, components, sync).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}  # wide enough for both sidebars


# --- the server ------------------------------------------------------------------------------

LOC = re.compile(r"<loc>([^<]*)</loc>")


def local_sitemap(xml, base_url):
    """sitemap.xml with the published address (site_url) replaced by this server's, as
    `mkdocs serve` does by building with site_url set to its own address: Material's instant
    navigation follows only links to pages that the sitemap lists at the current host."""
    locs = LOC.findall(xml)
    root = min(locs, key=len, default="")  # the home page's address
    if not root or not all(loc.startswith(root) for loc in locs):
        return xml
    return LOC.sub(lambda m: f"<loc>{base_url}{m[1][len(root):]}</loc>", xml)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".ipynb": "application/x-ipynb+json"}

    def do_GET(self):
        if urlsplit(self.path).path != "/sitemap.xml":
            return super().do_GET()
        host, port = self.server.server_address[:2]
        xml = (Path(self.directory) / "sitemap.xml").read_text()
        body = local_sitemap(xml, f"http://{host}:{port}/").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site_dir):
    """Serve site_dir on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


# --- the browser -----------------------------------------------------------------------------

def chromium_executable():
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


@contextlib.contextmanager
def launch():
    """Headless Debian Chromium under Playwright; yields the Browser."""
    executable = chromium_executable()
    if not executable:
        raise RuntimeError(
            "Chromium not found: the browser tests use Debian's package. Install it with "
            "`sudo apt-get install -y chromium` (or run .ci/run, which does), or point "
            "$CHROMIUM at a Chromium binary.")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
