"""The sandbox's cost per command: bare bash, environment-only isolation and kernel namespaces, interleaved.

A block's run time is mostly kubectl's own; this isolates what the sandbox adds (starting ``unshare`` and
the Python first process, mounts, loopback) so a regression shows as a number, not a feeling.
"""

from __future__ import annotations

import contextlib
import os
import signal
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
LIMIT_ROUNDS = 3
LIMIT_TIMEOUT = 2.0


def measure(root: Path) -> list[Row]:
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    kernel = sandbox.isolation()
    ways: dict[str, Callable[[], object]] = {
        "bare bash (no sandbox)": lambda: subprocess.run(
            ["bash", "-c", SCRIPT], cwd=root, env=env, check=True
        ),
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
    rows = [
        Row(
            "sandbox",
            f"`{SCRIPT}` via {name}, median of {ROUNDS}",
            f"{1000 * statistics.median(values):.0f} ms",
        )
        for name, values in samples.items()
    ]
    rows.append(Row("sandbox", "isolation on this machine", kernel.describe().split(" — ")[0].split(": ")[1]))
    return rows + _limits(root, env, kernel if kernel.kernel else environment_only("bench"))


def _limits(root: Path, env: dict[str, str], isolation: sandbox.Isolation) -> list[Row]:
    """How soon the hard limits act; tests/test_sandbox.py asserts that they act, never how soon."""
    marker = f"kn-bench-{os.getpid()}"
    held = f"setsid bash -c 'exec -a {marker} sleep 600' & exec -a {marker} sleep 600"
    late, interrupt = [], []
    for _ in range(LIMIT_ROUNDS):
        started = time.perf_counter()
        sandbox.run(sandbox.Request(["bash", "-c", held], root, env, LIMIT_TIMEOUT), isolation=isolation)
        late.append(time.perf_counter() - started - LIMIT_TIMEOUT)
        interrupt.append(_ctrl_c(root, env, marker))
    after_limit = f"{1000 * statistics.median(late):.0f} ms"
    return [
        Row(
            "sandbox",
            f"timeout with a detached child holding stdout: return after the "
            f"{LIMIT_TIMEOUT:.0f} s limit, median of {LIMIT_ROUNDS}",
            after_limit,
            "< 1200 ms",
        ),
        Row(
            "sandbox",
            f"Ctrl-C to a build running a sandbox: until it and its children are gone, median of "
            f"{LIMIT_ROUNDS}",
            f"{1000 * statistics.median(interrupt):.0f} ms",
            "< 1500 ms",
        ),
    ]


def _ctrl_c(root: Path, env: dict[str, str], marker: str) -> float:
    """Seconds from SIGINT to a process in ``sandbox.run`` until it has exited and no ``marker`` is left."""
    script = f"setsid bash -c 'exec -a {marker} sleep 600' & exec -a {marker} sleep 600"
    driver = (
        "import signal, sys\nfrom pathlib import Path\nfrom kubenotes import sandbox\n"
        # Ctrl-C as a terminal delivers it, even when make bench runs in the background (SIGINT ignored)
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        f"request = sandbox.Request(['bash', '-c', {script!r}], Path({str(root)!r}), {env!r}, 600)\n"
        "print('running', flush=True)\n"
        "try:\n    sandbox.run(request)\nexcept KeyboardInterrupt:\n    sys.exit(130)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", driver], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "running\n"
    while len(_alive(marker)) < 2:
        time.sleep(0.01)
    started = time.perf_counter()
    process.send_signal(signal.SIGINT)
    process.wait(60)
    while _alive(marker):
        time.sleep(0.01)
    return time.perf_counter() - started


def _alive(marker: str) -> list[int]:
    alive = []
    for entry in os.listdir("/proc"):
        with contextlib.suppress(OSError):
            if Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0", 1)[0] == marker.encode():
                alive.append(int(entry))
    return alive


def _sandboxed(root: Path, env: dict[str, str], isolation: sandbox.Isolation) -> None:
    result = sandbox.run(sandbox.Request(["bash", "-c", SCRIPT], root, env, 30), isolation=isolation)
    assert result.returncode == 0, result
