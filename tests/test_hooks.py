"""The MkDocs hook that turns `fig:` references into light and dark images."""

import importlib.util
import json
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT

spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts" / "mkdocs_hooks.py")
hooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hooks)


@pytest.fixture
def config(tmp_path):
    manifest = {"snippets": {"ch/plot.py": {"figures": [{"index": 1, "format": "svg"},
                                                         {"index": 2, "format": "png"}]}}}
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "manifest.json").write_text(json.dumps(manifest))
    return {"docs_dir": str(tmp_path)}


def page(src_uri):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def test_figure_reference_becomes_both_palette_variants(config):
    markdown = "Before ![a curve](fig:ch/plot/1) after, ![dense](fig:ch/plot/2)"
    html = hooks.on_page_markdown(markdown, page("chapter.md"), config, None)
    lazy = "{ loading=lazy }"
    assert html == (f"Before ![a curve](generated/ch/plot-1.light.svg#only-light){lazy}"
                    f"![a curve](generated/ch/plot-1.dark.svg#only-dark){lazy} after, "
                    f"![dense](generated/ch/plot-2.light.png#only-light){lazy}"
                    f"![dense](generated/ch/plot-2.dark.png#only-dark){lazy}")


def test_paths_are_relative_to_the_page(config):
    html = hooks.on_page_markdown("![x](fig:ch/plot/1)", page("part/sub/page.md"), config, None)
    assert "(../../generated/ch/plot-1.light.svg#only-light)" in html


def test_unknown_figure_fails_the_build_with_the_page_named(config):
    with pytest.raises(PluginError, match=r"chapter\.md: no figure 'ch/plot/3'"):
        hooks.on_page_markdown("![x](fig:ch/plot/3)", page("chapter.md"), config, None)


def test_malformed_figure_reference_fails_instead_of_passing_through(config):
    with pytest.raises(PluginError, match="malformed figure reference"):
        hooks.on_page_markdown("![Q[0,0] signs](fig:ch/plot/1)", page("chapter.md"), config, None)
