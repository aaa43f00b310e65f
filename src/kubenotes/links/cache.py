"""Successful checks remembered for a while, so a weekly run and a busy afternoon of PRs don't hammer
other people's servers. Only successes are stored: a broken or unchecked link is checked again next time.
Entries live in the project's one cache store (area ``links``), one per URL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from kubenotes.cache import CacheStore, digest

DEFAULT_MAX_AGE = 7 * 24 * 3600  # seconds: a week, the schedule of the CI link check
CACHE_AREA = "links"


@dataclass
class ResultsCache:
    """A URL's remembered success: ``{"url", "checked": epoch seconds, "detail": what the server said}``."""

    store: CacheStore
    max_age: float = DEFAULT_MAX_AGE

    def fresh(self, url: str, now: float | None = None) -> dict[str, Any] | None:
        """The remembered success for ``url`` if it is younger than ``max_age``."""
        entry = self.store.get_json(CACHE_AREA, _key(url))
        if not isinstance(entry, dict) or entry.get("url") != url:
            return None
        checked = entry.get("checked", 0)
        return entry if (now if now is not None else time.time()) - checked <= self.max_age else None

    def remember(self, url: str, detail: str, now: float | None = None) -> None:
        entry = {"url": url, "checked": now if now is not None else time.time(), "detail": detail}
        self.store.put_json(CACHE_AREA, _key(url), entry)

    def forget(self, url: str) -> None:
        self.store.delete(CACHE_AREA, _key(url))


def _key(url: str) -> str:
    return digest("link", url)
