"""Run one command in a sandbox with hard limits: time, output size, and Ctrl-C.

A sandbox is started through ``inside.py`` (see there), under the namespaces of :func:`isolation.current`.
The limits hold whatever the command does: on a timeout, an output over the cap or a cancel, the whole
tree is killed — in kernel mode by ending the PID namespace, otherwise through the subreaper — and the
call returns at once, even when a detached child still holds the output pipe.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from kubenotes.sandbox import environment
from kubenotes.sandbox.inside import MARKER, SETUP_FAILED
from kubenotes.sandbox.isolation import INSIDE, Isolation, current
from kubenotes.sandbox.relay import ApiRoute, Relay, answers

OUTPUT_CAP = 10 * 1024 * 1024
STOP_GRACE = 1.0  # after SIGTERM, how long the sandbox's first process gets to take the tree down
DRAIN_SECONDS = 0.2  # after the sandbox ended, how long to wait for output still in the pipes
TICK = 0.05


class SandboxError(RuntimeError):
    """The sandbox itself could not be prepared (the command never ran); the message says why."""


@dataclass(frozen=True)
class Request:
    """One command to run: what, where, with which environment, and within which limits.

    ``route`` is None offline (loopback only); in live mode it is the one API server the command may reach.
    ``kubeconfig`` is the text of the only kubeconfig in reach. ``merge_output`` sends stderr into stdout,
    interleaved as a terminal shows them. ``interrupt_grace`` > 0 sends SIGINT that long before a timeout
    kill, so a stuck Python script prints its traceback.
    """

    argv: Sequence[str]
    cwd: Path
    env: Mapping[str, str]
    timeout: float
    stdin: bytes = b""
    kubeconfig: str = environment.DEAD_END_KUBECONFIG
    route: ApiRoute | None = None
    merge_output: bool = False
    output_cap: int = OUTPUT_CAP
    interrupt_grace: float = 0.0
    keep: Sequence[Path] = ()


@dataclass(frozen=True)
class Result:
    """How a sandboxed command ended. ``returncode`` is None when the sandbox stopped it."""

    returncode: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool
    truncated: bool
    cancelled: bool
    seconds: float
    isolation: Isolation
    connections: int = 0  # live mode: connections relayed to the API server

    def limit_message(self, timeout: float, cap: int = OUTPUT_CAP) -> str | None:
        """What went wrong with the limits, in words for the author (None when nothing did)."""
        if self.cancelled:
            return "stopped by Ctrl-C"
        if self.timed_out:
            return f"did not finish within {timeout:g} s and was stopped (with every process it started)"
        if self.truncated:
            return (
                f"printed more than {cap // (1024 * 1024)} MB, so it was stopped and its output cut; "
                "print less (e.g. `| sed -n 1,40p`)"
            )
        return None


@dataclass(eq=False)
class _Running:
    process: subprocess.Popen[bytes]
    cancelled: threading.Event = field(default_factory=threading.Event)


_running: set[_Running] = set()
_running_lock = threading.Lock()


def run(request: Request, *, isolation: Isolation | None = None) -> Result:
    """Run ``request`` in a sandbox and return how it ended; raises SandboxError if none could be made."""
    chosen = isolation or current()
    scratch = Path(tempfile.mkdtemp(prefix="kubenotes-sandbox-"))
    relay: Relay | None = None
    started = time.monotonic()
    try:
        argv, env = _prepare(request, chosen, scratch)
        if request.route is not None and chosen.kernel:
            relay = Relay(scratch / "relay.sock", request.route)
        process = _start(argv, env, request)
        entry = _Running(process)
        with _running_lock:
            _running.add(entry)
        try:
            stdout, stderr, ending = _collect(entry, request)
        except BaseException:  # KeyboardInterrupt in the main thread: the tree goes first
            _stop(process)
            raise
        finally:
            with _running_lock:
                _running.discard(entry)
        returncode = None if ending else process.returncode
        if returncode == SETUP_FAILED and (stderr or stdout).startswith(MARKER.encode()):
            raise SandboxError((stderr or stdout).decode(errors="replace").strip())
        return Result(
            returncode,
            stdout,
            stderr,
            ending == "timeout",
            ending == "truncated",
            ending == "cancelled",
            time.monotonic() - started,
            chosen,
            relay.connections if relay else 0,
        )
    finally:
        if relay is not None:
            relay.close()
        shutil.rmtree(scratch, ignore_errors=True)


def run_many(requests: Sequence[Request], *, workers: int | None = None) -> list[Result]:
    """Run several requests in parallel; Ctrl-C stops every running sandbox at once and re-raises."""
    if not requests:
        return []
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers or os.cpu_count() or 1, len(requests))))
    futures = [pool.submit(run, request) for request in requests]
    try:
        results = [future.result() for future in futures]
    except BaseException:
        for future in futures:
            future.cancel()
        cancel_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results


def cancel_all() -> None:
    """Stop every sandbox running in this process now (for a Ctrl-C handler in another thread)."""
    with _running_lock:
        entries = list(_running)
    for entry in entries:
        entry.cancelled.set()
        _stop(entry.process)


def _prepare(request: Request, chosen: Isolation, scratch: Path) -> tuple[list[str], dict[str, str]]:
    """Write the plan for ``inside.py`` and return the command line and environment that start it."""
    kubeconfig = scratch / "kubeconfig"
    kubeconfig.write_text(request.kubeconfig, encoding="utf-8")
    plan: dict[str, object] = {
        "kernel": chosen.kernel,
        "argv": list(request.argv),
        "cwd": str(Path(request.cwd).resolve()),
    }
    if chosen.kernel:
        hidden = environment.hidden_folders(request.env)
        homes = environment.real_homes(request.env)
        home = homes[0] if homes else scratch / "home"
        if not homes:
            home.mkdir()
            hidden.append(home)
        # The scratch folder stays visible too: with TMPDIR inside HOME, it would vanish with HOME.
        keep = environment.kept_paths(
            Path(request.cwd).resolve(), request.env.get("PATH", ""), [*request.keep, scratch]
        )
        plan |= {
            "hide": [str(p) for p in hidden],
            "home": str(home),
            "kubeconfig": str(kubeconfig),
            "keep": [str(p) for p in keep],
        }
        if request.route is not None:
            plan |= _route_plan(request.route, scratch)
    else:
        home = scratch / "home"
        (home / ".kube" / "cache").mkdir(parents=True)
        shutil.copyfile(kubeconfig, home / ".kube" / "config")
    env = environment.command_env(request.env, home)
    (scratch / "plan.marshal").write_bytes(marshal.dumps(plan))
    init = [sys.executable, "-I", "-S", str(INSIDE), str(scratch / "plan.marshal")]
    return [*chosen.prefix, *init], env


def _start(argv: list[str], env: dict[str, str], request: Request) -> subprocess.Popen[bytes]:
    """Start the sandbox's first process in a session of its own (the terminal's Ctrl-C is ours to pass)."""
    try:
        return subprocess.Popen(
            argv,
            cwd=request.cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if request.merge_output else subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:
        raise SandboxError(f"{MARKER} cannot start {argv[0]} in {request.cwd}: {error.strerror}") from None


def _route_plan(route: ApiRoute, scratch: Path) -> dict[str, object]:
    """Listeners on the API server's own addresses, that address on loopback, its name in /etc/hosts."""
    aliases = [a for a in route.addresses if ":" not in a and not a.startswith("127.") and a != "0.0.0.0"]
    listen = [[address, route.port] for address in route.addresses] if answers(route) else []
    plan: dict[str, object] = {
        "listen": listen,
        "alias_addresses": aliases,
        "relay_socket": str(scratch / "relay.sock"),
    }
    if route.host not in route.addresses:
        hosts = scratch / "hosts"
        names = ["127.0.0.1 localhost", "::1 localhost ip6-localhost"]
        hosts.write_text("\n".join([*names, *(f"{a} {route.host}" for a in route.addresses)]) + "\n", "utf-8")
        plan["hosts_file"] = str(hosts)
    return plan


