"""Shared fixtures: the project root, one strict build of the real site, and disposable site copies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# Left out of site copies: the environment, generated output and anything git ignores.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "site", "site-zensical", ".cache", ".kubenotes-cache",
                                    "node_modules", "test-artifacts", "__pycache__", ".pytest_cache",
                                    ".ruff_cache", "*.egg-info")


@dataclass
class BuildResult:
    """Outcome of one ``mkdocs build`` run."""

    returncode: int
    log: str
    site_dir: Path


def build_env(**extra: str) -> dict[str, str]:
    """Environment for builds: the venv's tools first on PATH, the EOL banner off, and the project's
    content-addressed cache shared by site copies (identical inputs hit it; pass KUBENOTES_CACHE_DIR
    to start cold)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("KUBENOTES_CACHE_DIR", str(ROOT / ".kubenotes-cache"))
    env.update(extra)
    return env


def run_build(config_dir: Path, site_dir: Path, *, strict: bool = True, cwd: Path | None = None,
              **env: str) -> BuildResult:
    """Build the site whose mkdocs.yml is in ``config_dir`` into ``site_dir`` (from ``cwd``, default
    ``config_dir``)."""
    cmd = [str(VENV_BIN / "mkdocs"), "build", "--config-file", str(config_dir / "mkdocs.yml"),
           "--site-dir", str(site_dir)]
    if strict:
        cmd.append("--strict")
    proc = subprocess.run(cmd, cwd=cwd or config_dir, env=build_env(**env), capture_output=True, text=True,
                          timeout=900)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site_dir)


def copy_site_sources(dest: Path) -> Path:
    """Copy the project's sources (not its venv or generated output) into ``dest`` and return it."""
    shutil.copytree(ROOT, dest, ignore=NOT_COPIED)
    return dest


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One strict build of the real site per test session, with the project's own cache."""
    result = run_build(ROOT, tmp_path_factory.mktemp("site"))
    assert result.returncode == 0, f"strict build failed:\n{result.log}"
    return result


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A disposable copy of the site's sources, for tests that break something on purpose."""
    return copy_site_sources(tmp_path / "copy")
