"""MkDocs hook: the snippets' outputs, from the build cache (site_paths.py) into the site.

- Before every build (and every `mkdocs serve` rebuild) run the stale snippets; a failure fails
  the build with the snippet's file and line. `SNIPPETS_ONLY=GLOB` in the environment limits
  that to the matching snippets (to work on one chapter; the others keep their last outputs).
- pymdownx.snippets finds the printed outputs in the cache: `--8<-- "outputs/<chapter>/<name>.txt"`.
- The figures and the explorables' data are published under generated/ in the site
  (hook_figures.py puts them on pages).
"""

import os

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from site_paths import CACHE, OUTPUTS, ROOT, SITE_FOLDER, SNIPPETS
from snippet_build.cache import Manifest
from snippet_build.runner import build


def on_config(config):
    # Snippet files from the repository, printed outputs from the cache.
    config.mdx_configs.setdefault("pymdownx.snippets", {})["base_path"] = [str(ROOT), str(CACHE)]
    return config


def on_pre_build(config):
    only = [os.environ["SNIPPETS_ONLY"]] if os.environ.get("SNIPPETS_ONLY") else []
    if build(SNIPPETS, OUTPUTS, only=only, log=lambda line: print(f"snippets: {line}", flush=True)):
        raise PluginError("snippets failed (see above); previous outputs were kept")


def on_files(files, config):
    for entry in Manifest(OUTPUTS / "manifest.json").entries.values():
        for output in entry["outputs"]:
            if output.endswith((".svg", ".png", ".explorable.json")):
                files.append(File.generated(config, f"{SITE_FOLDER}/{output}",
                                            abs_src_path=str(OUTPUTS / output)))
    return files
