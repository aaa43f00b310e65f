"""One page being converted: where it is, and the problems its stages found."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubenotes.problems import Problem, problem

if TYPE_CHECKING:
    from markdown import Markdown

# Unguessable per process, so no line an author writes is taken for one.
RAW_HTML_PREFIX = f"kn-raw-html-{secrets.token_hex(6)}-"


@dataclass
class Page:
    """``src_uri`` is the path under the docs folder; ``display`` how messages name the file.

    ``line_offset`` counts the lines the generator stripped before handing us the text (front matter),
    so every line a stage reports is the line the author sees in the file. ``converter`` is the Markdown
    instance converting the page, set when its conversion begins.
    """

    src_uri: str
    display: str
    line_offset: int = 0
    problems: list[Problem] = field(default_factory=list)
    converter: Markdown | None = None
    raw_blocks: list[str] = field(default_factory=list)

    def line(self, scanned: int) -> int:
        """The file line of a line of the text we were given (1-based; 0 stays 0)."""
        return scanned + self.line_offset if scanned else 0

    def problem(self, line: int, message: str, **details: Any) -> None:
        """Record a problem at a line of the text we were given (``details``: those of
        :func:`kubenotes.problems.problem` — hint, column, object, field, severity)."""
        self.problems.append(problem(self.display, self.line(line), message, **details))

    def raw_html(self, html: str) -> str:
        """A line that stands for finished HTML in the page's Markdown, so no Markdown stage touches it.

        :meth:`stash_raw_html` swaps it for the converter's own placeholder (as superfences does with the
        code blocks it renders) once Python-Markdown has normalised whitespace, which deletes the control
        characters that placeholder is made of."""
        self.raw_blocks.append(html)
        return f"{RAW_HTML_PREFIX}{len(self.raw_blocks) - 1}"

    def stash_raw_html(self, lines: list[str], stash: Callable[[str], str]) -> list[str]:
        """``lines`` with each line from :meth:`raw_html` replaced by ``stash(html)``, at the line's own
        indent (a marker inside an admonition or a tab is indented with its block)."""
        if not self.raw_blocks:
            return lines
        return [self._stashed(line, stash) for line in lines]

    def _stashed(self, line: str, stash: Callable[[str], str]) -> str:
        text = line.lstrip()
        index = text.removeprefix(RAW_HTML_PREFIX)
        if index == text or not index.isdigit():
            return line
        return line[: len(line) - len(text)] + stash(self.raw_blocks[int(index)])

    def report(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def front_matter_lines(file_text: str, markdown: str) -> int:
    """How many lines of ``file_text`` come before ``markdown`` (0 when it is not a suffix of the file)."""
    body = markdown.rstrip("\n")
    stripped = file_text.rstrip("\n")
    if not body or not stripped.endswith(body):
        return 0
    return stripped[: len(stripped) - len(body)].count("\n")
