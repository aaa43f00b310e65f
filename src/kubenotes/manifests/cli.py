"""``kubenotes validate [PATH...]``: validate manifests in files, folders and Markdown pages.

Exit codes: 0 every object valid (warnings allowed), 1 an object is invalid or could not be checked,
2 usage or I/O error (a path that does not exist, an unknown Kubernetes version).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_PATHS = ("snippets", "docs")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", type=Path,
                        help="YAML files, Markdown pages or folders (default: snippets/ and docs/)")
    parser.add_argument("--kubernetes-version", metavar="X.Y", default=None,
                        help="validate for this Kubernetes version (default: the newest bundled)")
    parser.add_argument("--matrix", action="store_true",
                        help="also report each object's lowest and highest supported version it is valid on")
    parser.add_argument("--skip-kind", action="append", default=[], metavar="KIND",
                        help="do not check objects of this kind (e.g. custom resources without their CRD)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    from kubenotes.manifests import SourceError, validate_paths
    from kubenotes.manifests.output import FORMATS
    from kubenotes.manifests.versions import TARGET_VERSION, normalize, supported_versions

    try:
        version = normalize(args.kubernetes_version) if args.kubernetes_version else TARGET_VERSION
        paths = args.paths or [Path(name) for name in DEFAULT_PATHS if Path(name).exists()]
        if not paths:
            raise SourceError(f"no PATH given and no {' or '.join(DEFAULT_PATHS)} folder here")
        matrix = supported_versions() if args.matrix else ()
        report = validate_paths(paths, version=version, matrix=matrix, skip_kinds=args.skip_kind,
                                display_root=Path.cwd())
    except (ValueError, SourceError) as exc:
        print(f"kubenotes validate: error: {exc}", file=sys.stderr)
        return 2
    print(FORMATS[args.format](report))
    return 0 if report.ok else 1
