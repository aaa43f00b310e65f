"""``kubenotes links``: check the built site's external links.

Exit status: 0 every external link works; 1 at least one is broken; 3 none is known broken but some could
not be checked (offline, unreachable host, rate limit) — never reported as success.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument(
        "--docs",
        type=Path,
        default=None,
        help="Markdown sources, to name file:line per link (default: docs/ by mkdocs.yml)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="check nothing: list every link without a fresh cached success as unchecked",
    )
    parser.add_argument(
        "--max-age-days",
        type=float,
        default=7.0,
        help="how long a successful check is trusted (default: 7; 0 re-checks everything)",
    )
    parser.add_argument("--timeout", type=int, default=15, help="seconds per link (default: 15)")


def run(args: argparse.Namespace) -> int:
    import subprocess

    from kubenotes.cache import CacheStore
    from kubenotes.links.cache import ResultsCache
    from kubenotes.links.check import check_site, exit_code
    from kubenotes.links.probe import LinkCheckerError
    from kubenotes.links.report import render
    from kubenotes.project import Project, ProjectError

    if not (args.site / "sitemap.xml").is_file() and not any(args.site.glob("*.html")):
        print(
            f"kubenotes links: error: {args.site} is not a built site: run `make build` first",
            file=sys.stderr,
        )
        return 2
    try:
        project = Project.find()
        cache = ResultsCache(CacheStore(project.cache_dir), max_age=args.max_age_days * 86400)
        report = check_site(
            args.site,
            cache=cache,
            docs_dir=args.docs or project.docs_dir,
            offline=args.offline,
            timeout=args.timeout,
        )
    except (ProjectError, LinkCheckerError, FileNotFoundError, subprocess.TimeoutExpired, OSError) as error:
        print(f"kubenotes links: error: {error}", file=sys.stderr)
        return 2
    print(render(report))
    return exit_code(report)
