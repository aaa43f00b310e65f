"""Machine output: one JSON document (every object's verdict, findings and Pod Security level, then the
counts), written object by object."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from kubenotes.manifests.findings import ObjectResult

if TYPE_CHECKING:
    from kubenotes.manifests.output import RunInfo


def write(results: Iterable[ObjectResult], info: RunInfo, out: TextIO) -> None:
    out.write('{\n  "versions": ' + json.dumps(list(info.versions)) + ',\n  "objects": [')
    separator = "\n"
    for result in results:
        body = json.dumps(result.to_dict(), indent=2).replace("\n", "\n    ")
        out.write(f"{separator}    {body}")
        separator = ",\n"
    tally = info.tally
    summary = {
        "objects": sum(tally.statuses.values()) - tally.statuses["skipped"],
        "files": tally.files,
        "valid": tally.statuses["valid"],
        "invalid": tally.statuses["invalid"],
        "errors": tally.statuses["error"],
        "skipped": tally.statuses["skipped"],
        "pod_security": dict(tally.levels),
    }
    out.write('\n  ],\n  "summary": ' + json.dumps(summary) + "\n}\n")
