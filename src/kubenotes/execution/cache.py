"""What a client block's cached output depends on, so a warm build starts no kubectl and a stale entry
is never served: the block's text (commands and heredoc stdin), the content of every project file the
commands name, the kubectl binary by content, the runner's own code and the isolation mode.
"""

from __future__ import annotations

import glob
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kubenotes.cache import CacheStore, code_digest, digest, tool_digest

CACHE_AREA = "kubectl"
GLOB = re.compile(r"[*?\[]")
SKIPPED_FOLDERS = frozenset(
    {".git", ".venv", ".cache", ".kubenotes-cache", "site", "node_modules", "__pycache__"}
)


@dataclass(frozen=True)
class CachedOutput:
    """A stored result: exit code, output and the kubectl version that produced it."""

    returncode: int
    output: str
    kubectl_version: str


def block_key(script: str, files: str, kubectl: str, mode: str) -> str:
    """The cache key of one block run."""
    return digest("kubectl-block/2", code_digest(Path(__file__).parent), mode, kubectl, files, script)


def kubectl_identity(path_dirs: str, store: CacheStore) -> str:
    """Which kubectl the block would run, by content: a fresh venv with the same wheel keeps the key."""
    found = shutil.which("kubectl", path=path_dirs)
    return tool_digest(Path(found).resolve(), store) if found else "kubectl-missing"


def files_read(words: Iterable[str], root: Path) -> list[Path]:
    """Files and folders the commands name (``-f x.yaml``, ``--from-file=k=x``, a kustomize dir, a glob
    such as ``snippets/workloads/hello-web-*.yaml``), inside the project or outside it."""
    root = root.resolve()
    found: set[Path] = set()
    for word in words:
        for candidate in {word, *word.split("=")[1:]}:
            if not candidate or candidate.startswith("-"):
                continue
            base = Path(candidate).expanduser()
            pattern = base if base.is_absolute() else root / base
            if GLOB.search(candidate):
                found.update(Path(match).resolve() for match in glob.glob(str(pattern), recursive=True))
            elif pattern.exists() and pattern.resolve() not in (root, Path(pattern.anchor)):
                found.add(pattern.resolve())
    return sorted(found)


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """One digest over the names and contents of the given files (project folders: every file inside;
    folders outside the project: their listing, since their contents are not the block's inputs)."""
    root = root.resolve()
    parts: list[str | bytes] = []
    for path in paths:
        if path.is_relative_to(root):
            for file in _files_under(path):
                parts += [file.relative_to(root).as_posix(), file.read_bytes()]
        elif path.is_file():
            parts += [path.as_posix(), path.read_bytes()]
        elif path.is_dir():
            parts += [path.as_posix(), "\n".join(sorted(child.name for child in path.iterdir()))]
    return digest(*parts)


def _files_under(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(
        file
        for file in path.rglob("*")
        if file.is_file() and not SKIPPED_FOLDERS.intersection(file.relative_to(path).parts)
    )
