"""Run LinkChecker (the maintained PyPI tool) on a list of URLs and sort each answer into ok, broken or
unchecked. A connection that never happened is not evidence that a link works, nor that it is broken.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import dataclass

from kubenotes.project import tool_env, tool_path

# No answer from the server at all: offline, DNS failure, refused, timed out, cut off. (A bad TLS
# certificate is an answer: readers get the same warning, so it counts as broken.)
UNREACHED = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|Timeout|NameResolution"
    r"|Max retries exceeded|ProxyError|ChunkedEncodingError",
    re.IGNORECASE,
)
# The server answered, but "not now" rather than "no such page".
NOT_NOW = re.compile(r"^(429|503)\b")
ROBOTS = re.compile(r"robots\.txt", re.IGNORECASE)
REASONS = [
    (re.compile(r"host='([^']+)'.*NameResolution", re.DOTALL), "DNS cannot resolve {}"),
    (re.compile(r"Connection refused"), "connection refused"),
    (re.compile(r"NewConnectionError"), "could not open a connection"),
    (re.compile(r"timed out", re.IGNORECASE), "timed out"),
    (re.compile(r"Network is unreachable"), "network unreachable"),
]


@dataclass(frozen=True)
class Answer:
    """LinkChecker's verdict on one URL, classified."""

    url: str
    status: str  # "ok" | "broken" | "unchecked"
    detail: str


class LinkCheckerError(RuntimeError):
    """LinkChecker itself failed (not a link): bad install, crash, unexpected output."""


def run_linkchecker(urls: list[str], *, timeout: int = 15, threads: int = 4) -> list[Answer]:
    """Check ``urls`` (no recursion into them) and classify each result."""
    if not urls:
        return []
    command = [
        str(tool_path("linkchecker")),
        "--stdin",
        "--recursion-level=0",
        "--check-extern",
        "--no-status",
        "--verbose",
        "--output=csv",
        f"--timeout={timeout}",
        f"--threads={threads}",
    ]
    limit = 60 + timeout * (len(urls) // threads + 1) * 2
    proc = subprocess.run(
        command, input="\n".join(urls) + "\n", capture_output=True, text=True, env=tool_env(), timeout=limit
    )
    if proc.returncode not in (0, 1):  # 1 means "some link had an error", 2 is LinkChecker's own failure
        raise LinkCheckerError(f"linkchecker exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    answers = {answer.url: answer for answer in parse_csv(proc.stdout)}
    silent = "LinkChecker reported nothing for it"
    return [answers.get(url) or Answer(url, "unchecked", silent) for url in urls]


def parse_csv(output: str) -> list[Answer]:
    """LinkChecker's ``--output=csv`` (semicolon separated, ``#`` comment lines) as classified answers."""
    lines = [line for line in output.splitlines() if line and not line.startswith("#")]
    return [classify(row) for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";")]


def classify(row: dict[str, str]) -> Answer:
    url = row.get("urlname") or row.get("url") or ""
    result = (row.get("result") or "").strip()
    notes = " ".join(filter(None, (row.get("warningstring"), row.get("infostring"))))
    if row.get("valid") == "True":
        if ROBOTS.search(notes):
            return Answer(url, "unchecked", f"robots.txt forbids checking it ({notes.strip()})")
        return Answer(url, "ok", result or "valid")
    if UNREACHED.search(result):
        return Answer(url, "unchecked", f"could not reach the host ({_reason(result)})")
    if NOT_NOW.match(result):
        return Answer(url, "unchecked", f"the server declined to answer now: {result}")
    return Answer(url, "broken", _short(result) or "invalid")


def _reason(result: str) -> str:
    """The few words of a requests/urllib3 connection error that say what happened."""
    for pattern, reason in REASONS:
        match = pattern.search(result)
        if match:
            return reason.format(*match.groups())
    return _short(result)


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "..."
