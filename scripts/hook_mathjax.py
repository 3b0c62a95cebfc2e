"""MkDocs hook: serve MathJax from the installed django-static-mathjax package, so math renders
offline (no CDN, nothing committed)."""

from importlib.resources import files as package_files
from pathlib import Path

from mkdocs.structure.files import File

MATHJAX_DIR = "assets/mathjax"
# The one bundle the pages load, plus what it fetches on demand (fonts, TeX extensions,
# accessibility tools from the menu).
MATHJAX_PARTS = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "a11y", "sre", "ui"]


def on_files(files, config):
    source = Path(str(package_files("mathjax"))) / "static" / "mathjax" / "es5"
    for part in MATHJAX_PARTS:
        paths = [source / part] if (source / part).is_file() else sorted((source / part).rglob("*"))
        for path in paths:
            if path.is_file():
                uri = f"{MATHJAX_DIR}/{path.relative_to(source).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
