"""One page being converted: where it is, and the problems its stages found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubenotes.problems import Problem, problem


@dataclass
class Page:
    """``src_uri`` is the path under the docs folder; ``display`` how messages name the file.

    ``line_offset`` counts the lines the generator stripped before handing us the text (front matter),
    so every line a stage reports is the line the author sees in the file.
    """

    src_uri: str
    display: str
    line_offset: int = 0
    problems: list[Problem] = field(default_factory=list)

    def line(self, scanned: int) -> int:
        """The file line of a line of the text we were given (1-based; 0 stays 0)."""
        return scanned + self.line_offset if scanned else 0

    def problem(self, line: int, message: str, **details: Any) -> None:
        """Record a problem at a line of the text we were given (``details``: those of
        :func:`kubenotes.problems.problem` — hint, column, object, field, severity)."""
        self.problems.append(problem(self.display, self.line(line), message, **details))

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
