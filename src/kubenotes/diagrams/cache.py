"""Rendered pictures on disk, one complete entry per key, outside docs/.

An entry is a folder holding ``picture.svg`` (one file for both palettes). It is assembled in a scratch
folder and renamed into place in one step, so a reader sees a whole entry or none; a failed render stores
nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from kubenotes.project import cache_dir

AREA = "diagrams"
PICTURE = "picture.svg"


def diagrams_cache(root: Path) -> Path:
    """The folder holding this project's rendered diagrams."""
    return cache_dir(root) / AREA


def _entry(cache: Path, name: str, key: str) -> Path:
    # '@' cannot occur in a picture name, so one picture's entries never match another's prefix
    return cache / f"{name.replace('/', '__')}@{key}"


def load(cache: Path, name: str, key: str) -> bytes | None:
    """The stored picture for ``name`` at ``key``, or None on a miss."""
    entry = _entry(cache, name, key)
    try:
        return (entry / PICTURE).read_bytes()
    except FileNotFoundError:
        return None


def store(cache: Path, name: str, key: str, picture: bytes) -> None:
    """Store ``picture`` atomically and drop older entries of the same picture."""
    cache.mkdir(parents=True, exist_ok=True)
    entry = _entry(cache, name, key)
    scratch = Path(tempfile.mkdtemp(dir=cache, prefix=".incoming-"))
    try:
        (scratch / PICTURE).write_bytes(picture)
        try:
            scratch.rename(entry)
        except OSError:  # another build stored the same entry first; its bytes are the same
            shutil.rmtree(scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    for stale in cache.glob(f"{entry.name.split('@')[0]}@*"):
        if stale != entry:
            shutil.rmtree(stale, ignore_errors=True)
