"""Diagrams: every picture the site uses rendered cold one at a time and on every core, then warm.

Each pass gets a fresh cache of its own so the project's cache is neither used nor disturbed.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from table import Row

from kubenotes.cache import CacheStore
from kubenotes.diagrams.engine import render_project
from kubenotes.diagrams.manifest_figure import find_markers, manifest_jobs
from kubenotes.diagrams.render import Job, Report
from kubenotes.project import Project

USE = re.compile(rb'<use xlink:href="#(?P<id>[^"]+)"')
SYMBOL = re.compile(rb'<symbol id="(?P<id>[^"]+)".*?</symbol>', re.S)


def measure(root: Path) -> list[Row]:
    project = Project.from_settings(root)
    jobs, _, problems = manifest_jobs(project, find_markers(project))
    if problems:
        raise SystemExit("\n".join(problem.format() for problem in problems))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as serial_cache, tempfile.TemporaryDirectory() as parallel_cache:
        serial_seconds, serial = _timed(project, jobs, serial_cache, workers=1)
        parallel_seconds, parallel = _timed(project, jobs, parallel_cache, workers=cores)
        warm_seconds, warm = _timed(project, jobs, parallel_cache, workers=cores)
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


def _timed(project: Project, jobs: list[Job], cache: str, *, workers: int) -> tuple[float, Report]:
    started = time.perf_counter()
    report = render_project(project, CacheStore(Path(cache)), extra_jobs=jobs, workers=workers)
    return time.perf_counter() - started, report


def _largest(report: Report) -> tuple[str, int, int]:
    """The biggest SVG, its size, and its size had every use carried its own icon copy."""
    name, svg = max(report.images.items(), key=lambda item: len(item[1]))
    symbol_sizes = {m["id"]: len(m[0]) for m in SYMBOL.finditer(svg)}
    naive = len(svg) + sum(symbol_sizes[m["id"]] for m in USE.finditer(svg)) - sum(symbol_sizes.values())
    return name, len(svg), naive
