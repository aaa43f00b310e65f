"""Render pictures in subprocesses, several at once, each with a time limit, through the cache.

A picture is a :class:`Job`: a command that writes ``<stem>.svg`` into the folder given as its last
argument. A subprocess keeps a crashing or hanging script away from the build and lets both cores
work; a stuck one is interrupted (so its traceback shows the line it was stuck on), then killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kubenotes import sandbox
from kubenotes.cache import CacheStore
from kubenotes.diagrams.traced import INPUTS_FILE, ROOT_ENV
from kubenotes.problems import Problem, problem
from kubenotes.project import tool_env

DEFAULT_TIMEOUT = 60.0
GRACE_SECONDS = 2.0  # after SIGINT, time for Python to print where it was stuck
CACHE_AREA = "diagrams"
TRACEBACK_FRAME = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+)')


@dataclass(frozen=True)
class Job:
    """One picture to render: what to run, what it writes, and which file errors point at."""

    name: str  # site name under assets/diagrams/, e.g. "cluster-architecture"
    key: str
    argv: tuple[str, ...]  # the output folder is appended
    output_stem: str  # the command writes <output_stem>.svg
    source: Path  # the file an error names (the script, or the snippet a picture is drawn from)
    display: str  # how errors spell the source, relative to the project root
    stdin: bytes = b""
    inputs_root: Path | None = None  # the project: files the script opens under it are tracked as inputs
    keep: tuple[Path, ...] = ()  # folders the sandbox must leave visible (the project, for the engine's code)


class DiagramError(Exception):
    """Raised where one bad input stops a picture; carries the located problem."""

    def __init__(self, found: Problem) -> None:
        super().__init__(found.format())
        self.problem = found


@dataclass
class Report:
    """What one run did: every picture's web SVG, and which were rendered, cached or failed."""

    images: dict[str, bytes] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def render_jobs(
    jobs: Sequence[Job],
    cache: CacheStore,
    *,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    force: bool = False,
) -> Report:
    """Serve each job from the cache or render it; renders run ``workers`` at a time."""
    report = Report()
    misses: list[Job] = []
    for job in jobs:
        stored = None if force else _load(cache, job)
        if stored is None:
            misses.append(job)
        else:
            report.images[job.name] = stored
            report.cached.append(job.name)
    if misses:
        with ThreadPoolExecutor(max_workers=max(1, min(workers or os.cpu_count() or 1, len(misses)))) as pool:
            try:
                outcomes = list(pool.map(lambda job: _render_one(job, timeout), misses))
            except KeyboardInterrupt:  # stop every render now, not when each one finishes
                sandbox.cancel_all()
                raise
        for job, outcome in zip(misses, outcomes, strict=True):
            if isinstance(outcome, Problem):
                report.errors.append(outcome)
                continue
            picture, inputs = outcome
            cache.put_json(CACHE_AREA, job.key, {"svg": picture.decode(), "inputs": inputs})
            report.images[job.name] = picture
            report.rendered.append(job.name)
    return report


def _load(cache: CacheStore, job: Job) -> bytes | None:
    """The stored picture, unless a data file the script read last time has changed since."""
    stored = cache.get_json(CACHE_AREA, job.key)
    if not isinstance(stored, dict) or not isinstance(stored.get("svg"), str):
        return None
    if job.inputs_root is not None and stored.get("inputs") != _input_digests(
        job.inputs_root, stored.get("inputs")
    ):
        return None
    return str(stored["svg"]).encode()


def _input_digests(root: Path, names: object) -> dict[str, str] | None:
    """``{relative path: content digest}`` of the files a script opened (None when one is gone)."""
    digests: dict[str, str] = {}
    for name in names if isinstance(names, dict | list) else ():
        try:
            digests[str(name)] = hashlib.sha256((root / str(name)).read_bytes()).hexdigest()
        except OSError:
            return None
    return digests


def _render_one(job: Job, timeout: float) -> tuple[bytes, dict[str, str]] | Problem:
    # Only a render needs it (with Pillow, ~30 ms to import); a build served from the cache never does.
    from kubenotes.diagrams.webify import WebifyError, webify

    with tempfile.TemporaryDirectory(prefix="kubenotes-diagram-") as scratch:
        outdir = Path(scratch)
        failure = _run(job, outdir, timeout)
        if failure is not None:
            return failure
        svg = outdir / f"{job.output_stem}.svg"
        if not svg.is_file():
            return problem(
                job.display,
                0,
                f"ran without writing {svg.name}",
                hint="draw inside `with diagram(...):` from kn_style so the picture lands where "
                "the build looks",
            )
        try:
            picture = webify(svg.read_bytes())
        except (WebifyError, SyntaxError) as error:  # ET.ParseError is a SyntaxError
            return problem(job.display, 0, f"unusable SVG: {error}")
        inputs: dict[str, str] = {}
        if job.inputs_root is not None:
            names = json.loads((outdir / INPUTS_FILE).read_text(encoding="utf-8"))
            inputs = _input_digests(job.inputs_root, names) or {}
        return picture, inputs


def _run(job: Job, outdir: Path, timeout: float) -> Problem | None:
    """Run the job in a sandbox: a timeout or Ctrl-C ends every process it started, at once."""
    env = tool_env() | {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
    if job.inputs_root is not None:
        env[ROOT_ENV] = str(job.inputs_root)
    request = sandbox.Request(
        [*job.argv, str(outdir)],
        outdir,
        env,
        timeout,
        stdin=job.stdin,
        interrupt_grace=GRACE_SECONDS,
        keep=job.keep,
    )
    try:
        result = sandbox.run(request)
    except sandbox.SandboxError as error:
        return problem(job.display, 0, f"could not start the render: {error}")
    text = result.stderr.decode(errors="replace")
    if result.timed_out:
        return problem(
            job.display,
            _line_in(text, job.source) or 0,
            f"did not finish within {timeout:g} s and was stopped",
            hint="look for a loop that never ends (or raise KUBENOTES_DIAGRAM_TIMEOUT)",
        )
    if result.truncated or result.cancelled:
        return problem(job.display, 0, result.limit_message(timeout) or "stopped")
    if result.returncode != 0:
        return problem(
            job.display,
            _line_in(text, job.source) or 0,
            _last_line(text, result.returncode or 1),
            hint="run the script on its own (python SCRIPT) to see the whole traceback",
        )
    return None


def _line_in(traceback: str, source: Path) -> int | None:
    """The line of ``source`` named last in a traceback (the deepest frame in the author's file)."""
    lines = [
        int(m["line"])
        for m in TRACEBACK_FRAME.finditer(traceback)
        if Path(m["path"]).resolve() == source.resolve()
    ]
    return lines[-1] if lines else None


def _last_line(stderr: str, returncode: int) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else f"exited with status {returncode} and printed nothing"
