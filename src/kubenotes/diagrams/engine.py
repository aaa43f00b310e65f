"""The whole diagrams stage for one project: find the scripts, turn them into jobs, render, report.

Settings come from the environment so the build, the CLI and tests share them:
``KUBENOTES_DIAGRAM_TIMEOUT`` (seconds per picture, default 60) and ``KUBENOTES_DIAGRAM_JOBS``
(renders at once, default one per core).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from kubenotes.cache import CacheStore
from kubenotes.diagrams.render import DEFAULT_TIMEOUT, Job, Report, render_jobs
from kubenotes.diagrams.sources import NAME, find_scripts, script_key
from kubenotes.problems import Problem, problem
from kubenotes.project import Project

SITE_DIR = "assets/diagrams"  # pages link to assets/diagrams/<name>.svg


def timeout_from_env() -> float:
    """Seconds one picture may take (``KUBENOTES_DIAGRAM_TIMEOUT``)."""
    return float(os.environ.get("KUBENOTES_DIAGRAM_TIMEOUT", DEFAULT_TIMEOUT))


def workers_from_env() -> int | None:
    """Renders run at once (``KUBENOTES_DIAGRAM_JOBS``); None means one per core."""
    value = os.environ.get("KUBENOTES_DIAGRAM_JOBS")
    return int(value) if value else None


def script_jobs(project: Project) -> tuple[list[Job], list[Problem]]:
    """A job per script in the diagrams folder, and a problem for each script whose name cannot be a URL."""
    jobs: list[Job] = []
    problems: list[Problem] = []
    for script in find_scripts(project.diagrams_dir):
        display = project.display(script)
        if not NAME.fullmatch(script.stem):
            problems.append(
                problem(
                    display,
                    0,
                    "the script's name cannot be an image URL",
                    hint="name it in lower-case letters, digits and hyphens",
                )
            )
            continue
        jobs.append(
            Job(
                name=script.stem,
                key=script_key(script),
                argv=(sys.executable, "-m", "kubenotes.diagrams.traced", str(script)),
                output_stem=script.stem,
                source=script,
                display=display,
                inputs_root=project.root,
                keep=(project.root,),
            )
        )
    return jobs, problems


def render_project(
    project: Project,
    cache: CacheStore,
    *,
    extra_jobs: Sequence[Job] = (),
    names: Sequence[str] = (),
    force: bool = False,
    workers: int | None = None,
    timeout: float | None = None,
) -> Report:
    """Render (or fetch from the cache) every diagram script of ``project`` plus ``extra_jobs``.

    ``names`` narrows the run to those pictures (``cluster-architecture``, ``manifests/workloads/web-app``).
    """
    jobs, problems = script_jobs(project)
    jobs += extra_jobs
    if names:
        known = {job.name for job in jobs}
        problems += [
            problem(name, 0, "no such diagram", hint="see `kubenotes diagrams --list`")
            for name in names
            if name not in known
        ]
        jobs = [job for job in jobs if job.name in names]
    report = render_jobs(
        jobs,
        cache,
        workers=workers if workers is not None else workers_from_env(),
        timeout=timeout if timeout is not None else timeout_from_env(),
        force=force,
    )
    report.errors[:0] = problems
    return report
