"""Human output: one ``path:line:col: Kind/name: field.path: message`` line per finding, a note for each
workload below the restricted Pod Security level, then the levels and the summary line."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, TextIO

from kubenotes.manifests.findings import ObjectResult
from kubenotes.manifests.loader import format_path
from kubenotes.manifests.podsecurity import PodSecurity

if TYPE_CHECKING:
    from kubenotes.manifests.output import RunInfo


def write(results: Iterable[ObjectResult], info: RunInfo, out: TextIO) -> None:
    for result in results:
        for finding in result.findings:
            out.write(finding.format() + "\n")
        where = f"{result.path}:{result.line}:1: {result.object or '-'}"
        if result.status == "skipped":
            out.write(f"{where}: -: skipped: {result.note}\n")
            continue
        if len(info.versions) > 1:
            out.write(f"{where}: valid on Kubernetes {_range(result.valid_versions)}\n")
        security = result.pod_security
        if security and (info.verbose or security.level != "restricted"):
            out.write(f"{where}: pod security: {pod_security_note(result)}\n")
        elif info.verbose:
            out.write(f"{where}: {result.status}\n")
    if line := info.tally.levels_line(info.versions[0]):
        out.write(line + "\n")
    out.write(info.tally.summary() + "\n")


def pod_security_note(result: ObjectResult) -> str:
    """``baseline (restricted fails: runAsNonRoot at spec.securityContext.runAsNonRoot, ...)``."""
    assert result.pod_security is not None
    return _note(result.pod_security)


@lru_cache(maxsize=1024)
def _note(security: PodSecurity) -> str:
    if security.level == "restricted":
        return "restricted"
    stricter = "baseline" if security.level == "privileged" else "restricted"
    reasons = ", ".join(f"{v.check} at {format_path(v.fields[0])}" for v in security.failures(stricter))
    return f"{security.level} ({stricter} fails: {reasons})"


def _range(versions: tuple[str, str] | None) -> str:
    if versions is None:
        return "none of the versions checked"
    low, high = versions
    return low if low == high else f"{low} to {high}"
