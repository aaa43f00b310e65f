"""Machine output: the whole report as one JSON document (findings, per-object verdicts, summary)."""

from __future__ import annotations

import json

from kubenotes.manifests.findings import Report


def render(report: Report) -> str:
    document = {
        "versions": list(report.versions),
        "summary": {
            "objects": len(report.results) - report.count("skipped"),
            "files": len(report.files),
            "valid": report.count("valid"),
            "invalid": report.count("invalid"),
            "errors": report.count("error"),
            "skipped": report.count("skipped"),
        },
        "objects": [result.to_dict() for result in report.results],
    }
    return json.dumps(document, indent=2)
