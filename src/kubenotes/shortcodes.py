"""House shortcodes: ``<!-- kn:NAME ARGS -->`` markers that hooks expand into content.

Each concern's hook expands its own markers; :func:`leftover_markers` lets the last hook fail the
build on any marker nobody expanded, so a typo is an error instead of silently rendering nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MARKER = re.compile(r"<!--\s*kn:(?P<name>[\w-]+)(?P<args>[^>]*?)\s*-->")


@dataclass(frozen=True)
class Shortcode:
    """One marker found in a page: its name, its argument string and its 1-based line."""

    name: str
    args: str
    line: int


def find(markdown: str, name: str | None = None) -> Iterator[Shortcode]:
    """Yield the markers in ``markdown`` (only those called ``name`` when given)."""
    for match in MARKER.finditer(markdown):
        if name is None or match["name"] == name:
            line = markdown.count("\n", 0, match.start()) + 1
            yield Shortcode(match["name"], match["args"].strip(), line)


def expand(markdown: str, name: str, render: Callable[[Shortcode], str]) -> str:
    """Replace every ``name`` marker with what ``render`` returns for it."""

    def replace(match: re.Match[str]) -> str:
        if match["name"] != name:
            return match[0]
        line = markdown.count("\n", 0, match.start()) + 1
        return render(Shortcode(name, match["args"].strip(), line))

    return MARKER.sub(replace, markdown)


def leftover_markers(markdown: str) -> list[Shortcode]:
    """Markers still present after every hook ran: unknown names or typos."""
    return list(find(markdown))
