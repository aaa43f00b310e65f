"""Output cache for client-side blocks: a warm build starts no kubectl at all.

An entry is keyed by everything that decides the output: the block's text (its commands and any
heredoc stdin), the content of every project file the commands name, the identity of the kubectl
binary, and the isolation mode. Entries are written atomically and only for blocks that ended as
expected, so a failure never leaves a cache entry behind.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from kubenotes.cachefs import atomic_write_text, digest

SKIPPED_FOLDERS = frozenset({".git", ".venv", ".cache", "site", "node_modules", "__pycache__"})


@dataclass(frozen=True)
class CachedOutput:
    """A stored result: exit code, output and the kubectl version that produced it."""

    returncode: int
    output: str
    kubectl_version: str


class OutputCache:
    """JSON entries under one folder, one file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> CachedOutput | None:
        path = self._path(key)
        try:
            return CachedOutput(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def put(self, key: str, entry: CachedOutput) -> None:
        atomic_write_text(self._path(key), json.dumps(asdict(entry)))

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"


def block_key(script: str, files_digest: str, kubectl_identity: str, mode: str) -> str:
    """The cache key of one block run."""
    return digest("kubectl-block/1", mode, kubectl_identity, files_digest, script)


def kubectl_identity(path_dirs: str) -> str:
    """Which kubectl binary the block would run (path, size, mtime): it changes when kubectl does."""
    found = shutil.which("kubectl", path=path_dirs)
    if found is None:
        return "kubectl-missing"
    stat = Path(found).resolve().stat()
    return f"{Path(found).resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def files_read(words: Iterable[str], root: Path) -> list[Path]:
    """Project files and folders the commands name (``-f x.yaml``, ``--from-file=k=x``, a kustomize dir)."""
    root = root.resolve()
    found: set[Path] = set()
    for word in words:
        for candidate in {word, *word.split("=")[1:]}:
            if not candidate or candidate.startswith("-"):
                continue
            path = (root / candidate).resolve()
            if path != root and path.is_relative_to(root) and path.exists():
                found.add(path)
    return sorted(found)


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """One digest over the names and contents of the given files (folders: every file inside)."""
    parts: list[str | bytes] = []
    for path in paths:
        for file in _files_under(path):
            parts += [str(file.relative_to(root.resolve())), file.read_bytes()]
    return digest(*parts)


def _files_under(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(
        file for file in path.rglob("*")
        if file.is_file() and not SKIPPED_FOLDERS.intersection(file.relative_to(path).parts)
    )
