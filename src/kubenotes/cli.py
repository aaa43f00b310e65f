"""The ``kubenotes`` command line: one subcommand per engine stage, loaded on demand.

Each subcommand module exposes ``add_arguments(parser)`` and ``run(args) -> int``; listing it in
``SUBCOMMANDS`` is all it takes to add one. Subcommand modules keep heavy imports inside ``run``
so that ``--help`` and ``--version`` stay instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kubenotes import __version__

# name -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("kubenotes.manifests.cli", "validate Kubernetes manifests in YAML files and Markdown pages"),
    "diagrams": ("kubenotes.diagrams.cli", "render diagrams into the cache; count rendered/cached/failed"),
    "links": ("kubenotes.links.cli", "check the built site's external links; lists what it could not check"),
    "unused": ("kubenotes.unused", "list the snippets and diagram scripts no page uses"),
}


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every registered subcommand."""
    parser = argparse.ArgumentParser(prog="kubenotes", description="Kubernetes Field Notes tools.")
    parser.add_argument("--version", action="version", version=f"kubenotes {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(module_name=module_name)
        importlib.import_module(module_name).add_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return int(importlib.import_module(args.module_name).run(args))


if __name__ == "__main__":
    sys.exit(main())
