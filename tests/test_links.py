"""No broken internal link or anchor anywhere.

Two layers: MkDocs validates the Markdown links while it builds (mkdocs.yml `validation:`,
every check a warning, and `strict: true` turns warnings into a failed build), and here every
page of the built site is read back: each link, stylesheet, script and image that stays on the
site must lead to a file, and each `#anchor` to an element of that page. The second layer also
covers what MkDocs does not validate: links written in raw HTML, the theme's own links and the
notebook pages that mkdocs-jupyter renders.
"""

import logging
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from conftest import PUBLISHED_URL
from site_browser import mkdocs_config, site_file
from site_html import anchors, links, pages

BASE = "http://site.invalid/"  # any base: only the path and fragment of a link matter here


def broken_links(site_dir):
    """Every link of every page (404.html aside: it is served at any depth, so it links from
    the site root) that leads nowhere on the site: "page: link (reason)"."""
    site_dir, problems = Path(site_dir), []
    for page, parsed in pages(site_dir):
        here = urljoin(BASE, page.relative_to(site_dir).as_posix())
        for tag, link in links(parsed):
            url = urljoin(here, link.strip())
            if url.startswith(PUBLISHED_URL):  # the site's own address (the canonical link)
                url = BASE + url.removeprefix(PUBLISHED_URL)
            parts = urlsplit(url)
            if not url.startswith(BASE) or parts.scheme not in ("http", "https"):
                continue  # another host (the References), mailto:, data:, javascript:
            target = site_file(site_dir, url)
            where = f"{page.relative_to(site_dir)}: <{tag}> {link}"
            if target is None:
                problems.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in anchors(target):
                    problems.append(f"{where} (no anchor #{parts.fragment} in "
                                    f"{target.relative_to(site_dir)})")
    return problems


def test_no_broken_link_or_anchor_in_the_built_site(site_dir):
    problems = broken_links(site_dir)
    assert not problems, f"{len(problems)} broken:\n" + "\n".join(problems)


def test_the_check_finds_broken_links_and_anchors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">A</h2><img src="../fig.svg#only-dark">')
    (tmp_path / "fig.svg").write_text("<svg/>")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a> <a href="a/#here">ok</a> <a href="#top">ok</a> <p id="top"></p>'
        '<a href="https://example.org/x">another host, not checked</a>'
        '<a href="b/">missing page</a> <a href="a/#there">missing anchor</a>'
        '<img src="missing.png" alt="x"> <script src="js/app.js"></script>'
        f'<link rel="canonical" href="{PUBLISHED_URL}a/"> <a href="{PUBLISHED_URL}c/">gone</a>')
    assert sorted(broken_links(tmp_path)) == [
        "index.html: <a> a/#there (no anchor #there in a/index.html)",
        "index.html: <a> b/ (no such file)",
        f"index.html: <a> {PUBLISHED_URL}c/ (no such file)",
        "index.html: <img> missing.png (no such file)",
        "index.html: <script> js/app.js (no such file)",
    ]


def validation_levels(block):
    return {name: validation_levels(value) if isinstance(value, Mapping) else value
            for name, value in block.items()}


def test_mkdocs_turns_every_link_problem_into_an_error():
    config = mkdocs_config()
    assert config.strict is True, "without strict, MkDocs only warns about broken links"
    levels = validation_levels(config.validation)
    assert set(levels["links"]) >= {"not_found", "anchors", "absolute_links", "unrecognized_links"}
    assert set(levels["nav"]) >= {"omitted_files", "not_found", "absolute_links"}
    assert {level for group in levels.values() for level in group.values()} == {logging.WARNING}


def test_mkdocs_build_fails_on_a_broken_link_and_anchor(tmp_path):
    """The site's own validation settings, on a two-page project with a broken link, a broken
    anchor to another page and a broken anchor in the same page."""
    levels = validation_levels(mkdocs_config().validation)
    validation = {group: {check: logging.getLevelName(level).lower()[:4]  # WARNING -> warn
                          for check, level in checks.items()} for group, checks in levels.items()}
    config = {"site_name": "t", "strict": True, "validation": validation,
              "nav": ["index.md", "other.md"]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## Real heading\n")
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n[fine](other.md#real-heading)\n[gone](missing.md)\n"
        "[bad anchor](other.md#no-such-heading)\n[bad local anchor](#nowhere)\n")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode != 0, result.stderr
    for name in ("missing.md", "no-such-heading", "nowhere"):
        assert name in result.stderr, (name, result.stderr)
    assert "real-heading" not in result.stderr
