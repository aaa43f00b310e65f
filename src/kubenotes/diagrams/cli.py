"""``kubenotes diagrams [--force] [--jobs N] [--timeout S] [--list] [NAME...]``: warm the diagram cache.

Renders what the site build would (every script in ``diagrams/`` and every manifest a page draws),
prints one line per failure and a rendered / cached / failed summary, exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import sys

from kubenotes.diagrams.engine import DOCS_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="only these pictures, e.g. cluster-architecture or manifests/workloads/web-app")
    parser.add_argument("--force", action="store_true", help="render even when the cache holds the picture")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="renders at once (default: cores)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per picture (default 60)")
    parser.add_argument("--list", action="store_true", help="list the pictures and exit")


def run(args: argparse.Namespace) -> int:
    from kubenotes.diagrams.engine import render_project, script_jobs
    from kubenotes.diagrams.manifest_figure import find_markers, manifest_jobs
    from kubenotes.project import find_root

    root = find_root()
    pages = ((str(p.relative_to(root)), p.read_text(encoding="utf-8"))
             for p in sorted((root / DOCS_DIR).rglob("*.md")))
    extra, errors = manifest_jobs(root, find_markers(pages))
    if args.list:
        for job in [*script_jobs(root)[0], *extra]:
            print(f"{job.name}\t{job.display}")
        return 0
    report = render_project(root, extra_jobs=extra, names=args.names, force=args.force,
                            workers=args.jobs, timeout=args.timeout)
    errors += report.errors
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"diagrams: {len(report.rendered)} rendered, {len(report.cached)} cached, {len(errors)} failed")
    return 1 if errors else 0
