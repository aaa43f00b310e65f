"""``kubenotes diagrams [--force] [--jobs N] [--timeout S] [--list] [NAME...]``: warm the diagram cache.

Renders what the site build would (every script in the diagrams folder and every manifest a page draws),
prints one line per problem and a rendered / cached / failed summary; exit 1 on any failure, 2 when it
cannot run (no project here).
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="only these pictures, e.g. cluster-architecture or manifests/workloads/web-app",
    )
    parser.add_argument("--force", action="store_true", help="render even when the cache holds the picture")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="renders at once (default: cores)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per picture (default 60)")
    parser.add_argument("--list", action="store_true", help="list the pictures and exit")


def run(args: argparse.Namespace) -> int:
    from kubenotes.cache import CacheStore
    from kubenotes.diagrams.engine import render_project, script_jobs
    from kubenotes.diagrams.manifest_figure import find_markers, manifest_jobs
    from kubenotes.diagrams.sources import INSTALL_GRAPHVIZ, ToolMissing
    from kubenotes.project import Project, ProjectError

    try:
        project = Project.find()
    except ProjectError as error:
        print(f"kubenotes diagrams: {error}", file=sys.stderr)
        return 2
    try:
        extra, _, problems = manifest_jobs(project, find_markers(project))
        if args.list:
            for job in [*script_jobs(project)[0], *extra]:
                print(f"{job.name}\t{job.display}")
            return 0
        report = render_project(
            project,
            CacheStore(project.cache_dir),
            extra_jobs=extra,
            names=args.names,
            force=args.force,
            workers=args.jobs,
            timeout=args.timeout,
        )
    except ToolMissing as error:
        print(f"kubenotes diagrams: {error}; {INSTALL_GRAPHVIZ}", file=sys.stderr)
        return 2
    problems += report.errors
    for found in problems:
        print(found.format(), file=sys.stderr)
    print(f"diagrams: {len(report.rendered)} rendered, {len(report.cached)} cached, {len(problems)} failed")
    return 1 if problems else 0
