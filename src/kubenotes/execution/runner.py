"""Run one block in bash inside a sandbox, with a timeout and an output cap.

markdown-exec runs blocks in the build's own environment with no timeout, and bash only reports the
last command's status. Here every block runs under ``set -euo pipefail`` (the first failing command fails
the block) in a :mod:`kubenotes.sandbox`: no route to any API server offline, only the checked one live,
a throwaway HOME and kubeconfig, and every process it started killed at the end. The venv's pinned
kubectl is first on PATH.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from kubenotes import sandbox
from kubenotes.execution.guard import KubeContext
from kubenotes.project import tool_env

STRICT_PREAMBLE = "set -euo pipefail\n"
# Kept for callers that filter an environment themselves; the sandbox strips these (and more) anyway.
UNSAFE_VARIABLES = ("BASH_ENV", "ENV", "KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
BASE_VARIABLES = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC", "TERM": "dumb"}


@dataclass(frozen=True)
class RunResult:
    """What a block printed (stdout and stderr interleaved, as a terminal shows them) and how it ended.

    ``truncated``: the output went over the cap and was cut. ``isolation``: the build-log line saying
    which isolation the block ran under.
    """

    returncode: int
    output: str
    timed_out: bool
    seconds: float
    truncated: bool = False
    isolation: str = ""


def offline_env(home: Path, kubeconfig: Path, bin_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """A minimal environment for client-side blocks: nothing of the reader's shell or kubeconfig."""
    env = tool_env({"PATH": SYSTEM_PATH, "HOME": str(home), "KUBECONFIG": str(kubeconfig), **BASE_VARIABLES})
    return _prepend_path(env, bin_dirs)


def live_env(base: Mapping[str, str], kubeconfig: Path, bin_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """Live blocks get the same minimal environment, with the build's PATH (minikube, kind) after the venv."""
    env = tool_env(
        {
            "PATH": base.get("PATH", SYSTEM_PATH),
            "HOME": str(kubeconfig.parent),
            "KUBECONFIG": str(kubeconfig),
            **BASE_VARIABLES,
        }
    )
    return _prepend_path(env, bin_dirs)


def run_script(
    script: str,
    *,
    env: Mapping[str, str],
    cwd: Path,
    timeout: float,
    live: KubeContext | None = None,
    output_cap: int = sandbox.OUTPUT_CAP,
    isolation: sandbox.Isolation | None = None,
    keep: Sequence[Path] = (),
) -> RunResult:
    """Run ``script`` with ``bash -c`` under strict mode in a sandbox.

    Offline (``live`` None) the block reaches no API server; live, it reaches only ``live``'s server with a
    kubeconfig holding only that context. HOME and KUBECONFIG in ``env`` are replaced by the sandbox's.
    ``keep``: paths inside the hidden folders the block may still see (``cwd`` always stays visible).
    """
    kubeconfig = yaml.safe_dump(live.kubeconfig) if live else sandbox.DEAD_END_KUBECONFIG
    request = sandbox.Request(
        ["bash", "--noprofile", "--norc", "-c", STRICT_PREAMBLE + script],
        cwd,
        env,
        timeout,
        kubeconfig=kubeconfig,
        route=live.route if live else None,
        merge_output=True,
        output_cap=output_cap,
        keep=tuple(keep),
    )
    try:
        result = sandbox.run(request, isolation=isolation)
    except (sandbox.SandboxError, sandbox.IsolationUnavailable) as error:
        return RunResult(125, f"{error}\n", False, 0.0)
    output = result.stdout.decode("utf-8", errors="replace")
    if result.truncated:
        output += f"\n[output cut at {output_cap} bytes]\n"
    returncode = -signal.SIGKILL if result.returncode is None else result.returncode
    return RunResult(
        returncode, output, result.timed_out, result.seconds, result.truncated, result.isolation.describe()
    )


def _prepend_path(env: dict[str, str], bin_dirs: Sequence[Path]) -> dict[str, str]:
    if bin_dirs:
        env["PATH"] = os.pathsep.join([*map(str, bin_dirs), env["PATH"]])
    return env
