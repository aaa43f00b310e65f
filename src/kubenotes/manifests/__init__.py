"""Manifest validation: every Kubernetes object the site shows, checked strictly and offline.

Public API (stable; the kubectl runner and the build hook depend on it):

- :func:`validate_text` — the findings for one piece of YAML text (a file, a page block, kubectl output).
- :func:`validate_paths` — a whole :class:`Report` for files and folders (what ``kubenotes validate`` runs).
- :class:`Finding`, :class:`ObjectResult`, :class:`Report`, :data:`TARGET_VERSION`.

Stages, as kubeconform splits them: ``sources`` -> ``loader`` -> ``registry``/``crds`` ->
``validator`` -> ``output``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from kubenotes.manifests.engine import validate_sources
from kubenotes.manifests.findings import Finding, ObjectResult, Report
from kubenotes.manifests.sources import Source, SourceError, collect
from kubenotes.manifests.versions import TARGET_VERSION, supported_versions


def validate_text(text: str, origin: str, first_line: int = 1) -> list[Finding]:
    """Findings (errors and warnings) for the objects in ``text``; lines count from ``first_line``."""
    return validate_sources([Source(text, origin, first_line)]).findings


def validate_paths(paths: Iterable[Path], *, version: str = TARGET_VERSION, matrix: Sequence[str] = (),
                   skip_kinds: Iterable[str] = (), display_root: Path | None = None) -> Report:
    """Validate every YAML file and Markdown manifest block under ``paths``; raises SourceError on I/O."""
    sources = collect(paths, display_root=display_root)
    return validate_sources(sources, version=version, matrix=matrix, skip_kinds=skip_kinds)


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
