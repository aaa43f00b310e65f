"""The GitHub workflows: valid for GitHub, clean for zizmor, and keeping the project's CI rules.

check-jsonschema (GitHub's workflow schema) and zizmor (security audits) are the real tools that
`make workflows` runs, each also shown to fail on a broken copy. The rule tests read the YAML for what
neither tool knows: caches keyed on the lock files, the gate before the Pages upload, the kind cluster
and the live-summary check, the make targets the steps call, and the README's test command in .ci/run.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubenotes.cache import CacheStore
from kubenotes.execution.engine import BlockEngine
from kubenotes.execution.guard import KubeContext, is_local_context

ROOT = Path(__file__).resolve().parent.parent
GITHUB_DIR = ROOT / ".github"
WORKFLOWS = sorted((GITHUB_DIR / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>.*)$")
COMMIT_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^\s+#\s+v\d+\.\d+\.\d+$")
LOCK_HASH = "hashFiles('requirements.lock'"
LIVE_CONTEXT = "kind-field-notes"


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def job_steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def uses(step: dict[str, Any], action: str) -> bool:
    return str(step.get("uses", "")).startswith(f"{action}@")


def step_index(steps: list[dict[str, Any]], predicate) -> int:
    matches = [i for i, step in enumerate(steps) if predicate(step)]
    assert matches, "no such step"
    return matches[0]


def runs(command: str):
    return lambda step: command in str(step.get("run", ""))


def tool(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def copy_github_dir(dest: Path) -> Path:
    shutil.copytree(GITHUB_DIR, dest / ".github")
    return dest / ".github"


def test_the_project_workflows_are_there() -> None:
    assert {"ci.yml", "pages.yml", "live.yml", "links.yml"} <= {path.name for path in WORKFLOWS}


# --- GitHub's schema and zizmor, as `make workflows` runs them -------------------------------------------


def test_workflows_match_githubs_schema() -> None:
    proc = tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dependabot_config_matches_its_schema() -> None:
    proc = tool(
        "check-jsonschema", "--builtin-schema", "vendor.dependabot", str(GITHUB_DIR / "dependabot.yml")
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_check_rejects_a_misspelt_key(tmp_path: Path) -> None:
    broken = tmp_path / "ci.yml"
    broken.write_text((GITHUB_DIR / "workflows" / "ci.yml").read_text().replace("runs-on:", "runs_on:"))
    proc = tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(broken))
    assert proc.returncode == 1
    assert "runs_on" in proc.stdout


def test_zizmor_finds_nothing() -> None:
    proc = tool("zizmor", "--offline", "--no-progress", str(GITHUB_DIR))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout


def test_zizmor_flags_an_unpinned_action_and_kept_credentials(tmp_path: Path) -> None:
    github = copy_github_dir(tmp_path)
    ci = github / "workflows" / "ci.yml"
    text = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v7", ci.read_text())
    ci.write_text(text.replace("persist-credentials: false", "fetch-depth: 1"))  # credentials kept (default)
    proc = tool("zizmor", "--offline", "--no-progress", str(github))
    assert proc.returncode != 0
    assert "unpinned-uses" in proc.stdout
    assert "artipacked" in proc.stdout


# --- pins, permissions, credentials, the runner's own user -------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [m for line in path.read_text().splitlines() if (m := USES_LINE.match(line))]
    assert lines, f"{path.name} uses no action"
    for match in lines:
        assert COMMIT_PIN.match(match["ref"]), f"{path.name}: {match['ref']} is not pinned to a full commit"
        assert VERSION_COMMENT.match(match["comment"]), (
            f"{path.name}: {match['ref']} has no '# vX.Y.Z' comment"
        )


def test_each_action_has_one_pin_across_workflows() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if match := USES_LINE.match(line):
                action, _, ref = match["ref"].partition("@")
                pins.setdefault(action, set()).add(f"{ref}{match['comment']}")
    assert {action: refs for action, refs in pins.items() if len(refs) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_granted_per_job(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}, "the workflow level grants nothing; each job asks for what it needs"
    for job_id, job in workflow["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"{path.name}: job {job_id} declares no permissions"
        assert "write" not in job["permissions"].get("contents", ""), f"{path.name}: {job_id} writes contents"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path: Path) -> None:
    checkouts = [step for _, step in job_steps(load(path)) if uses(step, "actions/checkout")]
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_run_on_hosted_ubuntu_as_the_runners_user(path: Path) -> None:
    workflow = load(path)
    assert workflow["defaults"]["run"]["shell"] == "bash", "bash -eo pipefail, so a failing pipeline fails"
    for job_id, job in workflow["jobs"].items():
        assert str(job["runs-on"]).startswith("ubuntu-"), job_id
        assert "container" not in job, f"{path.name}: {job_id} runs in a container, as root"


# --- caches ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_caches_are_keyed_on_the_lock_files(path: Path) -> None:
    for _, step in job_steps(load(path)):
        settings = step.get("with", {})
        if uses(step, "actions/cache") and settings["path"] == "~/.cache/uv":  # the lock's wheels
            assert LOCK_HASH in settings["key"] and "restore-keys" not in settings
        elif uses(step, "actions/cache"):
            assert settings["path"] == ".kubenotes-cache"
            assert LOCK_HASH in settings["key"] and LOCK_HASH in settings["restore-keys"]
        assert not (uses(step, "actions/setup-python") and "cache" in settings), "uv, not pip, installs"


def test_pages_restores_no_cache() -> None:
    for _, step in job_steps(load(GITHUB_DIR / "workflows" / "pages.yml")):
        assert not uses(step, "actions/cache")
        assert "cache" not in step.get("with", {}), step


# --- what each workflow must do ----------------------------------------------------------------------


def test_every_make_target_a_step_runs_exists() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    called = {
        (path.name, target)
        for path in WORKFLOWS
        for _, step in job_steps(load(path))
        for command in re.findall(r"\bmake ((?:[a-z][a-z-]* ?)+)", str(step.get("run", "")))
        for target in command.split()
    }
    assert called, "no step runs make"
    assert {(name, target) for name, target in called if target not in targets} == set()


def test_ci_runs_the_gate_and_annotated_validation() -> None:
    steps = load(GITHUB_DIR / "workflows" / "ci.yml")["jobs"]["check"]["steps"]
    step_index(steps, runs("make check"))
    step_index(steps, runs("kubenotes validate --format github snippets docs"))


def test_pages_uploads_only_after_the_gate_passed() -> None:
    jobs = load(GITHUB_DIR / "workflows" / "pages.yml")["jobs"]
    build_id = next(
        job_id
        for job_id, job in jobs.items()
        if any(uses(step, "actions/upload-pages-artifact") for step in job["steps"])
    )
    steps = jobs[build_id]["steps"]
    gate = step_index(steps, runs("make check"))
    build = step_index(steps, runs("make build"))
    upload = step_index(steps, lambda step: uses(step, "actions/upload-pages-artifact"))
    assert gate < build < upload
    assert not any(step.get("if") or step.get("continue-on-error") for step in steps[:upload])
    deploys = [
        job for job in jobs.values() if any(uses(step, "actions/deploy-pages") for step in job["steps"])
    ]
    assert deploys and all(job["needs"] == build_id for job in deploys)


def test_live_build_runs_against_kind_and_is_allowed_by_the_guard() -> None:
    steps = load(GITHUB_DIR / "workflows" / "live.yml")["jobs"]["live"]["steps"]
    kind = step_index(steps, lambda step: uses(step, "helm/kind-action"))
    assert f"kind-{steps[kind]['with']['cluster_name']}" == LIVE_CONTEXT
    assert is_local_context(LIVE_CONTEXT)
    assert kind < step_index(steps, runs("make live")) < step_index(steps, runs(LIVE_CONTEXT))
    assert step_index(steps, runs("make graphviz")) < step_index(steps, runs("make live"))


def live_summary(tmp_path: Path, live: bool, **counts: int) -> str:
    """The build-log line the real engine writes at the end of a build, with these counts."""
    context = KubeContext(LIVE_CONTEXT, {}) if live else None
    engine = BlockEngine(tmp_path, CacheStore(tmp_path / "cache"), live=context, counts=Counter(counts))
    return f"INFO    -  {engine.summary()}\n"


@pytest.mark.parametrize(
    ("live", "counts", "passes"),
    [
        (True, {"ran": 4, "cached": 2}, True),
        (True, {"ran": 3, "failed": 1}, False),
        (True, {"cached": 6}, False),
        (False, {"ran": 4}, False),
    ],
    ids=["all-ran", "one-failed", "none-ran", "offline-build"],
)
def test_live_summary_step_reads_the_engines_summary(
    tmp_path: Path, live: bool, counts: dict[str, int], passes: bool
) -> None:
    steps = load(GITHUB_DIR / "workflows" / "live.yml")["jobs"]["live"]["steps"]
    script = steps[step_index(steps, runs(LIVE_CONTEXT))]["run"]
    (tmp_path / "live-build.log").write_text(
        "INFO    -  Building documentation...\n" + live_summary(tmp_path, live, **counts)
    )
    proc = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=30
    )
    assert (proc.returncode == 0) is passes, proc.stdout + proc.stderr
    if not passes:
        assert "::error::" in proc.stdout


# --- the CI entry point and the README -------------------------------------------------------------------


def readme_commands() -> list[str]:
    section = (ROOT / "README.md").read_text().split("## Two commands", 1)[1]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]


def test_ci_entry_point_runs_the_readme_test_command() -> None:
    commands = readme_commands()
    assert len(commands) == 2 and "make serve" in commands
    test_command = next(command for command in commands if command != "make serve")
    script = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert script[-1] == test_command
    gate = re.search(r"^check: (.*?) ##", (ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    assert gate and gate[1].split() == ["lint", "format-check", "typecheck", "workflows", "test"]
    assert test_command == "make check"


# --- scripts/ensure-tool, which the workflows' "System packages" steps run -------------------------------


def ensure_tool(
    *args: str, env: dict[str, str] | None = None, user: str | None = None
) -> subprocess.CompletedProcess[str]:
    # The script comes on stdin: `nobody` may not be able to read a clone made in a private folder
    # (`git clone . "$(mktemp -d)"` is mode 0700).
    command = [shutil.which("bash") or "/bin/bash", "-s", "--", *args]
    if user:
        account = pwd.getpwnam(user)
        command = [
            "setpriv",
            f"--reuid={account.pw_uid}",
            f"--regid={account.pw_gid}",
            "--clear-groups",
            *command,
        ]
    script = (ROOT / "scripts" / "ensure-tool").read_text(encoding="utf-8")
    return subprocess.run(command, input=script, env=env, capture_output=True, text=True, timeout=30)


def test_ensure_tool_does_nothing_when_the_tool_exists() -> None:
    proc = ensure_tool("bash", "bash", "bash")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_ensure_tool_without_root_or_sudo_prints_the_command(tmp_path: Path) -> None:
    """As root, drop to `nobody` (no sudo rights); as a user, hide sudo from PATH. Either way nothing
    may be installed, and the message names the exact command."""
    env = {"PATH": os.environ["PATH"], "LC_ALL": "C"}
    user = None
    if os.geteuid() == 0:
        user = "nobody"
    else:
        only = tmp_path / "bin"
        only.mkdir()
        for name in ("id", "uname", "apt-get", "dnf"):
            if found := shutil.which(name):
                (only / name).symlink_to(found)
        env["PATH"] = str(only)
    proc = ensure_tool("kn-no-such-tool", "kn-no-such-package", "kn-no-such-formula", env=env, user=user)
    assert proc.returncode == 1
    assert "error: kn-no-such-tool is required but not installed" in proc.stderr
    if os.uname().sysname == "Darwin":
        expected = "brew install kn-no-such-formula"
    elif shutil.which("apt-get"):
        expected = "sudo apt-get update && sudo apt-get install -y kn-no-such-package"
    else:
        expected = "sudo dnf install -y kn-no-such-package"
    assert expected in proc.stderr
    assert "installing" not in proc.stdout
