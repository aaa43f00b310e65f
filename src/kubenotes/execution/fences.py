"""Find executable shell fences in a page's Markdown, with their line numbers.

markdown-exec hands its formatter only the block's text, not where it came from; the hook scans
the page first so every message can name ``docs/page.md:LINE``. The scan also finds the sample
output an author placed after a block ("The output is similar to:" and a fence), which a live
build replaces with the real output.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

LANGUAGES = ("bash", "sh", "console")
FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w-]*)(?P<attrs>.*)$")
ATTRIBUTE = re.compile(r"""(?P<name>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+))""")
SAMPLE_INTRO = "The output is similar to:"
FALSE_VALUES = frozenset({"", "no", "off", "false", "0"})


@dataclass(frozen=True)
class Fence:
    """An executable fence: language, attributes, body (dedented) and its opening line (1-based).

    ``sample`` is the 0-based line range [start, end) of the author's sample output after it, if any.
    """

    language: str
    attributes: dict[str, str]
    body: str
    line: int
    sample: tuple[int, int] | None


def scan(markdown: str) -> list[Fence]:
    """Every top-level ``bash``/``sh``/``console`` fence with ``exec`` on, in page order."""
    lines = markdown.split("\n")
    fences: list[Fence] = []
    index = 0
    while index < len(lines):
        opening = FENCE_OPEN.match(lines[index])
        if not opening:
            index += 1
            continue
        close = _closing_line(lines, index, opening)
        attributes = {m["name"]: m["dq"] or m["sq"] or m["bare"] or ""
                      for m in ATTRIBUTE.finditer(opening["attrs"])}
        if opening["lang"] in LANGUAGES and attributes.get("exec", "").lower() not in FALSE_VALUES:
            body = textwrap.dedent("\n".join(lines[index + 1:close]))
            fences.append(Fence(opening["lang"], attributes, body, index + 1, _sample_after(lines, close)))
        index = close + 1
    return fences


def drop_samples(markdown: str, fences: list[Fence], replaced: Callable[[Fence], bool]) -> str:
    """``markdown`` without the sample output of the fences whose real output replaces it (live builds)."""
    lines = markdown.split("\n")
    for fence in reversed(fences):  # bottom-up, so earlier line numbers stay valid
        if fence.sample and replaced(fence):
            del lines[fence.sample[0]:fence.sample[1]]
    return "\n".join(lines)


def same_body(fence_body: str, code: str) -> bool:
    """Whether a scanned body is the code markdown-exec passed (it strips the fence's indentation)."""
    return fence_body.strip("\n") == textwrap.dedent(code).strip("\n")


def _closing_line(lines: list[str], start: int, opening: re.Match[str]) -> int:
    marker = opening["fence"]
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
            return index
    return len(lines) - 1


def _sample_after(lines: list[str], close: int) -> tuple[int, int] | None:
    """The "similar to" sentence and the fence after it, when they directly follow the block."""
    index = _skip_blank(lines, close + 1)
    if index >= len(lines) or lines[index].strip() != SAMPLE_INTRO:
        return None
    fence_start = _skip_blank(lines, index + 1)
    opening = FENCE_OPEN.match(lines[fence_start]) if fence_start < len(lines) else None
    if not opening:
        return None
    return index, _closing_line(lines, fence_start, opening) + 1


def _skip_blank(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index
