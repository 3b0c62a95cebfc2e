"""MkDocs hook: a figure reference `![alt](fig:<chapter>/<snippet>/<n>)` becomes the light and
the dark variant of that figure, in the file format the runner chose, loaded lazily (so the
browser never fetches the variant that the palette hides). An unknown or malformed reference
fails the build, naming the page.

`![alt](explore:<chapter>/<snippet>/<n>)` is the same figure inside an explorable: a block that
docs/javascripts/explorable.js fills with controls and a live view drawn from the snippet's
EXPLORABLE data (`<snippet>.explorable.json`, linked from the block). The figure stays the view
without JavaScript and in print.

(A Python-Markdown extension would not know the page's path, which the relative image links
need; so this stays a hook on the page's Markdown.)
"""

import re
from pathlib import PurePosixPath

from mkdocs.exceptions import PluginError

from site_paths import OUTPUTS, SITE_FOLDER
from snippet_build.cache import Manifest

FIGURE_REF = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?P<kind>fig|explore):(?P<snippet>[\w/.-]+)/(?P<index>\d+)\)")


def figure_formats(out_dir=OUTPUTS):
    """'<chapter>/<snippet>/<n>' -> 'svg' or 'png', for every figure the runner recorded; and
    '<chapter>/<snippet>' -> 'explorable' for every snippet that has explorable data."""
    formats = {}
    for name, entry in Manifest(out_dir / "manifest.json").entries.items():
        stem = name.removesuffix(".py")
        formats.update({f"{stem}/{fig['index']}": fig["format"] for fig in entry["figures"]})
        if f"{stem}.explorable.json" in entry["outputs"]:
            formats[stem] = "explorable"
    return formats


def expand_figures(markdown, page_uri, figures):
    page_dir = PurePosixPath(page_uri).parent
    to_root = PurePosixPath(*[".."] * len(page_dir.parts))

    def expand(match):
        ref = f"{match['snippet']}/{match['index']}"
        if ref not in figures:
            raise PluginError(f"{page_uri}: no figure '{ref}' (is the snippet built, "
                              f"and does it leave figure {match['index']} open?)")
        stem = f"{SITE_FOLDER}/{match['snippet']}-{match['index']}"
        rel = lambda palette: to_root / f"{stem}.{palette}.{figures[ref]}"  # noqa: E731
        images = (f"![{match['alt']}]({rel('light')}#only-light){{ loading=lazy }}"
                  f"![{match['alt']}]({rel('dark')}#only-dark){{ loading=lazy }}")
        if match["kind"] == "fig":
            return images
        if figures.get(match["snippet"]) != "explorable":
            raise PluginError(f"{page_uri}: snippet '{match['snippet']}' has no explorable "
                              "(it defines no EXPLORABLE dict)")
        # A Markdown link, so that MkDocs makes it relative to the page's URL; the script
        # fetches it, and a reader can download the data.
        data = to_root / f"{SITE_FOLDER}/{match['snippet']}.explorable.json"
        name = PurePosixPath(match["snippet"]).name
        return (f'<div class="explorable" id="{name}" markdown>\n\n{images}\n\n'
                f"[The data behind this explorable (JSON)]({data}){{ .explorable-data }}\n\n"
                f"</div>")

    markdown = FIGURE_REF.sub(expand, markdown)
    if "](fig:" in markdown or "](explore:" in markdown:  # e.g. a ']' in the alt text
        line = next(l for l in markdown.splitlines() if "](fig:" in l or "](explore:" in l)
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
