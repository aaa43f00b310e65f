"""The whole diagrams stage for one project: find the scripts, turn them into jobs, render, report.

Settings come from the environment so the MkDocs hook, the CLI and tests share them:
``KUBENOTES_DIAGRAM_TIMEOUT`` (seconds per picture, default 60) and ``KUBENOTES_DIAGRAM_JOBS``
(renders at once, default one per core).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kubenotes.diagrams.cache import diagrams_cache
from kubenotes.diagrams.render import DEFAULT_TIMEOUT, DiagramError, Job, Report, render_jobs
from kubenotes.diagrams.sources import NAME, find_scripts, script_key

DOCS_DIR = "docs"
SCRIPTS_DIR = "diagrams"
SITE_DIR = "assets/diagrams"  # pages link to assets/diagrams/<name>.svg


def timeout_from_env() -> float:
    """Seconds one picture may take (``KUBENOTES_DIAGRAM_TIMEOUT``)."""
    return float(os.environ.get("KUBENOTES_DIAGRAM_TIMEOUT", DEFAULT_TIMEOUT))


def workers_from_env() -> int | None:
    """Renders run at once (``KUBENOTES_DIAGRAM_JOBS``); None means one per core."""
    value = os.environ.get("KUBENOTES_DIAGRAM_JOBS")
    return int(value) if value else None


def script_jobs(root: Path) -> tuple[list[Job], list[DiagramError]]:
    """A job per script in ``diagrams/``, and an error for each script whose name cannot be a URL."""
    jobs: list[Job] = []
    errors: list[DiagramError] = []
    for script in find_scripts(root / SCRIPTS_DIR):
        display = f"{SCRIPTS_DIR}/{script.name}"
        if not NAME.fullmatch(script.stem):
            errors.append(DiagramError(display, None, "name the script in lower-case letters, digits and "
                                       "hyphens: its name becomes the image URL"))
            continue
        jobs.append(Job(name=script.stem, key=script_key(script), argv=(sys.executable, str(script)),
                        output_stem=script.stem, source=script, display=display))
    return jobs, errors


def render_project(root: Path, *, extra_jobs: Sequence[Job] = (), names: Sequence[str] = (),
                   force: bool = False, workers: int | None = None,
                   timeout: float | None = None) -> Report:
    """Render (or fetch from the cache) every diagram script of ``root`` plus ``extra_jobs``.

    ``names`` narrows the run to those pictures (``cluster-architecture``, ``manifests/workloads/web-app``).
    """
    jobs, errors = script_jobs(root)
    jobs += extra_jobs
    if names:
        known = {job.name for job in jobs}
        errors += [DiagramError(name, None, "no such diagram (see `kubenotes diagrams --list`)")
                   for name in names if name not in known]
        jobs = [job for job in jobs if job.name in names]
    report = render_jobs(jobs, diagrams_cache(root),
                         workers=workers if workers is not None else workers_from_env(),
                         timeout=timeout if timeout is not None else timeout_from_env(), force=force)
    report.errors[:0] = errors
    return report
