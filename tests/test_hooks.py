"""The MkDocs hooks: `fig:` references become light and dark images, `explore:` references
that figure inside an explorable's block; the notebook's execution environment is restored
whatever its render does."""

import os
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import hook_notebook
from hook_figures import expand_figures

FIGURES = {"ch/plot/1": "svg", "ch/plot/2": "png", "ch/sweep/1": "svg", "ch/sweep": "explorable"}


def test_figure_reference_becomes_both_palette_variants():
    markdown = "Before ![a curve](fig:ch/plot/1) after, ![dense](fig:ch/plot/2)"
    html = expand_figures(markdown, "chapter.md", FIGURES)
    lazy = "{ loading=lazy }"
    assert html == (f"Before ![a curve](generated/ch/plot-1.light.svg#only-light){lazy}"
                    f"![a curve](generated/ch/plot-1.dark.svg#only-dark){lazy} after, "
                    f"![dense](generated/ch/plot-2.light.png#only-light){lazy}"
                    f"![dense](generated/ch/plot-2.dark.png#only-dark){lazy}")


def test_paths_are_relative_to_the_page():
    html = expand_figures("![x](fig:ch/plot/1)", "part/sub/page.md", FIGURES)
    assert "(../../generated/ch/plot-1.light.svg#only-light)" in html


def test_unknown_figure_fails_the_build_with_the_page_named():
    with pytest.raises(PluginError, match=r"chapter\.md: no figure 'ch/plot/3'"):
        expand_figures("![x](fig:ch/plot/3)", "chapter.md", FIGURES)


def test_malformed_figure_reference_fails_instead_of_passing_through():
    with pytest.raises(PluginError, match="malformed figure reference"):
        expand_figures("![Q[0,0] signs](fig:ch/plot/1)", "chapter.md", FIGURES)


def test_explorable_reference_wraps_the_figure_with_a_link_to_its_data():
    html = expand_figures("![a sweep](explore:ch/sweep/1)", "part/page.md", FIGURES)
    assert html.startswith('<div class="explorable" id="sweep" markdown>')
    assert "![a sweep](../generated/ch/sweep-1.light.svg#only-light)" in html
    assert "(../generated/ch/sweep.explorable.json){ .explorable-data }" in html
    assert html.endswith("</div>")


def test_explorable_reference_to_a_snippet_without_data_fails():
    with pytest.raises(PluginError, match=r"page\.md: snippet 'ch/plot' has no explorable"):
        expand_figures("![x](explore:ch/plot/1)", "page.md", FIGURES)


@pytest.mark.parametrize("cell_fails", [False, True])
def test_the_notebook_environment_is_restored_after_its_render(monkeypatch, cell_fails):
    """Under `mkdocs serve` the process lives on: a failing cell must not leave the case
    study keyed on the notebook's 300 steps for the next rebuild."""
    monkeypatch.setenv("MAKEMORE_STEPS", "200000")
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    before = dict(os.environ)
    seen = {}

    def render(config, files):  # stands in for mkdocs-jupyter's execution
        seen.update(os.environ)
        if cell_fails:
            raise RuntimeError("a cell failed")

    page = SimpleNamespace(file=SimpleNamespace(src_uri=hook_notebook.NOTEBOOK), render=render)
    hook_notebook.on_pre_page(page, None, None)
    if cell_fails:
        with pytest.raises(RuntimeError):
            page.render(None, None)
    else:
        page.render(None, None)
    assert seen["MAKEMORE_STEPS"] == hook_notebook.NOTEBOOK_STEPS
    assert seen["JUPYTER_CONFIG_PATH"]
    assert dict(os.environ) == before
