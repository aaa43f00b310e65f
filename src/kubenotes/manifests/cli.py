"""``kubenotes validate [PATH...]``: validate manifests in files, folders, stdin (``-``) and Markdown pages.

Exit codes: 0 every object valid (warnings allowed), 1 an object is invalid or could not be checked
(a file that is binary, not UTF-8, hostile YAML...: each is reported and the run goes on), 2 usage
error (a path that does not exist, an unknown Kubernetes version).
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

DEFAULT_PATHS = ("snippets", "docs")
QUICK_EXIT = True  # the console script may end the process right after run(): nothing is left open
LEVELS = ("privileged", "baseline", "restricted")  # as kubenotes.manifests.podsecurity.LEVELS
FORMATS = ("text", "json", "github", "junit")  # as kubenotes.manifests.output.FORMATS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="YAML or JSON files, Markdown pages, folders, or - for standard input "
        "(default: snippets/ and docs/)",
    )
    parser.add_argument(
        "--kubernetes-version",
        metavar="X.Y",
        default=None,
        help="validate for this Kubernetes version (default: the newest bundled)",
    )
    parser.add_argument(
        "--matrix",
        action="store_true",
        help="also report each object's lowest and highest supported version it is valid on",
    )
    parser.add_argument(
        "--skip-kind",
        action="append",
        default=[],
        metavar="KIND",
        help="do not check objects of this kind (e.g. custom resources without their CRD)",
    )
    parser.add_argument(
        "--pod-security",
        choices=LEVELS,
        metavar="LEVEL",
        help="fail every Pod template below this Pod Security Standards level "
        "(privileged, baseline or restricted), naming the check and the field",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json, github (workflow annotations) or junit (XML)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        default=None,
        help="processes sharing the work (default: one per core from 1 MB of input, else 1)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print a line for every valid object, with its Pod Security level",
    )


def run(args: argparse.Namespace) -> int:
    from kubenotes.manifests.engine import Options, Run
    from kubenotes.manifests.output import RunInfo, writer
    from kubenotes.manifests.sources import SourceError, discover
    from kubenotes.manifests.versions import TARGET_VERSION, normalize, supported_versions

    try:
        version = normalize(args.kubernetes_version) if args.kubernetes_version else TARGET_VERSION
        paths = args.paths or [Path(name) for name in DEFAULT_PATHS if Path(name).exists()]
        if not paths:
            raise SourceError(f"no PATH given and no {' or '.join(DEFAULT_PATHS)} folder here")
        files = discover(paths, display_root=Path.cwd())
    except (ValueError, SourceError) as exc:
        print(f"kubenotes validate: error: {exc}", file=sys.stderr)
        return 2
    matrix = supported_versions() if args.matrix else ()
    _tune_garbage_collector()
    options = Options(version, tuple(matrix), frozenset(args.skip_kind), args.pod_security)
    validation = Run(files, options, jobs=args.jobs)
    info = RunInfo((version, *[v for v in matrix if v != version]), validation.tally, args.verbose)
    # A buffered stream of our own: with PYTHONUNBUFFERED, every result line would be a system call.
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", buffering=1 << 16, closefd=False)  # noqa: SIM115
    try:
        with out:
            writer(args.format)(validation, info, out)
    except BrokenPipeError:  # `kubenotes validate | head`: the reader has seen enough
        sys.stderr.close()
    return 0 if validation.tally.ok else 1


def _tune_garbage_collector() -> None:
    """Fewer, cheaper cycle collections: a run allocates many short-lived containers (each document's
    values, freed by reference counting as soon as it is checked), which trigger the collector every
    700 allocations and make it walk everything already loaded. Loaded modules are frozen out of its
    walks, and it runs every 20,000 allocations: ~15% of a run over a folder of manifests, measured."""
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
