"""Shared fixtures: the project root, builds of one-page sites, and the run-wide products.

The run-wide products are made once per test run however many pytest-xdist workers there are: a cold
render of every picture, the real site's strict MkDocs build (which reuses those pictures), and the real
site built by Zensical. The first worker to ask makes one in the run's shared temporary folder under a
file lock, the others wait for the lock and read the result (pytest-xdist's documented pattern). Each is a
separate process, started from a background thread as soon as the session knows it needs it, with the
environment the session started with; the tests that use them run last, so the workers run everything
else meanwhile.

Tests that use the built site get the ``build`` marker here; a test that runs a build itself must carry the
marker (``run_build`` fails it otherwise), so ``pytest -m "not build"`` stays a quick loop.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from source_copy import copy_sources

from kubenotes.cache import atomic_write_bytes

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
BUILD_TIMEOUT = 900
# The test running now (set around each test's call), so that a build can check its marker.
_running: list[pytest.Item] = []
# Builds running now, stopped if the session ends first.
_builds: set[subprocess.Popen[str]] = set()


@dataclass
class BuildResult:
    """Outcome of one ``mkdocs build`` run."""

    returncode: int
    log: str
    site_dir: Path


@dataclass(frozen=True)
class ColdRender:
    """Outcome of ``kubenotes diagrams`` in a copy of the project with an empty cache: the copy and the cache
    it filled."""

    returncode: int
    log: str
    project_dir: Path
    cache_dir: Path


@dataclass(frozen=True)
class ZensicalBuild:
    """Outcome of one Zensical build, with every call the stub cluster tools recorded."""

    returncode: int
    log: str
    site_dir: Path
    stub_calls: str


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


def expect_build_marker() -> None:
    """Fail the running test if it builds a site without the ``build`` marker (``-m "not build"`` would
    otherwise run it)."""
    if _running and _running[-1].get_closest_marker("build") is None:
        pytest.fail(
            f"{_running[-1].nodeid} runs a site build: mark it with @pytest.mark.build", pytrace=False
        )


def run_build(
    config_dir: Path, site_dir: Path, *, strict: bool = True, cwd: Path | None = None, **env: str
) -> BuildResult:
    """Build the site whose mkdocs.yml is in ``config_dir`` into ``site_dir`` (from ``cwd``, default
    ``config_dir``)."""
    expect_build_marker()
    return _mkdocs_build(config_dir, site_dir, strict=strict, cwd=cwd, env=build_env(**env))


def _mkdocs_build(
    config_dir: Path, site_dir: Path, *, strict: bool, cwd: Path | None, env: dict[str, str]
) -> BuildResult:
    cmd = [
        str(VENV_BIN / "mkdocs"),
        "build",
        "--config-file",
        str(config_dir / "mkdocs.yml"),
        "--site-dir",
        str(site_dir),
    ]
    if strict:
        cmd.append("--strict")
    returncode, log = _run(cmd, cwd=cwd or config_dir, env=env)
    return BuildResult(returncode, log, site_dir)


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run a build; its exit code and its output and errors as one log. A build still running when the
    session ends (a background build nobody waited for) is stopped then."""
    with subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        _builds.add(process)
        try:
            output, _ = process.communicate(timeout=BUILD_TIMEOUT)
        finally:
            process.kill()
            _builds.discard(process)
    return process.wait(), output


def copy_site_sources(dest: Path) -> Path:
    """Copy the project's sources (not its venv or generated output) into ``dest`` and return it."""
    return copy_sources(ROOT, dest)


# --- Zensical builds with stub cluster tools ---------------------------------------------------------------

STUB = '#!/bin/sh\necho "$(basename "$0") $*" >> "{log}"\nexit 0\n'
PRODUCTION_KUBECONFIG = """\
apiVersion: v1
kind: Config
current-context: prod-eu
clusters: [{name: prod-eu, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: prod-eu, user: {token: production-token}}]
contexts: [{name: prod-eu, context: {cluster: prod-eu, user: prod-eu}}]
"""


def zensical_build(project: Path, work: Path, **env: str) -> ZensicalBuild:
    """``python -m kubenotes.adapters.zensical`` in ``project`` with a "production" kubeconfig (context
    prod-eu) and stub kubectl, minikube and kind first on PATH: the stubs stand in for tools that would
    reach a real cluster and record every call."""
    expect_build_marker()
    return _zensical_build(project, work, build_env(**env))


def _zensical_build(project: Path, work: Path, environment: dict[str, str]) -> ZensicalBuild:
    stubs = work / "stubs"
    stubs.mkdir(parents=True, exist_ok=True)
    log = work / "stub-calls.log"
    for tool in ("kubectl", "minikube", "kind"):
        (stubs / tool).write_text(STUB.format(log=log), encoding="utf-8")
        (stubs / tool).chmod(0o755)
    kubeconfig = work / "prod-kubeconfig"
    kubeconfig.write_text(PRODUCTION_KUBECONFIG, encoding="utf-8")
    environment = {
        **environment,
        "KUBECONFIG": str(kubeconfig),
        "PATH": os.pathsep.join([str(stubs), environment["PATH"]]),
    }
    command = [sys.executable, "-m", "kubenotes.adapters.zensical", "--site-dir", "site-zensical"]
    returncode, output = _run(command, cwd=project, env=environment)
    calls = log.read_text(encoding="utf-8") if log.exists() else ""
    return ZensicalBuild(returncode, output, project / "site-zensical", calls)


