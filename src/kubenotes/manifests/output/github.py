"""GitHub Actions output: workflow commands, so each problem is an annotation on its line of the pull
request (``::error file=...,line=...::message``), and a notice on each workload below restricted."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from kubenotes.manifests.findings import Finding, ObjectResult
from kubenotes.manifests.output.text import pod_security_note

if TYPE_CHECKING:
    from kubenotes.manifests.output import RunInfo


def write(results: Iterable[ObjectResult], info: RunInfo, out: TextIO) -> None:
    for result in results:
        for finding in result.findings:
            out.write(annotation(finding) + "\n")
        security = result.pod_security
        if security and security.level != "restricted":
            properties = {
                "file": result.path,
                "line": str(result.line),
                "title": f"Pod Security: {security.level}",
            }
            out.write(command("notice", properties, f"{result.object}: {pod_security_note(result)}") + "\n")
    if line := info.tally.levels_line(info.versions[0]):
        out.write(line + "\n")
    out.write(info.tally.summary() + "\n")


def annotation(finding: Finding) -> str:
    """One ``::error``/``::warning`` command for a finding, at its file, line and column."""
    properties = {"file": finding.path}
    if finding.line:
        properties["line"] = str(finding.line)
        if finding.column:
            properties["col"] = str(finding.column)
    properties["title"] = (
        f"{finding.object or 'manifest'}: {finding.field}"
        if finding.field
        else (finding.object or "manifest")
    )
    message = f"{finding.message} — {finding.hint}" if finding.hint else finding.message
    return command(finding.severity, properties, message)


def command(name: str, properties: dict[str, str], message: str) -> str:
    """A workflow command with GitHub's escaping (``%``, CR, LF; also ``:`` and ``,`` in properties)."""
    fields = ",".join(f"{key}={_escape(value, property_value=True)}" for key, value in properties.items())
    return f"::{name} {fields}::{_escape(message)}"


def _escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text
