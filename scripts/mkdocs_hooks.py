"""MkDocs hooks (mkdocs.yml `hooks:`) that tie the site to its snippets.

- Before every build (and every `mkdocs serve` rebuild) run the stale snippets; a failure fails
  the build with the snippet's file and line. `SNIPPETS_ONLY=GLOB` in the environment limits
  that to the matching snippets (to work on one chapter; the others keep their last outputs).
- Expand figure references `![alt](fig:<chapter>/<snippet>/<n>)` into the light and dark
  variants of that figure, with the file format the runner chose.
- Serve MathJax from the installed django-static-mathjax package, so math renders offline.
- Write the case study's notebook from its snippets, execute it (through mkdocs-jupyter) with
  a short MAKEMORE_STEPS, and give its page a download link; nbconvert's own MathJax and
  Mermaid loaders (both from CDNs) are removed, the site's MathJax serves the page.
"""

import json
import os
import re
import sys
from importlib.resources import files as package_files
from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from case_study_notebook import NBCONVERT_CONFIG, write_notebook  # noqa: E402
from snippet_build.runner import build  # noqa: E402

SNIPPETS = ROOT / "snippets"
GENERATED = "generated"  # folder under docs/ that the runner writes into
NOTEBOOK = f"{GENERATED}/makemore/case_study.ipynb"
NOTEBOOK_STEPS = "300"  # training steps when the site executes the notebook
# nbconvert's template loads MathJax 2 and (when a diagram is present) Mermaid from CDNs.
CDN_LOADERS = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
                         r"|<script type=\"module\">\s*document\.addEventListener.*?mermaid.*?</script>",
                         re.S)
FIGURE_REF = re.compile(r"!\[(?P<alt>[^\]]*)\]\(fig:(?P<snippet>[\w/.-]+)/(?P<index>\d+)\)")

MATHJAX_DIR = "assets/mathjax"
# The one bundle the pages load, plus what it fetches on demand (fonts, TeX extensions,
# accessibility tools from the menu).
MATHJAX_PARTS = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "a11y", "sre", "ui"]


def on_pre_build(config):
    out_dir = Path(config["docs_dir"]) / GENERATED
    only = [os.environ["SNIPPETS_ONLY"]] if os.environ.get("SNIPPETS_ONLY") else []
    if build(SNIPPETS, out_dir, only=only, log=lambda line: print(f"snippets: {line}", flush=True)):
        raise PluginError("snippets failed (see above); previous outputs were kept")
    write_notebook(SNIPPETS / "makemore", Path(config["docs_dir"]) / NOTEBOOK, NOTEBOOK_STEPS)


_saved_environment = {}


def on_pre_page(page, config, files):
    # mkdocs-jupyter executes the notebook while rendering this page: short, one thread, and
    # with the site's nbconvert settings (scripts/nbconvert_config), for a page that is the
    # same on every build.
    if page.file.src_uri == NOTEBOOK:
        for name, value in (("MAKEMORE_STEPS", NOTEBOOK_STEPS), ("OMP_NUM_THREADS", "1"),
                            ("JUPYTER_CONFIG_PATH", str(NBCONVERT_CONFIG.parent))):
            _saved_environment[name] = os.environ.get(name)
            os.environ[name] = value
    return page


def on_page_content(html, page, config, files):
    if page.file.src_uri != NOTEBOOK:
        return html
    for name, value in _saved_environment.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _saved_environment.clear()
    name = PurePosixPath(NOTEBOOK).name  # published next to the page (include_source)
    link = (f'<p class="notebook-download"><a href="{name}" download>'
            f"Download this notebook ({name})</a></p>")
    return link + CDN_LOADERS.sub("", html)


def _figures(config):
    manifest = Path(config["docs_dir"]) / GENERATED / "manifest.json"
    entries = json.loads(manifest.read_text())["snippets"] if manifest.exists() else {}
    return {
        f"{name.removesuffix('.py')}/{fig['index']}": fig["format"]
        for name, entry in entries.items() for fig in entry["figures"]
    }


def on_page_markdown(markdown, page, config, files):
    figures = _figures(config)
    page_dir = PurePosixPath(page.file.src_uri).parent

    def expand(match):
        ref = f"{match['snippet']}/{match['index']}"
        if ref not in figures:
            raise PluginError(f"{page.file.src_uri}: no figure '{ref}' (is the snippet built, "
                              f"and does it leave figure {match['index']} open?)")
        stem = f"{GENERATED}/{match['snippet']}-{match['index']}"
        rel = lambda palette: PurePosixPath(  # noqa: E731
            *[".."] * len(page_dir.parts), f"{stem}.{palette}.{figures[ref]}")
        # Lazy: the browser then skips the variant the palette hides (display: none).
        return (f"![{match['alt']}]({rel('light')}#only-light){{ loading=lazy }}"
                f"![{match['alt']}]({rel('dark')}#only-dark){{ loading=lazy }}")

    markdown = FIGURE_REF.sub(expand, markdown)
    if "](fig:" in markdown:  # e.g. a ']' inside the alt text defeats the pattern
        line = next(l for l in markdown.splitlines() if "](fig:" in l)
        raise PluginError(f"{page.file.src_uri}: malformed figure reference "
                          f"(no ']' allowed in alt text): {line.strip()[:120]}")
    return markdown


def on_files(files, config):
    source = Path(str(package_files("mathjax"))) / "static" / "mathjax" / "es5"
    for part in MATHJAX_PARTS:
        paths = [source / part] if (source / part).is_file() else sorted((source / part).rglob("*"))
        for path in paths:
            if path.is_file():
                uri = f"{MATHJAX_DIR}/{path.relative_to(source).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
