"""MkDocs hook: the case study's notebook.

Before each build, write it from its snippets into the build cache (case_study_notebook.py);
publish it under generated/ for mkdocs-jupyter, which executes it while rendering its page;
give that page a download link. The execution runs with a short MAKEMORE_STEPS, one thread and
the site's nbconvert settings, set only around the render and restored in every case, a
failing cell included. nbconvert's own MathJax and Mermaid loaders (both from CDNs) are
removed: the site's MathJax serves the page.
"""

import contextlib
import os
import re
from pathlib import PurePosixPath

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from case_study_notebook import NBCONVERT_CONFIG, write_notebook
from site_paths import JUPYTER_CACHE, NOTEBOOKS, SITE_FOLDER, SNIPPETS

NOTEBOOK = f"{SITE_FOLDER}/makemore/case_study.ipynb"  # where the site (and the nav) has it
SOURCE = NOTEBOOKS / NOTEBOOK
NOTEBOOK_STEPS = "300"  # training steps when the site executes the notebook
EXECUTION_ENVIRONMENT = {
    "MAKEMORE_STEPS": NOTEBOOK_STEPS,
    "OMP_NUM_THREADS": "1",
    # nbconvert settings that make the page the same on every build (nbconvert_config/).
    "JUPYTER_CONFIG_PATH": str(NBCONVERT_CONFIG.parent),
}
# nbconvert's template loads MathJax 2 and (when a diagram is present) Mermaid from CDNs.
CDN_LOADERS = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
                         r"|<script type=\"module\">\s*document\.addEventListener.*?mermaid.*?</script>",
                         re.S)


def on_config(config):
    # mkdocs-jupyter's cache of executed notebooks, in the build cache with the rest.
    config.plugins["mkdocs-jupyter"].config["cache_dir"] = str(JUPYTER_CACHE)
    return config


def on_pre_build(config):
    write_notebook(SNIPPETS / "makemore", SOURCE, NOTEBOOK_STEPS)


@event_priority(100)  # before mkdocs-jupyter's on_files, which claims the notebooks
def on_files(files, config):
    # A file with a source folder, not File.generated: mkdocs-jupyter's wrapper computes the
    # source path from the folder.
    files.append(File(NOTEBOOK, src_dir=str(NOTEBOOKS), dest_dir=config.site_dir,
                      use_directory_urls=config.use_directory_urls))
    return files


@contextlib.contextmanager
def environment(values):
    """os.environ with `values` set, restored on the way out whatever happens inside."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def on_pre_page(page, config, files):
    # mkdocs-jupyter's own on_pre_page (a plugin's, so it ran first) replaced page.render with
    # the execution; run that inside the execution environment.
    if page.file.src_uri == NOTEBOOK:
        render = page.render

        def render_in_environment(config, files):
            with environment(EXECUTION_ENVIRONMENT):
                return render(config, files)

        page.render = render_in_environment
    return page


def on_page_content(html, page, config, files):
    if page.file.src_uri != NOTEBOOK:
        return html
    name = PurePosixPath(NOTEBOOK).name  # published next to the page (include_source)
    link = (f'<p class="notebook-download"><a href="{name}" download>'
            f"Download this notebook ({name})</a></p>")
    return link + CDN_LOADERS.sub("", html)
