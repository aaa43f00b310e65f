"""Run one block in bash with a timeout, in an environment the build controls.

markdown-exec runs blocks in the build's own environment with no timeout, and bash only reports
the last command's status. Here every block runs under ``set -euo pipefail`` (the first failing
command fails the block), in its own process group (a timeout kills kubectl too, not just bash),
with the venv's pinned kubectl first on PATH.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kubenotes.project import tool_env

STRICT_PREAMBLE = "set -euo pipefail\n"
# Variables that must never leak from the build's environment into a block.
UNSAFE_VARIABLES = ("BASH_ENV", "ENV", "KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class RunResult:
    """What a block printed (stdout and stderr interleaved, as a terminal shows them) and how it ended."""

    returncode: int
    output: str
    timed_out: bool
    seconds: float


def offline_env(home: Path, kubeconfig: Path, bin_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """A minimal environment for client-side blocks: nothing of the reader's shell or kubeconfig."""
    env = tool_env({"PATH": SYSTEM_PATH, "HOME": str(home), "KUBECONFIG": str(kubeconfig),
                    "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC", "TERM": "dumb"})
    return _prepend_path(env, bin_dirs)


def live_env(base: Mapping[str, str], kubeconfig: Path, bin_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """The build's environment (minikube needs HOME) pinned to the guarded one-context kubeconfig."""
    env = {key: value for key, value in base.items() if key not in UNSAFE_VARIABLES}
    env["KUBECONFIG"] = str(kubeconfig)
    env["TERM"] = "dumb"
    return _prepend_path(tool_env(env), bin_dirs)


def run_script(script: str, *, env: Mapping[str, str], cwd: Path, timeout: float) -> RunResult:
    """Run ``script`` with ``bash -c`` under strict mode; kill its whole process group on timeout."""
    started = time.monotonic()
    process = subprocess.Popen(
        ["bash", "--noprofile", "--norc", "-c", STRICT_PREAMBLE + script],
        cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    timed_out = False
    try:
        raw, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(process.pid, signal.SIGKILL)
        raw, _ = process.communicate()
    output = raw.decode("utf-8", errors="replace")
    return RunResult(process.returncode, output, timed_out, time.monotonic() - started)


def _prepend_path(env: dict[str, str], bin_dirs: Sequence[Path]) -> dict[str, str]:
    if bin_dirs:
        env["PATH"] = os.pathsep.join([*map(str, bin_dirs), env["PATH"]])
    return env
