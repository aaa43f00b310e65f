"""Which isolation this machine can give a sandbox, found by trying it once per process.

Kernel isolation means fresh user, PID, network and mount namespaces made by util-linux ``unshare``
(as root without the user namespace if user namespaces are off). Where none can be made — no ``unshare``,
not Linux, a container without ``CAP_SYS_ADMIN``, Ubuntu's AppArmor restriction on unprivileged user
namespaces — sandboxes fall back to environment-level isolation, and :meth:`Isolation.describe` says so.

``KUBENOTES_ISOLATION`` chooses: ``auto`` (default), ``kernel`` (fail when the kernel offers none) or
``environment`` (never use namespaces; for comparing the two).
"""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

INSIDE = Path(__file__).with_name("inside.py")
NAMESPACE_FLAGS = (
    "--net",
    "--pid",
    "--mount",
    "--fork",
    "--kill-child",
    "--mount-proc",
    "--propagation",
    "private",
)
WITH_USER_NAMESPACE = ("unshare", "--user", "--map-root-user", *NAMESPACE_FLAGS)
AS_ROOT = ("unshare", *NAMESPACE_FLAGS)
MODE_VARIABLE = "KUBENOTES_ISOLATION"
MODES = ("auto", "kernel", "environment")
PROBE_TIMEOUT = 20.0

_lock = threading.Lock()
_found: Isolation | None = None


class IsolationUnavailable(RuntimeError):
    """``KUBENOTES_ISOLATION=kernel`` was asked for, but this machine cannot create the namespaces."""


@dataclass(frozen=True)
class Isolation:
    """How sandboxes run here: the command prefix that creates the namespaces (empty: none) and why."""

    kernel: bool
    prefix: tuple[str, ...]
    summary: str
    reason: str = ""

    def describe(self) -> str:
        """One line for the build log and the closing note."""
        if self.kernel:
            return f"sandbox isolation: kernel — {self.summary}"
        return (
            f"sandbox isolation: environment only ({self.reason}) — throwaway HOME and kubeconfig, proxy "
            "variables cleared, every descendant killed at the end; a block can still open network "
            "connections. See README, 'Isolation of executed blocks'."
        )


def describe() -> str:
    """The build-log line for this process's isolation, or why the required one is missing."""
    try:
        return current().describe()
    except IsolationUnavailable as error:
        return f"sandbox isolation: none — {error}"


def environment_only(reason: str) -> Isolation:
    return Isolation(False, (), "environment only", reason)


def current() -> Isolation:
    """The isolation sandboxes use in this process (probed once; ``KUBENOTES_ISOLATION`` decides)."""
    global _found
    with _lock:
        if _found is None:
            _found = _choose(os.environ.get(MODE_VARIABLE, "auto").strip().lower() or "auto")
        return _found


def _choose(mode: str) -> Isolation:
    if mode not in MODES:
        raise IsolationUnavailable(f"{MODE_VARIABLE}={mode!r} is not one of {', '.join(MODES)}")
    if mode == "environment":
        return environment_only(f"{MODE_VARIABLE}=environment")
    found = probe()
    if mode == "kernel" and not found.kernel:
        raise IsolationUnavailable(
            f"{MODE_VARIABLE}=kernel, but this machine cannot create namespaces: "
            f"{found.reason}. See README, 'Isolation of executed blocks'."
        )
    return found


def probe() -> Isolation:
    """Try the namespaces for real (loopback, tmpfs, bind mounts, a PID namespace) and report what worked."""
    if not sys.platform.startswith("linux"):
        return environment_only(f"{sys.platform} has no Linux namespaces")
    if shutil.which("unshare") is None:
        return environment_only("util-linux `unshare` is not installed")
    failure = _attempt(WITH_USER_NAMESPACE)
    if failure is None:
        return Isolation(
            True,
            WITH_USER_NAMESPACE,
            "user, PID, network (loopback only) and mount namespaces (util-linux unshare)",
        )
    if os.geteuid() == 0:
        root_failure = _attempt(AS_ROOT)
        if root_failure is None:
            return Isolation(
                True,
                AS_ROOT,
                "PID, network (loopback only) and mount namespaces as root "
                f"(util-linux unshare; no user namespace: {failure})",
            )
        failure = root_failure
    return environment_only(f"no namespaces: {failure}")


def _attempt(prefix: tuple[str, ...]) -> str | None:
    """None when a trial sandbox started cleanly under ``prefix``, else the error it printed."""
    with tempfile.TemporaryDirectory(prefix="kubenotes-probe-") as scratch:
        folder = Path(scratch)
        hidden, kept = folder / "hidden", folder / "hidden" / "kept"
        kept.mkdir(parents=True)
        (folder / "kubeconfig").write_text("apiVersion: v1\nkind: Config\n", encoding="utf-8")
        (folder / "hosts").write_text("127.0.0.1 localhost\n", encoding="utf-8")
        plan = {
            "kernel": True,
            "probe": True,
            "hide": [str(hidden)],
            "keep": [str(kept)],
            "home": str(hidden),
            "kubeconfig": str(folder / "kubeconfig"),
            "hosts_file": str(folder / "hosts"),
            "alias_addresses": ["192.0.2.1"],
            "listen": [["192.0.2.1", 6443]],
        }
        (folder / "plan.marshal").write_bytes(marshal.dumps(plan))
        try:
            argv = [*prefix, sys.executable, "-I", "-S", str(INSIDE), str(folder / "plan.marshal")]
            done = subprocess.run(
                argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=PROBE_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return str(error)
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {done.returncode}"
