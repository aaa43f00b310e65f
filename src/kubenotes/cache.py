"""The one cache store every stage uses: diagram renders, command output, validation verdicts, link checks.

An entry is one file under ``<cache>/<area>/``, written atomically (a crash never leaves half an entry).
Keys are digests of everything that decides the entry — the inputs, the engine code that produced it
(:func:`code_digest`), each tool by content or version (:func:`file_digest`) — never a path or an mtime,
so a fresh clone or a fresh venv with the CI cache restored hits every entry. Reading an entry marks it
used; :meth:`CacheStore.prune` removes what no build has used for a while, so the cache stops growing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PRUNE_AFTER_DAYS = 14.0
PRUNE_EVERY_DAYS = 1.0
PRUNED_STAMP = ".pruned"  # in the cache folder: when the last prune ran
_DAY = 24 * 3600


def digest(*parts: str | bytes) -> str:
    """A stable hex key over the given parts (order matters; parts are length-prefixed)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def file_digest(path: Path) -> str:
    """A tool or input file by content (a venv reinstall keeps the key; a new binary changes it)."""
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def tool_digest(path: Path, store: CacheStore) -> str:
    """:func:`file_digest` of a big installed file (kubectl is 60 MB, the schema definitions 1.8 MB), read
    once per installed copy, not per run.

    The content digest is remembered against the file's identity (path, size, mtime, inode): an unchanged
    binary is not read again, a reinstalled one is read once and, being the same bytes, gives the same
    digest, so the keys built from it still hit.
    """
    stat = path.stat()
    identity = digest(
        "tool-digest/1", str(path), *(str(n) for n in (stat.st_size, stat.st_mtime_ns, stat.st_ino))
    )
    known = store.get("tool-digests", identity)
    if known is not None and len(known) == 64:
        return known.decode("ascii")
    content = file_digest(path)
    with contextlib.suppress(OSError):  # only a shortcut: a read-only cache still gives the right digest
        store.put("tool-digests", identity, content.encode("ascii"))
    return content


@functools.cache
def code_digest(*package_dirs: Path) -> str:
    """The Python source of the engine packages that produce an entry: fixed code never serves old entries."""
    parts: list[str | bytes] = []
    for folder in package_dirs:
        for path in sorted(folder.rglob("*.py")):
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """UTF-8 text flavour of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


class CacheStore:
    """Entries by area and key under one folder; ``hits``/``misses`` count this process's lookups."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def get(self, area: str, key: str) -> bytes | None:
        path = self._path(area, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        self._mark_used(path)
        return data

    def put(self, area: str, key: str, data: bytes) -> None:
        atomic_write_bytes(self._path(area, key), data)

    def delete(self, area: str, key: str) -> None:
        self._path(area, key).unlink(missing_ok=True)

    def get_json(self, area: str, key: str) -> Any | None:
        """A JSON entry, or None on a miss or an entry this code cannot read (it is then recomputed)."""
        data = self.get(area, key)
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError:
            self.hits -= 1
            self.misses += 1
            return None

    def put_json(self, area: str, key: str, value: Any) -> None:
        self.put(area, key, json.dumps(value, sort_keys=True).encode("utf-8"))

    def prune(
        self,
        *,
        max_age_days: float = PRUNE_AFTER_DAYS,
        now: float | None = None,
        areas: Iterable[str] | None = None,
    ) -> int:
        """Remove entries no build has used for ``max_age_days``; returns how many went."""
        cutoff = (time.time() if now is None else now) - max_age_days * _DAY
        folders = (
            [self.folder / area for area in areas]
            if areas is not None
            else [p for p in self.folder.iterdir() if p.is_dir()]
            if self.folder.is_dir()
            else []
        )
        removed = 0
        for folder in folders:
            for path in folder.rglob("*"):
                try:
                    if path.is_file() and path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
                except OSError:
                    continue  # another build removed or replaced it first
        return removed

    def prune_when_due(self, *, now: float | None = None) -> int:
        """:meth:`prune` at most once a day: walking every entry cost each build ~20 ms, and an entry goes
        only after 14 days unused anyway."""
        now = time.time() if now is None else now
        stamp = self.folder / PRUNED_STAMP
        with contextlib.suppress(OSError):
            if now - stamp.stat().st_mtime < PRUNE_EVERY_DAYS * _DAY:
                return 0
        removed = self.prune(now=now)
        with contextlib.suppress(OSError):  # a read-only cache is pruned by whoever can write it
            atomic_write_bytes(stamp, b"")
            os.utime(stamp, (now, now))
        return removed

    def _path(self, area: str, key: str) -> Path:
        return self.folder / area / key[:2] / key

    @staticmethod
    def _mark_used(path: Path) -> None:
        with contextlib.suppress(OSError):  # a read-only cache still serves entries
            os.utime(path)
