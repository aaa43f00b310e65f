"""What validation says about a manifest: findings (one problem each) and per-object verdicts.

Kept free of any validation logic so every stage (loader, validator, output, cache) can share it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from kubenotes.problems import Problem

# valid: passed every check; invalid: the schema or a house check rejected it; error: it could not be
# checked at all (YAML syntax, no schema, unknown CRD); skipped: not a Kubernetes object (kustomize).
Status = Literal["valid", "invalid", "error", "skipped"]


# A finding is the engine-wide located problem (kubenotes.problems), so every report has one shape.
Finding = Problem


@dataclass
class ObjectResult:
    """The verdict on one Kubernetes object (or one document that should have been one)."""

    path: str
    line: int
    object: str
    status: Status
    findings: list[Finding] = field(default_factory=list)
    # Matrix mode: the lowest and highest checked Kubernetes version the object is valid on.
    valid_versions: tuple[str, str] | None = None
    # Why an object was skipped (kustomize file, kind skipped on request).
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["valid_versions"] = list(self.valid_versions) if self.valid_versions else None
        return data


@dataclass
class Report:
    """Everything one run found, in the order the inputs were given."""

    results: list[ObjectResult] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    versions: tuple[str, ...] = ()

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.results for finding in result.findings]

    def count(self, status: Status) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def ok(self) -> bool:
        return self.count("invalid") == 0 and self.count("error") == 0

    def summary(self) -> str:
        objects = len(self.results) - self.count("skipped")
        line = (f"{objects} objects in {len(self.files)} files: {self.count('valid')} valid, "
                f"{self.count('invalid')} invalid, {self.count('error')} errors")
        skipped = self.count("skipped")
        return f"{line}, {skipped} skipped" if skipped else line
