"""``kubenotes unused``: the snippets and diagram scripts no page uses (FastAPI keeps a command like it).

A snippet is used when a page shows it (``kn:manifest``), draws it (``kn:manifest-diagram``), includes it
(``--8<--``) or an executed fence reads it (``kubectl apply -f``, ``kubectl kustomize DIR``, a glob). A
diagram script is used when a page shows its picture. Unused ones are still validated and published, so
they are worth removing or linking. Exit 1 when anything is unused, 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from kubenotes.project import Project

INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+["']([^"':]+)""", re.MULTILINE)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print nothing, only set the exit code")


def run(args: argparse.Namespace) -> int:
    from kubenotes.project import ProjectError

    try:
        project = Project.find()
    except ProjectError as error:
        print(f"kubenotes unused: {error}", file=sys.stderr)
        return 2
    found = unused_snippets(project) + unused_diagrams(project)
    if not args.quiet:
        for path in found:
            print(f"{project.display(path)}: no page uses it")
        print(f"unused: {len(found)}")
    return 1 if found else 0


def unused_snippets(project: Project) -> list[Path]:
    from kubenotes.execution.cache import files_read
    from kubenotes.execution.commands import CommandError, parse_block
    from kubenotes.execution.options import LANGUAGES
    from kubenotes.manifests.site import snippet_files
    from kubenotes.markers import scan

    used: set[Path] = set()
    for _, page in project.pages():
        text = page.read_text(encoding="utf-8")
        page_scan = scan(text)
        used.update(project.snippets_dir / m.args for m in page_scan.markers if m.args)
        used.update(project.snippets_dir / name for name in INCLUDE.findall(text))
        for fence in page_scan.fences:
            if fence.language not in LANGUAGES:
                continue
            try:
                words = parse_block(fence.body).words
            except CommandError:
                continue
            for path in files_read(words, project.root):
                used.update([path, *path.rglob("*")] if path.is_dir() else [path])
    resolved = {path.resolve() for path in used}
    return [path for path in snippet_files(project.snippets_dir) if path.resolve() not in resolved]


def unused_diagrams(project: Project) -> list[Path]:
    from kubenotes.diagrams.engine import SITE_DIR
    from kubenotes.diagrams.sources import find_scripts

    pages = "\n".join(path.read_text(encoding="utf-8") for _, path in project.pages())
    return [
        script
        for script in find_scripts(project.diagrams_dir)
        if f"{SITE_DIR}/{script.stem}.svg" not in pages
    ]
