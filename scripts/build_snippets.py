"""Run the site's snippets and regenerate their outputs (only those that are stale).

    python scripts/build_snippets.py [--check] [--force] [--only GLOB] [--jobs N]

Exit status 0 when every output is up to date, 1 otherwise (a snippet failed, or --check found
stale outputs). Outputs go to the build cache (site_paths.py: .cache/outputs/, or under
$SITE_CACHE).
"""

import argparse
import sys
from pathlib import Path

from site_paths import OUTPUTS, SNIPPETS
from snippet_build.runner import DEFAULT_TIMEOUT, build


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="run nothing; exit 1 listing any missing or stale output")
    parser.add_argument("--force", action="store_true", help="re-run even cached snippets")
    parser.add_argument("--only", action="append", default=[], metavar="GLOB",
                        help="only snippets matching GLOB, e.g. 'snippets/tanh_saturation/*' (repeatable)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: cores)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds before a snippet is killed (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--snippets", type=Path, default=SNIPPETS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=OUTPUTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    problems = build(args.snippets, args.out, force=args.force, only=args.only, jobs=args.jobs,
                     check=args.check, timeout=args.timeout, log=lambda line: print(line, flush=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
