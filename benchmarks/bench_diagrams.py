"""Diagrams: every picture the site uses rendered cold one at a time and on every core, then warm.

Each pass gets a fresh cache of its own so the project's cache is neither used nor disturbed.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path
from unittest import mock

from table import Row

from kubenotes.diagrams import Report, render_project
from kubenotes.diagrams.manifest_figure import find_markers, manifest_jobs

USE = re.compile(rb'<use xlink:href="#(?P<id>[^"]+)"')
SYMBOL = re.compile(rb'<symbol id="(?P<id>[^"]+)".*?</symbol>', re.S)


def measure(root: Path) -> list[Row]:
    pages = ((str(p.relative_to(root)), p.read_text(encoding="utf-8")) for p in (root / "docs").rglob("*.md"))
    jobs, _ = manifest_jobs(root, find_markers(pages))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as serial_cache, tempfile.TemporaryDirectory() as parallel_cache:
        serial_seconds, serial = _timed(root, jobs, serial_cache, workers=1)
        parallel_seconds, parallel = _timed(root, jobs, parallel_cache, workers=cores)
        warm_seconds, warm = _timed(root, jobs, parallel_cache, workers=cores)
    count = len(serial.rendered)
    name, size, naive = _largest(parallel)
    return [
        Row(
            "diagrams",
            f"cold, serial ({count} pictures)",
            f"{serial_seconds:.2f} s ({1000 * serial_seconds / max(count, 1):.0f} ms each)",
        ),
        Row(
            "diagrams",
            f"cold, parallel ({cores} workers)",
            f"{parallel_seconds:.2f} s ({serial_seconds / parallel_seconds:.2f}x)",
            f"~{cores}x on {cores} cores",
        ),
        Row("diagrams", "warm build: pictures rendered", f"{len(warm.rendered)} of {len(warm.cached)}", "0"),
        Row("diagrams", "warm build: diagrams stage", f"{1000 * warm_seconds:.0f} ms"),
        Row(
            "diagrams",
            f"largest SVG ({name})",
            f"{size / 1024:.0f} KiB ({naive / 1024:.0f} KiB undeduplicated)",
            "< 280 KiB",
        ),
    ]


def _timed(root: Path, jobs: list, cache: str, *, workers: int) -> tuple[float, Report]:
    with mock.patch.dict(os.environ, {"KUBENOTES_CACHE_DIR": cache}):
        started = time.perf_counter()
        report = render_project(root, extra_jobs=jobs, workers=workers)
        return time.perf_counter() - started, report


def _largest(report: Report) -> tuple[str, int, int]:
    """The biggest SVG, its size, and its size had every use carried its own icon copy."""
    name, svg = max(report.images.items(), key=lambda item: len(item[1]))
    symbol_sizes = {m["id"]: len(m[0]) for m in SYMBOL.finditer(svg)}
    naive = len(svg) + sum(symbol_sizes[m["id"]] for m in USE.finditer(svg)) - sum(symbol_sizes.values())
    return name, len(svg), naive
