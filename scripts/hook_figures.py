"""MkDocs hook: a figure reference `![alt](fig:<chapter>/<snippet>/<n>)` becomes the light and
the dark variant of that figure, in the file format the runner chose, loaded lazily (so the
browser never fetches the variant that the palette hides). An unknown or malformed reference
fails the build, naming the page.

(A Python-Markdown extension would not know the page's path, which the relative image links
need; so this stays a hook on the page's Markdown.)
"""

import re
from pathlib import PurePosixPath

from mkdocs.exceptions import PluginError

from site_paths import OUTPUTS, SITE_FOLDER
from snippet_build.cache import Manifest

FIGURE_REF = re.compile(r"!\[(?P<alt>[^\]]*)\]\(fig:(?P<snippet>[\w/.-]+)/(?P<index>\d+)\)")


def figure_formats(out_dir=OUTPUTS):
    """'<chapter>/<snippet>/<n>' -> 'svg' or 'png', for every figure the runner recorded."""
    return {
        f"{name.removesuffix('.py')}/{fig['index']}": fig["format"]
        for name, entry in Manifest(out_dir / "manifest.json").entries.items()
        for fig in entry["figures"]
    }


def expand_figures(markdown, page_uri, figures):
    page_dir = PurePosixPath(page_uri).parent

    def expand(match):
        ref = f"{match['snippet']}/{match['index']}"
        if ref not in figures:
            raise PluginError(f"{page_uri}: no figure '{ref}' (is the snippet built, "
                              f"and does it leave figure {match['index']} open?)")
        stem = f"{SITE_FOLDER}/{match['snippet']}-{match['index']}"
        rel = lambda palette: PurePosixPath(  # noqa: E731
            *[".."] * len(page_dir.parts), f"{stem}.{palette}.{figures[ref]}")
        return (f"![{match['alt']}]({rel('light')}#only-light){{ loading=lazy }}"
                f"![{match['alt']}]({rel('dark')}#only-dark){{ loading=lazy }}")

    markdown = FIGURE_REF.sub(expand, markdown)
    if "](fig:" in markdown:  # e.g. a ']' inside the alt text defeats the pattern
        line = next(l for l in markdown.splitlines() if "](fig:" in l)
        raise PluginError(f"{page_uri}: malformed figure reference "
                          f"(no ']' allowed in alt text): {line.strip()[:120]}")
    return markdown


_figures = {}  # this build's figure formats, read once from the manifest (on_files)


def on_files(files, config):
    # After hook_snippets' on_pre_build has run the snippets: the manifest is current.
    _figures.clear()
    _figures.update(figure_formats())
    return files


def on_page_markdown(markdown, page, config, files):
    return expand_figures(markdown, page.file.src_uri, _figures)
