"""Print pip's option for PyTorch's CPU-only package index, if this machine reaches it.

    python scripts/torch_index.py URL

On Linux, PyPI's torch wheel is a CUDA build that pulls several GB of CUDA libraries; PyTorch's
own index has the CPU build, and the Makefile passes it to pip on Linux by default. An empty
URL prints nothing (PyPI's build, for someone who wants CUDA). So does an index this machine
cannot reach, with a note on stderr: pip would otherwise retry it for every package, for
seconds each, and then take torch from its usual sources anyway.
"""

import sys
import urllib.request


def main(url):
    if not url:
        return
    try:
        urllib.request.urlopen(f"{url.rstrip('/')}/torch/", timeout=5).close()
    except OSError as error:
        print(f"note: {url} not reachable ({error}); torch comes from pip's usual sources",
              file=sys.stderr)
        return
    print(f"--extra-index-url {url}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
