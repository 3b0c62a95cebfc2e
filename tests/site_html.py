"""The built site's HTML, read with one parser (BeautifulSoup) for every test that reads it:
links and anchors (test_links), what pages load (test_site), code blocks (test_page_code)."""

from functools import lru_cache
from pathlib import Path

from bs4 import BeautifulSoup

# The attribute that makes each tag a link to another file.
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
                   "iframe": "src", "video": "src", "audio": "src"}


@lru_cache(maxsize=None)
def parse(path):
    return BeautifulSoup(Path(path).read_text(errors="replace"), "html.parser")


def pages(site_dir):
    """(path, parsed page) for every HTML page of the site but 404.html (served at any depth,
    it links from the site root)."""
    for path in sorted(Path(site_dir).rglob("*.html")):
        if path != Path(site_dir) / "404.html":
            yield path, parse(path)


def links(page):
    """(tag name, URL) of every link, stylesheet, script and image of a parsed page."""
    return [(tag.name, tag[LINK_ATTRIBUTES[tag.name]]) for tag in page.find_all(list(LINK_ATTRIBUTES))
            if tag.get(LINK_ATTRIBUTES[tag.name]) is not None]


@lru_cache(maxsize=None)
def anchors(path):
    """The ids and names of the page at `path`, what a #fragment can point to."""
    return frozenset(value for tag in parse(path).find_all(True)
                     for value in (tag.get("id"), tag.get("name")) if value)


def python_blocks(page):
    """The text of every code block that the page labels as Python."""
    return [code.get_text() for code in page.select("div.language-python.highlight pre > code")]
