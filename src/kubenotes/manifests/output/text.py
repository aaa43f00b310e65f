"""Human output: one ``path:line:col: Kind/name: field.path: message`` line per finding, then a summary."""

from __future__ import annotations

from kubenotes.manifests.findings import Report


def render(report: Report) -> str:
    lines = [finding.format() for finding in report.findings]
    lines += [f"{result.path}:{result.line}:1: {result.object or '-'}: -: skipped: {result.note}"
              for result in report.results if result.status == "skipped"]
    lines += [f"{result.path}:{result.line}:1: {result.object}: valid on Kubernetes "
              f"{_range(result.valid_versions)}" for result in report.results
              if len(report.versions) > 1 and result.status != "skipped"]
    lines.append(report.summary())
    return "\n".join(lines)


def _range(versions: tuple[str, str] | None) -> str:
    if versions is None:
        return "none of the versions checked"
    low, high = versions
    return low if low == high else f"{low} to {high}"
