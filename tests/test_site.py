"""The built site: strict build, figures wired both ways, math, code blocks, offline."""

import re
import subprocess

import pytest

from conftest import OUTPUTS, ROOT, output_files, run_builder
from site_html import pages

FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```", re.M | re.S)


def loaded(page):
    """The URLs a parsed page loads: stylesheets, scripts, images (not the links it only names:
    <a>, and the canonical <link>)."""
    return [url for tag in page.find_all(["link", "script", "img", "source", "iframe"])
            if (url := tag.get("src") or tag.get("href"))
            and not (tag.name == "link" and "canonical" in tag.get("rel", []))]


def images(page):
    return [img.attrs for img in page.find_all("img")]


def test_every_referenced_generated_file_exists_and_none_is_orphaned(site_dir):
    referenced = set()
    for path, page in pages(site_dir):
        for url in loaded(page):
            if url.startswith("data:"):  # figures inlined in the notebook page
                continue
            target = (path.parent / url.split("#")[0]).resolve()
            if target.is_dir():  # a page (the notebook's), served as its index.html
                target = target / "index.html"
            if "generated/" in url:
                assert target.is_file(), f"{path}: {url} does not exist"
                if target.suffix in (".svg", ".png"):
                    referenced.add(target.relative_to(site_dir / "generated").as_posix())
    figures = {name for name in output_files(OUTPUTS) if name.endswith((".svg", ".png"))}
    assert figures, "no figures were generated"
    assert figures == referenced, f"orphaned: {figures - referenced}"
    included = set()
    for page in (ROOT / "docs").rglob("*.md"):
        included |= set(re.findall(r'--8<-- "outputs/([^"]+)"', page.read_text()))
    texts = {name for name in output_files(OUTPUTS) if name.endswith(".txt")}
    assert texts == included, f"outputs no page shows: {texts - included}"


def test_every_figure_has_alt_text_and_both_palette_variants(site_dir):
    for path, page in pages(site_dir):
        generated = [img for img in images(page) if "generated/" in img["src"]]
        assert len([i for i in generated if i["src"].endswith("#only-light")]) == \
               len([i for i in generated if i["src"].endswith("#only-dark")]), path
        for img in images(page):
            assert img.get("alt", "").strip(), f"{path}: image {img['src']} has no alt text"


def test_nothing_is_loaded_from_another_host(site_dir):
    for path, page in pages(site_dir):
        for url in loaded(page):
            assert not re.match(r"^(https?:)?//", url), f"{path} loads {url}"
        assert "fonts.googleapis" not in path.read_text()


def test_math_is_marked_for_the_local_mathjax(site_dir):
    chapter = (site_dir / "tanh-saturation" / "index.html").read_text()
    assert chapter.count('class="arithmatex"') >= 10
    assert '<script src="../assets/mathjax/tex-chtml.js">' in chapter
    assert (site_dir / "assets/mathjax/tex-chtml.js").stat().st_size > 500_000
    assert list((site_dir / "assets/mathjax/output/chtml/fonts/woff-v2").glob("*.woff"))


def test_code_blocks_show_their_language(site_dir):
    for path, page in pages(site_dir):
        for classes in (" ".join(div["class"]) for div in page.select("div.highlight")):
            # Markdown pages label blocks language-*; notebook cells (nbconvert) hl-*.
            assert "language-" in classes or " hl-" in classes, \
                f"{path}: code block without a language: {classes}"


@pytest.mark.parametrize("page", sorted((ROOT / "docs").rglob("*.md")), ids=lambda p: p.name)
def test_outputs_are_fenced_as_text_and_snippets_as_titled_python(page):
    for fence in FENCE.finditer(page.read_text()):
        info, body = fence["info"].strip(), fence["body"]
        if '--8<-- "outputs/' in body:
            assert info.startswith("text"), f"{page.name}: output fenced as {info!r}"
        elif '--8<-- "snippets/' in body:
            # Titled, so pytest-codeblocks (which takes only a bare `python`) skips it: the
            # include line is not Python. tests/test_snippets.py runs the file itself.
            assert info.startswith("python title="), f"{page.name}: snippet fenced as {info!r}"


def test_the_build_writes_nothing_into_the_authored_trees(site_dir):
    """Everything the build makes lives in the cache (site_paths.py) and site/: no file that
    git ignores is left in docs/ or snippets/ (nothing there is meant to be ignored)."""
    status = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all",
                             "docs", "snippets"], cwd=ROOT, capture_output=True, text=True)
    assert status.returncode == 0, status.stderr
    written = [line for line in status.stdout.splitlines() if line.startswith("!!")]
    assert not written, "\n".join(written)


def test_check_finds_the_built_outputs_current(built_outputs):
    result = run_builder("--check")
    assert result.returncode == 0, result.stdout


def test_site_has_the_pages_and_not_the_build_records(site_dir):
    for page in ("index.html", "tanh-saturation/index.html", "search/search_index.json"):
        assert (site_dir / page).is_file()
    # text outputs are pasted into pages; they and the manifest are not published
    assert not list((site_dir / "generated").rglob("*.txt"))
    assert not (site_dir / "generated" / "manifest.json").exists()
