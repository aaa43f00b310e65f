"""JUnit XML: one test suite per file, one test case per object (failure: invalid, error: could not be
checked, skipped: not a Kubernetes object), its Pod Security level as a property. CI systems that read
JUnit (GitLab, Jenkins, test reporters) then list each manifest like a test."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO
from xml.sax.saxutils import escape, quoteattr

from kubenotes.manifests.findings import ObjectResult
from kubenotes.manifests.output.text import pod_security_note

if TYPE_CHECKING:
    from kubenotes.manifests.output import RunInfo

# XML 1.0 cannot hold these at all, not even escaped (they may come from a binary file's bytes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write(results: Iterable[ObjectResult], info: RunInfo, out: TextIO) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f"<testsuites name={_attr('kubenotes validate ' + ' '.join(info.versions))}>\n")
    current: str | None = None
    cases: list[str] = []
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in results:
        if result.path != current:
            _suite(out, current, cases, counts)
            current, cases, counts = result.path, [], dict.fromkeys(counts, 0)
        cases.append(_case(result, counts))
    _suite(out, current, cases, counts)
    out.write("</testsuites>\n")


def _suite(out: TextIO, path: str | None, cases: list[str], counts: dict[str, int]) -> None:
    if path is None:
        return
    attributes = " ".join(f'{key}="{value}"' for key, value in counts.items())
    out.write(f"  <testsuite name={_attr(path)} {attributes}>\n{''.join(cases)}  </testsuite>\n")


def _case(result: ObjectResult, counts: dict[str, int]) -> str:
    counts["tests"] += 1
    name = result.object or f"document at line {result.line}"
    head = (
        f"    <testcase name={_attr(name)} classname={_attr(result.path)} file={_attr(result.path)} "
        f'line="{result.line}"'
    )
    body = []
    if result.pod_security:
        level = f'<property name="pod-security" value={_attr(result.pod_security.level)}/>'
        note = pod_security_note(result)
        fails = f'<property name="pod-security-note" value={_attr(note)}/>' if "(" in note else ""
        body.append(f"      <properties>{level}{fails}</properties>\n")
    details = "\n".join(finding.format() for finding in result.findings)
    if result.status == "invalid":
        counts["failures"] += 1
        body.append(
            f'      <failure message={_attr(_first_error(result))} type="invalid">'
            f"{_text(details)}</failure>\n"
        )
    elif result.status == "error":
        counts["errors"] += 1
        body.append(
            f'      <error message={_attr(_first_error(result))} type="error">{_text(details)}</error>\n'
        )
    elif result.status == "skipped":
        counts["skipped"] += 1
        body.append(f"      <skipped message={_attr(result.note)}/>\n")
    elif details:  # valid, with warnings
        body.append(f"      <system-out>{_text(details)}</system-out>\n")
    return f"{head}/>\n" if not body else f"{head}>\n{''.join(body)}    </testcase>\n"


def _first_error(result: ObjectResult) -> str:
    errors = [f for f in result.findings if f.is_error]
    return (errors[0].message if errors else result.note) or result.status


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value))


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))