# --- once per test run, whatever the number of workers ------------------------------------------------------


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every worker of this run shares (each xdist worker has its own basetemp in it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (between processes and between threads of one process)."""
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def once_per_run(folder: Path, name: str, produce: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """``produce(folder/name)`` the first time anyone in this run asks for ``name``; its result after that."""
    result = folder / f"{name}.json"
    with exclusive(folder / f"{name}.lock"):
        if not result.exists():
            produced = produce(folder / name)
            result.write_text(json.dumps(produced, default=str), encoding="utf-8")
    return json.loads(result.read_text(encoding="utf-8"))


def build_real_site(folder: Path, env: dict[str, str]) -> BuildResult:
    """The strict MkDocs build of the real site, with the project's own cache (given the pictures this run's
    cold render made, if it made them first)."""

    def build(dest: Path) -> dict[str, Any]:
        cold = folder / "diagrams-cold-render.json"
        if cold.exists():
            seed_pictures(Path(json.loads(cold.read_text(encoding="utf-8"))["cache_dir"]), env)
        return asdict(_mkdocs_build(ROOT, dest, strict=True, cwd=None, env=env))

    found = once_per_run(folder, "site", build)
    return BuildResult(found["returncode"], found["log"], Path(found["site_dir"]))


def seed_pictures(cold_cache: Path, env: dict[str, str]) -> None:
    """Copy the cold render's pictures into the build's cache where it lacks them. Entries are keyed by
    content, never by path, so the build finds exactly what it would render: on a fresh clone the run
    renders every picture once, not twice."""
    build_cache = Path(env["KUBENOTES_CACHE_DIR"])
    for entry in (cold_cache / "diagrams").rglob("*"):
        target = build_cache / entry.relative_to(cold_cache)
        if entry.is_file() and not target.exists():
            atomic_write_bytes(target, entry.read_bytes())


def render_every_picture_cold(folder: Path, env: dict[str, str]) -> ColdRender:
    """``kubenotes diagrams`` (what ``make diagrams`` runs: every script and every manifest a page draws)
    in a copy of the project's diagrams, snippets and pages, with a cache of its own that starts empty."""

    def render(dest: Path) -> dict[str, Any]:
        project = dest / "project"
        for name in ("diagrams", "snippets", "docs"):
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        (project / "mkdocs.yml").write_text("site_name: copy\n", encoding="utf-8")
        cache = dest / "cache"
        returncode, log = _run(
            [str(VENV_BIN / "kubenotes"), "diagrams"],
            cwd=project,
            env={**env, "KUBENOTES_CACHE_DIR": str(cache)},
        )
        return asdict(ColdRender(returncode, log, project, cache))

    found = once_per_run(folder, "diagrams-cold-render", render)
    return ColdRender(found["returncode"], found["log"], Path(found["project_dir"]), Path(found["cache_dir"]))


def build_real_site_with_zensical(folder: Path, env: dict[str, str]) -> ZensicalBuild:
    """The real site built by Zensical (which wants the site inside the project: a copy), after the MkDocs
    build, so that both use what the project's cache holds and nothing is rendered or run twice."""
    build_real_site(folder, env)

    def build(dest: Path) -> dict[str, Any]:
        return asdict(_zensical_build(copy_site_sources(dest / "project"), dest, env))

    found = once_per_run(folder, "zensical", build)
    return ZensicalBuild(found["returncode"], found["log"], Path(found["site_dir"]), found["stub_calls"])


# The run-wide products by the fixture that gives each, in the order the background thread makes them.
RUN_WIDE: dict[str, Callable[[Path, dict[str, str]], object]] = {
    "diagrams_cold_render": render_every_picture_cold,
    "built_site": build_real_site,
    "zensical_site": build_real_site_with_zensical,
}


def run_wide_needs(item: pytest.Item) -> list[str]:
    """The run-wide products a test uses, through any of its fixtures."""
    return [name for name in RUN_WIDE if name in getattr(item, "fixturenames", ())]


# --- fixtures and hooks ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One strict build of the real site per test run, with the project's own cache."""
    result = build_real_site(run_folder(tmp_path_factory), build_env())
    assert result.returncode == 0, f"strict build failed:\n{result.log}"
    return result


@pytest.fixture(scope="session")
def diagrams_cold_render(tmp_path_factory: pytest.TempPathFactory) -> ColdRender:
    """Every picture of the site rendered once per test run, starting from an empty cache."""
    return render_every_picture_cold(run_folder(tmp_path_factory), build_env())


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> ZensicalBuild:
    """The real site built by Zensical, once per test run."""
    result = build_real_site_with_zensical(run_folder(tmp_path_factory), build_env())
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="session", autouse=True)
def _run_wide_products_in_the_background(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Start making the run-wide products this session needs, in a thread, with the environment as it is
    now (tests change it later); the tests that use them run last and wait on the run's locks."""
    needed = {name for item in request.session.items for name in run_wide_needs(item)}
    folder, env = run_folder(tmp_path_factory), build_env()

    def make() -> None:
        for name, product in RUN_WIDE.items():
            if name in needed:
                with contextlib.suppress(Exception):  # not lost: the fixture makes it again and says why
                    product(folder, env)

    thread = threading.Thread(target=make, name="run-wide-products", daemon=True)
    thread.start()
    yield
    if request.session.shouldfail or request.session.shouldstop:  # -x, --maxfail: nobody will wait for it
        for process in list(_builds):
            process.kill()
    thread.join(BUILD_TIMEOUT)  # another worker may still be waiting for this product


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the real built site get the ``build`` marker. Tests that use a run-wide product run
    after all the others, in the order the products are made."""
    order = list(RUN_WIDE)
    for item in items:
        if {"built_site", "zensical_site"} & set(run_wide_needs(item)):
            item.add_marker(pytest.mark.build)
    items.sort(key=lambda item: max((order.index(name) + 1 for name in run_wide_needs(item)), default=0))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    _running.append(item)
    try:
        return (yield)
    finally:
        _running.pop()
