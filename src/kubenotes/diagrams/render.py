"""Render pictures in subprocesses, several at once, each with a time limit, through the cache.

A picture is a :class:`Job`: a command that writes ``<stem>.svg`` into the folder given as its last
argument. A subprocess keeps a crashing or hanging script away from the build and lets both cores
work; a stuck one is interrupted (so its traceback shows the line it was stuck on), then killed.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kubenotes.diagrams import cache
from kubenotes.diagrams.webify import WebifyError, webify
from kubenotes.project import tool_env

DEFAULT_TIMEOUT = 60.0
GRACE_SECONDS = 2.0  # after SIGINT, time for Python to print where it was stuck
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


@dataclass
class DiagramError(Exception):
    """A failed render: the file, the line in it when known, and what went wrong.

    Returned in a :class:`Report` when a render fails; raised where one bad input stops the work.
    """

    display: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.display}:{self.line}" if self.line else self.display
        return f"{where}: {self.message}"


@dataclass
class Report:
    """What one run did: every picture's web SVG, and which were rendered, cached or failed."""

    images: dict[str, bytes] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    errors: list[DiagramError] = field(default_factory=list)


def render_jobs(jobs: Sequence[Job], cache_root: Path, *, workers: int | None = None,
                timeout: float = DEFAULT_TIMEOUT, force: bool = False) -> Report:
    """Serve each job from the cache or render it; renders run ``workers`` at a time."""
    report = Report()
    misses: list[Job] = []
    for job in jobs:
        stored = None if force else cache.load(cache_root, job.name, job.key)
        if stored is None:
            misses.append(job)
        else:
            report.images[job.name] = stored
            report.cached.append(job.name)
    if misses:
        with ThreadPoolExecutor(max_workers=max(1, min(workers or os.cpu_count() or 1, len(misses)))) as pool:
            outcomes = list(pool.map(lambda job: _render_one(job, timeout), misses))
        for job, outcome in zip(misses, outcomes, strict=True):
            if isinstance(outcome, DiagramError):
                report.errors.append(outcome)
                continue
            cache.store(cache_root, job.name, job.key, outcome)
            report.images[job.name] = outcome
            report.rendered.append(job.name)
    return report


def _render_one(job: Job, timeout: float) -> bytes | DiagramError:
    with tempfile.TemporaryDirectory(prefix="kubenotes-diagram-") as scratch:
        outdir = Path(scratch)
        failure = _run(job, outdir, timeout)
        if failure is not None:
            return failure
        svg = outdir / f"{job.output_stem}.svg"
        if not svg.is_file():
            return DiagramError(job.display, None, f"ran without writing {svg.name}: draw inside "
                                "`with kn_style.diagram(...):` so the picture lands where the build looks")
        try:
            return webify(svg.read_bytes())
        except (WebifyError, SyntaxError) as error:  # ET.ParseError is a SyntaxError
            return DiagramError(job.display, None, f"unusable SVG: {error}")


def _run(job: Job, outdir: Path, timeout: float) -> DiagramError | None:
    env = tool_env() | {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
    process = subprocess.Popen([*job.argv, str(outdir)], cwd=outdir, env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(job.stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        stderr = _stop(process)
        line = _line_in(stderr.decode(errors="replace"), job.source)
        return DiagramError(job.display, line, f"did not finish within {timeout:g} s and was stopped; "
                            "look for a loop that never ends (or raise KUBENOTES_DIAGRAM_TIMEOUT)")
    if process.returncode != 0:
        text = stderr.decode(errors="replace")
        return DiagramError(job.display, _line_in(text, job.source), _last_line(text, process.returncode))
    return None


def _stop(process: subprocess.Popen[bytes]) -> bytes:
    """Interrupt the whole process group, then kill whatever is left; returns what it printed."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate()
    return stderr or b""


def _line_in(traceback: str, source: Path) -> int | None:
    """The line of ``source`` named last in a traceback (the deepest frame in the author's file)."""
    lines = [int(m["line"]) for m in TRACEBACK_FRAME.finditer(traceback)
             if Path(m["path"]).resolve() == source.resolve()]
    return lines[-1] if lines else None


def _last_line(stderr: str, returncode: int) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else f"exited with status {returncode} and printed nothing"
