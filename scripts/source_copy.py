"""A copy of the project's sources, without its environment or what it generates: what the tests and the
benchmarks build from when they must not touch the checkout (one list of what stays behind, for both)."""

from __future__ import annotations

import shutil
from pathlib import Path

# Left out: the environment, generated output and anything git ignores.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "site",
    "site-zensical",
    ".cache",
    ".kubenotes-cache",
    "node_modules",
    "test-artifacts",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
)


def copy_sources(root: Path, dest: Path) -> Path:
    """Copy the project at ``root`` into ``dest`` (which must not exist) and return ``dest``."""
    shutil.copytree(root, dest, ignore=NOT_COPIED)
    return dest
