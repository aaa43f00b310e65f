"""What validation says about a manifest: findings (one problem each) and per-object verdicts.

Kept free of any validation logic so every stage (loader, validator, output, cache) can share it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from kubenotes.manifests.podsecurity import LEVELS, PodSecurity
from kubenotes.problems import Problem

# valid: passed every check; invalid: the schema or a house check rejected it; error: it could not be
# checked at all (YAML syntax, no schema, unknown CRD); skipped: not a Kubernetes object (kustomize).
Status = Literal["valid", "invalid", "error", "skipped"]


# A finding is the engine-wide located problem (kubenotes.problems), so every report has one shape.
Finding = Problem


class ObjectResult:
    """The verdict on one Kubernetes object (or one document that should have been one).

    A plain class (the validator's start-up imports no ``dataclasses``, see kubenotes.problems);
    equal when every field is."""

    def __init__(
        self,
        path: str,
        line: int,
        object: str,
        status: Status,
        findings: list[Finding] | None = None,
        valid_versions: tuple[str, str] | None = None,
        note: str = "",
        pod_security: PodSecurity | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.object = object
        self.status = status
        self.findings: list[Finding] = findings if findings is not None else []
        # Matrix mode: the lowest and highest checked Kubernetes version the object is valid on.
        self.valid_versions = valid_versions
        # Why an object was skipped (kustomize file, kind skipped on request).
        self.note = note
        # Objects with a Pod template (Pod, Deployment, CronJob, ...): the Pod Security Standards level
        # its template meets on the target version, and what fails the stricter levels. None otherwise.
        self.pod_security = pod_security

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ObjectResult) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  # mutable: no hash, as a dataclass has none

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"ObjectResult({fields})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "object": self.object,
            "status": self.status,
            "findings": [finding.to_dict() for finding in self.findings],
            "valid_versions": list(self.valid_versions) if self.valid_versions else None,
            "note": self.note,
            "pod_security": self.pod_security.to_dict() if self.pod_security else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ObjectResult:
        """The inverse of :meth:`to_dict` (the verdict cache stores results as JSON)."""
        versions = data["valid_versions"]
        pod_security = data.get("pod_security")
        return cls(
            data["path"],
            data["line"],
            data["object"],
            data["status"],
            [Finding(**finding) for finding in data["findings"]],
            tuple(versions) if versions else None,
            data["note"],
            PodSecurity.from_dict(pod_security) if pod_security else None,
        )


class Tally:
    """The counts of one run, kept as results stream past (a huge run holds no list of results)."""

    def __init__(self, files: int = 0) -> None:
        self.files = files
        self.statuses: Counter[str] = Counter()
        self.levels: Counter[str] = Counter()  # Pod Security level -> objects

    def add(self, result: ObjectResult) -> None:
        self.statuses[result.status] += 1
        if result.pod_security:
            self.levels[result.pod_security.level] += 1

    @property
    def ok(self) -> bool:
        return self.statuses["invalid"] == 0 and self.statuses["error"] == 0

    def summary(self) -> str:
        objects = sum(self.statuses.values()) - self.statuses["skipped"]
        line = (
            f"{objects} objects in {self.files} files: {self.statuses['valid']} valid, "
            f"{self.statuses['invalid']} invalid, {self.statuses['error']} errors"
        )
        skipped = self.statuses["skipped"]
        return f"{line}, {skipped} skipped" if skipped else line

    def levels_line(self, version: str) -> str:
        """``Pod Security (Kubernetes 1.37): 4 restricted, 2 baseline`` (empty: no workloads)."""
        if not self.levels:
            return ""
        counts = ", ".join(
            f"{self.levels[level]} {level}" for level in reversed(LEVELS) if self.levels[level]
        )
        return f"Pod Security (Kubernetes {version}): {counts}"


class Report:
    """Everything one run found, in the order the inputs were given."""

    def __init__(self, versions: tuple[str, ...] = ()) -> None:
        self.results: list[ObjectResult] = []
        self.files: set[str] = set()
        self.versions = versions

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.results for finding in result.findings]

    def count(self, status: Status) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def tally(self) -> Tally:
        tally = Tally(files=len(self.files))
        for result in self.results:
            tally.add(result)
        return tally

    @property
    def ok(self) -> bool:
        return self.tally.ok

    def summary(self) -> str:
        return self.tally.summary()
