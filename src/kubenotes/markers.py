"""The one reader of a page's structure: its code fences and its ``<!-- kn:NAME ARGS -->`` markers.

Every engine stage that looks at page text uses this scan, so they agree on what is code and what is a
marker: a marker inside a code fence or an inline code span is text an author is showing, not a marker.
Lines are the author's (1-based, counted before any other expansion), so messages point where they typed.
Stages change a page only through :class:`Edit` (replace a range of lines), applied together at the end,
so no stage sees another's output and no line number shifts under another stage.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
INFO_LANGUAGE = re.compile(r"^\{?\s*\.?(?P<lang>[\w+-]*)")
ATTRIBUTE = re.compile(r"""(?P<name>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+))""")
MARKER = re.compile(r"<!--\s*kn:(?P<name>[\w-]+)(?P<args>.*?)\s*-->")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


@dataclass(frozen=True)
class Marker:
    """One marker: its name, argument text, 1-based line, and whether it has its line to itself."""

    name: str
    args: str
    line: int
    alone: bool
    indent: str = ""


@dataclass(frozen=True)
class Fence:
    """A fenced code block: opening line (1-based), closing line, language, attributes, dedented body."""

    language: str
    attributes: dict[str, str]
    info: str
    body: str
    line: int
    close_line: int
    indent: str

    @property
    def body_lines(self) -> range:
        """The 1-based page lines of the body."""
        return range(self.line + 1, self.close_line)


@dataclass(frozen=True)
class PageScan:
    """What :func:`scan` found: the page's lines, its fences and its markers, in page order."""

    lines: list[str]
    fences: list[Fence] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)


@dataclass(frozen=True)
class Edit:
    """Replace the 1-based page lines ``first``..``last`` (inclusive) with ``text`` (may be empty)."""

    first: int
    last: int
    text: str

    @classmethod
    def line(cls, number: int, text: str) -> Edit:
        return cls(number, number, text)


class EditConflict(ValueError):
    """Two stages tried to change the same lines (an engine bug, not an author's)."""


def scan(markdown: str) -> PageScan:
    """Fences and markers of ``markdown``; an unclosed fence runs to the end of the page."""
    lines = markdown.split("\n")
    result = PageScan(lines)
    index = 0
    while index < len(lines):
        opening = FENCE_OPEN.match(lines[index])
        if opening and not (opening["fence"][0] == "`" and "`" in opening["info"]):
            close = _closing_line(lines, index, opening["fence"])
            result.fences.append(_fence(lines, index, close, opening))
            index = close + 1
            continue
        result.markers.extend(_markers_in(lines[index], index + 1))
        index += 1
    return result


def apply_edits(markdown: str, edits: Iterable[Edit]) -> str:
    """``markdown`` with every edit made; raises EditConflict when two edits overlap."""
    lines = markdown.split("\n")
    ordered = sorted(edits, key=lambda edit: edit.first, reverse=True)
    for later, earlier in itertools.pairwise(ordered):
        if earlier.last >= later.first:
            raise EditConflict(f"lines {earlier.first}-{earlier.last} and {later.first}-{later.last} overlap")
    for edit in ordered:
        lines[edit.first - 1 : edit.last] = edit.text.split("\n") if edit.text else []
    return "\n".join(lines)


def attributes_of(info: str) -> dict[str, str]:
    """``key="value"`` pairs of a fence's info string."""
    return {
        m["name"]: m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
        for m in ATTRIBUTE.finditer(info)
    }


def _fence(lines: list[str], start: int, close: int, opening: re.Match[str]) -> Fence:
    info = opening["info"].strip()
    language = INFO_LANGUAGE.match(info)
    body = textwrap.dedent("\n".join(_unindent(line, opening["indent"]) for line in lines[start + 1 : close]))
    return Fence(
        language["lang"] if language else "",
        attributes_of(info),
        info,
        body,
        start + 1,
        close + 1,
        opening["indent"],
    )


def _unindent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip()


def _closing_line(lines: list[str], start: int, marker: str) -> int:
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
            return index
    return len(lines) - 1


def _markers_in(line: str, number: int) -> list[Marker]:
    if "kn:" not in line:  # nearly every line: skip the code-span blanking (most of a page scan's cost)
        return []
    visible = CODE_SPAN.sub(lambda m: " " * len(m[0]), line)
    found = list(MARKER.finditer(visible))
    alone = (
        len(found) == 1 and not visible[: found[0].start()].strip() and not visible[found[0].end() :].strip()
    )
    indent = line[: len(line) - len(line.lstrip())]
    return [Marker(m["name"], m["args"].strip(), number, alone, indent) for m in found]
