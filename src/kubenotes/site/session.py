"""Which build is running in this process, so every page of one build shares one prepared engine.

An adapter that sees the start of a build (MkDocs) activates it; a generator that never announces a
build (Zensical, a script calling Python-Markdown) gets one created on its first page and kept for the
rest of the process.
"""

from __future__ import annotations

import atexit
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kubenotes.project import Project
from kubenotes.site.build import Build

_active: Build | None = None


def activate(build: Build) -> Build:
    """Make ``build`` the running build (closing the one it replaces)."""
    global _active
    if _active is not None and _active is not build:
        _active.close()
    _active = build
    return build


def active() -> Build | None:
    return _active


def deactivate(build: Build) -> None:
    global _active
    if _active is build:
        _active = None


def build_for(
    project: Project, options: Mapping[str, Any] | None, *, config_file: Path | None = None, **kwargs: Any
) -> Build:
    """The running build of ``project``, or a new one (raises ProblemsFound for bad settings)."""
    if _active is not None and _active.project.root == project.root:
        return _active
    build = Build.create(project, options, config_file=config_file, **kwargs)
    atexit.register(build.close)
    return activate(build)
