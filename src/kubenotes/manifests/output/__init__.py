"""Report formats, one small module each, chosen by name (``--format``)."""

from __future__ import annotations

from collections.abc import Callable

from kubenotes.manifests.findings import Report
from kubenotes.manifests.output import json_report, text

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_report.render,
}
