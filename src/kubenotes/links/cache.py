"""Successful checks remembered for a while, so a weekly run and a busy afternoon of PRs don't hammer
other people's servers. Only successes are stored: a broken or unchecked link is checked again next time.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from kubenotes.cachefs import atomic_write_text

DEFAULT_MAX_AGE = 7 * 24 * 3600  # seconds: a week, the schedule of the CI link check


@dataclass
class ResultsCache:
    """``url -> {"checked": epoch seconds, "detail": what the server said}`` for links that were fine."""

    path: Path
    max_age: float = DEFAULT_MAX_AGE
    entries: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, max_age: float = DEFAULT_MAX_AGE) -> ResultsCache:
        """Read the cache; an unreadable file counts as empty (it only ever saves work)."""
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        return cls(path, max_age, entries if isinstance(entries, dict) else {})

    def fresh(self, url: str, now: float | None = None) -> dict | None:
        """The remembered success for ``url`` if it is younger than ``max_age``."""
        entry = self.entries.get(url)
        if entry and (now if now is not None else time.time()) - entry.get("checked", 0) <= self.max_age:
            return entry
        return None

    def remember(self, url: str, detail: str, now: float | None = None) -> None:
        self.entries[url] = {"checked": now if now is not None else time.time(), "detail": detail}

    def forget(self, url: str) -> None:
        self.entries.pop(url, None)

    def save(self) -> None:
        atomic_write_text(self.path, json.dumps(self.entries, indent=1, sort_keys=True) + "\n")
