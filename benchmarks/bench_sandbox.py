"""The sandbox's cost per command: bare bash, environment-only isolation and kernel namespaces, interleaved.

A block's run time is mostly kubectl's own; this isolates what the sandbox adds (starting ``unshare`` and
the Python first process, mounts, loopback) so a regression shows as a number, not a feeling.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from table import Row

from kubenotes import sandbox
from kubenotes.sandbox.isolation import environment_only

ROUNDS = 15
SCRIPT = "true"


def measure(root: Path) -> list[Row]:
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    kernel = sandbox.isolation()
    ways: dict[str, Callable[[], object]] = {
        "bare bash (no sandbox)": lambda: subprocess.run(["bash", "-c", SCRIPT], cwd=root, env=env,
                                                         check=True),
        "environment-only sandbox": lambda: _sandboxed(root, env, environment_only("bench")),
    }
    if kernel.kernel:
        ways["kernel sandbox (namespaces)"] = lambda: _sandboxed(root, env, kernel)
    samples: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(ROUNDS):  # interleaved, so machine noise hits every way alike
        for name, way in ways.items():
            started = time.perf_counter()
            way()
            samples[name].append(time.perf_counter() - started)
    rows = [Row("sandbox", f"`{SCRIPT}` via {name}, median of {ROUNDS}",
                f"{1000 * statistics.median(values):.0f} ms") for name, values in samples.items()]
    rows.append(Row("sandbox", "isolation on this machine", kernel.describe().split(" — ")[0].split(": ")[1]))
    return rows


def _sandboxed(root: Path, env: dict[str, str], isolation: sandbox.Isolation) -> None:
    result = sandbox.run(sandbox.Request(["bash", "-c", SCRIPT], root, env, 30), isolation=isolation)
    assert result.returncode == 0, result
