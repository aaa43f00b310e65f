"""The one located problem every engine stage reports: a file, a place in it, what is wrong, what to do.

Manifest findings, diagram failures, executed-block failures, marker typos and settings errors are all
a :class:`Problem`, so every report (build log, CLI text, JSON, CI annotations) has one shape:
``path:line:col: Kind/name: field: message — what to do`` (a problem with neither object nor field,
a broken diagram script say, leaves both out rather than printing ``-: -:``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    """One problem at one place. ``line``/``column`` are 1-based, 0 when the whole file is meant.

    A named tuple, not a dataclass: the validator's start-up imports no ``dataclasses`` (its import and
    each decorator's generated code cost ~25% of a one-file ``kubenotes validate``)."""

    severity: Severity
    path: str
    line: int
    column: int
    object: str  # Kind/name of the Kubernetes object, when there is one
    field: str  # field path inside it (spec.replicas), or the marker/setting concerned
    message: str
    hint: str = ""  # what to do about it

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        prefix = "" if self.severity == "error" else "warning: "
        subject = f"{self.object or '-'}: {self.field or '-'}: " if self.object or self.field else ""
        text = f"{where}: {subject}{prefix}{self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def problem(
    path: str,
    line: int,
    message: str,
    *,
    hint: str = "",
    column: int = 0,
    object: str = "",
    field: str = "",
    severity: Severity = "error",
) -> Problem:
    """Keyword-friendly constructor for stages that have no object or field to name."""
    return Problem(severity, path, line, column, object, field, message, hint)


class ProblemsFound(Exception):
    """Raised where a build must stop; carries every problem so the caller can report them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