def _collect(entry: _Running, request: Request) -> tuple[bytes, bytes, str | None]:
    """Read the output until the sandbox ends or a limit is hit; returns (stdout, stderr, limit hit)."""
    process = entry.process
    _feed(process, request.stdin)
    assert process.stdout is not None  # started with stdout=PIPE
    streams: dict[IO[bytes], bytearray] = {process.stdout: bytearray()}
    if process.stderr is not None:
        streams[process.stderr] = bytearray()
    selector = selectors.DefaultSelector()
    for stream in streams:
        selector.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + request.timeout
    interrupted = False
    ended_at: float | None = None
    ending: str | None = None
    try:
        while selector.get_map():
            now = time.monotonic()
            if now >= deadline and request.interrupt_grace > 0 and not interrupted:
                interrupted = True  # timed out: SIGINT first, the kill after the grace period
                deadline = now + request.interrupt_grace
                _signal(process, signal.SIGINT)
            if entry.cancelled.is_set():
                ending = "cancelled"
            elif now >= deadline:
                ending = "timeout"
            elif sum(map(len, streams.values())) > request.output_cap:
                ending = "truncated"
            if ending:
                _stop(process)
                break
            if ended_at is None and process.poll() is not None:
                ended_at = now
            if ended_at is not None and now - ended_at > DRAIN_SECONDS:
                break  # ended, but something outside our reach (environment mode) still holds a pipe
            for key, _ in selector.select(timeout=TICK):
                data = os.read(key.fd, 65536)
                if data:
                    streams[key.fileobj].extend(data)  # type: ignore[index]  # the streams registered above
                else:
                    selector.unregister(key.fileobj)
    finally:
        selector.close()
        for stream in streams:
            stream.close()
    if ending is None and process.poll() is None:  # the pipes closed early; the command may still run
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            ending = "timeout"
            _stop(process)
    if interrupted and ending is None:
        ending = "timeout"
        _stop(process)
    out = bytes(streams[process.stdout])
    err = bytes(streams[process.stderr]) if process.stderr is not None else b""
    if ending == "truncated":
        out, err = out[: request.output_cap], err[: request.output_cap]
    return out, err, ending


def _feed(process: subprocess.Popen[bytes], data: bytes) -> None:
    """Write stdin from a thread, so a command that never reads it cannot block the sandbox."""
    assert process.stdin is not None
    stdin = process.stdin

    def write() -> None:
        with contextlib.suppress(OSError):
            if data:
                stdin.write(data)
            stdin.close()

    threading.Thread(target=write, daemon=True).start()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Take the whole tree down: SIGTERM lets inside.py end the namespace (or sweep), SIGKILL makes sure."""
    if process.poll() is None:
        _signal(process, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_GRACE)
    _signal(process, signal.SIGKILL)
    process.wait()


def _signal(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)
