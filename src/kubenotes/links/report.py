"""The text report of a link check: problems first, each with where the link is written, then one line."""

from __future__ import annotations

from kubenotes.links.check import LinkReport, Verdict

HEADINGS = {
    "broken": "Broken external links (the server answered with an error):",
    "unchecked": "External links NOT checked (no verdict: this is not a success):",
}


def render(report: LinkReport) -> str:
    lines: list[str] = []
    for status, heading in HEADINGS.items():
        verdicts = report.with_status(status)
        if verdicts:
            lines += [heading, *(_line(verdict) for verdict in verdicts), ""]
    lines.append(report.summary())
    return "\n".join(lines)


def _line(verdict: Verdict) -> str:
    where = ", ".join(map(str, verdict.places[:3])) + (" ..." if len(verdict.places) > 3 else "")
    return f"  {where}: {verdict.url}: {verdict.detail}"
