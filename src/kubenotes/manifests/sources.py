"""Where manifests come from: YAML files in any folder, and YAML fences in Markdown pages.

A Markdown fence counts as a manifest when a top-level ``apiVersion:`` or ``kind:`` line is in it;
fragments (a ``containers:`` excerpt) are left alone. Blocks keep their page line numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Folders that never hold a user's manifests but can be huge.
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".cache", "site"}

_FENCE_OPEN = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(?P<lang>yaml|yml)\b(?P<rest>.*)$")
_MANIFEST_LINE = re.compile(r"^(apiVersion|kind)[ \t]*:", re.MULTILINE)


@dataclass(frozen=True)
class Source:
    """A piece of YAML text, where it came from and where it starts in that file."""

    text: str
    origin: str  # the file shown in messages (the page, for Markdown blocks)
    first_line: int = 1
    column_offset: int = 0


class SourceError(OSError):
    """A path that cannot be read: missing, unreadable or not UTF-8 (exit code 2)."""


def collect(paths: Iterable[Path], *, display_root: Path | None = None) -> list[Source]:
    """Every manifest source under ``paths`` (files or folders), in a stable order."""
    sources: list[Source] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder")
        files = [path] if path.is_file() else sorted(_walk(path))
        for file in files:
            sources.extend(from_file(file, _display(file, display_root)))
    return sources


def from_file(file: Path, origin: str) -> list[Source]:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{origin}: cannot read: {exc}") from exc
    if file.suffix.lower() in MARKDOWN_SUFFIXES:
        return list(markdown_blocks(text, origin))
    return [Source(text, origin)]


def markdown_blocks(markdown: str, origin: str) -> Iterator[Source]:
    """YAML fences in a page that hold Kubernetes objects, with the page line of their first line."""
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE_OPEN.match(lines[index])
        index += 1
        if not opening:
            continue
        indent, fence = opening["indent"], opening["fence"]
        start = index
        while index < len(lines) and not _closes(lines[index], fence):
            index += 1
        body = "\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip()
                         for line in lines[start:index])
        index += 1
        if _MANIFEST_LINE.search(body):
            yield Source(body + "\n", origin, first_line=start + 1, column_offset=len(indent))


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}


def _walk(folder: Path) -> Iterator[Path]:
    for child in folder.iterdir():
        if child.is_dir():
            if child.name not in _SKIP_DIRS and not child.name.startswith("."):
                yield from _walk(child)
        elif child.suffix.lower() in YAML_SUFFIXES + MARKDOWN_SUFFIXES:
            yield child


def _display(file: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return file.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return file.as_posix()
