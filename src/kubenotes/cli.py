"""The ``kubenotes`` command line: one subcommand per engine stage, loaded on demand.

Each subcommand module exposes ``add_arguments(parser)`` and ``run(args) -> int``; listing it in
``SUBCOMMANDS`` is all it takes to add one. Only the subcommand being run is imported (and its heavy
imports stay inside ``run``), so ``--help`` and ``--version`` answer at once.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

# name -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "kubenotes.manifests.cli",
        "validate Kubernetes manifests in YAML/JSON files and Markdown pages",
    ),
    "diagrams": ("kubenotes.diagrams.cli", "render diagrams into the cache; count rendered/cached/failed"),
    "links": ("kubenotes.links.cli", "check the built site's external links; lists what it could not check"),
    "unused": ("kubenotes.unused", "list the snippets and diagram scripts no page uses"),
}


class _VersionAction(argparse.Action):
    """``--version``, reading the installed version only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from kubenotes import __version__

        print(f"kubenotes {__version__}")
        parser.exit()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser: with ``command`` named, only that subcommand (each subparser costs ~1 ms,
    most of it gettext looking for translations); with "" every subcommand, without their arguments
    (``--help``, an unknown command); with None, everything."""
    parser = argparse.ArgumentParser(prog="kubenotes", description="Kubernetes Field Notes tools.")
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        if command and command != name:
            continue
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(module_name=module_name)
        if command in (None, name):
            importlib.import_module(module_name).add_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand (in this process: tests call it); returns the process exit code."""
    return _run(argv)[0]


def entry() -> NoReturn:
    """The console script: :func:`main`, then the exit.

    A subcommand that sets ``QUICK_EXIT`` (it leaves no thread, exit handler or open file behind)
    ends the process at once, without the interpreter freeing every object one by one first:
    ~30 ms of each ``kubenotes validate`` run, for memory the system takes back anyway."""
    code, module = _run(None)
    if getattr(module, "QUICK_EXIT", False):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # closed, or a reader that went away
                stream.flush()
        os._exit(code)
    sys.exit(code)


def _run(argv: Sequence[str] | None) -> tuple[int, ModuleType | None]:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((arg for arg in argv if not arg.startswith("-")), "")
    parser = build_parser(command if command in SUBCOMMANDS else "")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2, None
    module = importlib.import_module(args.module_name)
    return int(module.run(args)), module


if __name__ == "__main__":
    entry()
