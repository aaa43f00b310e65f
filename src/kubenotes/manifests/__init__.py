"""Manifest validation: every Kubernetes object the site shows, checked strictly and offline.

Public API (stable; the kubectl runner and the build hook depend on it):

- :func:`validate_text` — the findings for one piece of YAML text (a file, a page block, kubectl output).
- :func:`validate_paths` — a whole :class:`Report` for files and folders.
- :class:`Finding`, :class:`ObjectResult`, :class:`Report`, :data:`TARGET_VERSION`.

Stages, as kubeconform splits them: ``sources`` -> ``loader`` -> ``registry``/``crds`` ->
``validator`` (+ ``podsecurity``) -> ``output``; ``engine`` runs them. Names load on first use
(PEP 562), so importing one stage (the manifest-drawing subprocess imports only ``loader``) does
not load the schema validator.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubenotes.manifests.findings import Finding, Report

_LAZY = {
    "validate_sources": "kubenotes.manifests.engine",
    "Finding": "kubenotes.manifests.findings",
    "ObjectResult": "kubenotes.manifests.findings",
    "Report": "kubenotes.manifests.findings",
    "Source": "kubenotes.manifests.sources",
    "SourceError": "kubenotes.manifests.sources",
    "TARGET_VERSION": "kubenotes.manifests.versions",
    "supported_versions": "kubenotes.manifests.versions",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def validate_text(text: str, origin: str, first_line: int = 1) -> list[Finding]:
    """Findings (errors and warnings) for the objects in ``text``; lines count from ``first_line``."""
    from kubenotes.manifests.engine import validate_sources
    from kubenotes.manifests.sources import Source

    return validate_sources([Source(text, origin, first_line)]).findings


def validate_paths(
    paths: Iterable[Path | str],
    *,
    version: str | None = None,
    matrix: Sequence[str] = (),
    skip_kinds: Iterable[str] = (),
    display_root: Path | None = None,
    pod_security: str | None = None,
) -> Report:
    """Validate every manifest file and Markdown manifest block under ``paths`` into one Report.

    Raises SourceError when a path does not exist; unreadable files are error results."""
    from kubenotes.manifests.engine import Options, Run
    from kubenotes.manifests.findings import Report
    from kubenotes.manifests.sources import discover
    from kubenotes.manifests.versions import TARGET_VERSION

    target = version or TARGET_VERSION
    options = Options(target, tuple(matrix), frozenset(skip_kinds), pod_security)
    run = Run(discover(paths, display_root=display_root), options, jobs=1)
    report = Report(versions=(target, *[v for v in matrix if v != target]))
    report.results.extend(run)
    report.files.update(run.origins)
    return report


__all__ = [
    "TARGET_VERSION",
    "Finding",
    "ObjectResult",
    "Report",
    "Source",
    "SourceError",
    "supported_versions",
    "validate_paths",
    "validate_sources",
    "validate_text",
]
