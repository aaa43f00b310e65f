"""Where things live: the project root, its content folders, the cache and the venv's tools.

Every command the project runs must use the tools pinned in the venv (a system kubectl may be
older), so paths to them are resolved here, once.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_MARKER = "mkdocs.yml"


def find_root(start: Path | None = None) -> Path:
    """Return the nearest folder at or above ``start`` that holds ``mkdocs.yml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_MARKER).is_file():
            return folder
    raise FileNotFoundError(f"no {PROJECT_MARKER} in {here} or any parent: run from inside the project")


def cache_dir(root: Path) -> Path:
    """The build cache (rendered diagrams, command output, validation verdicts), outside docs/."""
    override = os.environ.get("KUBENOTES_CACHE_DIR")
    return Path(override) if override else root / ".cache" / "kubenotes"


def venv_bin() -> Path:
    """The folder holding this interpreter's console scripts (the venv's ``bin``)."""
    return Path(sys.executable).parent


def tool_path(name: str) -> Path:
    """Absolute path of a pinned tool installed in the venv, e.g. ``kubectl``."""
    path = venv_bin() / name
    if not path.exists():
        raise FileNotFoundError(f"{name} is not installed in {venv_bin()}: run `make` to bootstrap the venv")
    return path


def tool_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment whose PATH starts with the venv's bin, so subprocesses find the pinned tools."""
    env = dict(os.environ if base is None else base)
    env["PATH"] = os.pathsep.join([str(venv_bin()), env.get("PATH", "")])
    return env
