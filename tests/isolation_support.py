"""Shared parts of the isolation tests: loopback stand-ins for API servers and the attack catalog.

No Kubernetes cluster can run on the machines these tests run on, so a Python TCP listener on
127.0.0.1 stands in for each API server. It is enough: the question is whether a connection arrives,
and the real kubectl (from the venv) really tries to connect.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

CATALOG = Path(__file__).parent / "catalog" / "exec_attacks.yaml"


class Listener:
    """A TCP listener on loopback (127.0.0.1 unless told) that counts the connections it receives.

    Each gets a plain-text reply and is closed: kubectl then fails at once ("first record does not look
    like a TLS handshake"); a bare close would make it retry for about 50 s.

    A loopback connect() returns once the kernel has queued the connection on this socket, so a count
    taken after a block ended drains that queue and needs no grace period for connections in flight."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._server = socket.create_server((host, 0))
        self._server.setblocking(False)  # the thread and connections() both accept; neither may block
        self.port = self._server.getsockname()[1]
        self.server = f"https://{host}:{self.port}"
        self._count = 0
        self._lock = threading.Lock()
        self._closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def connections(self) -> int:
        """Connections so far, the accept queue included."""
        with self._lock:
            self._accept_queued()
            return self._count

    def close(self) -> None:
        self._closed.set()
        self._server.close()

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                readable, _, _ = select.select([self._server], [], [], 0.5)
            except (OSError, ValueError):  # closed under us
                return
            if readable:
                with self._lock:
                    self._accept_queued()

    def _accept_queued(self) -> None:
        """Accept, count and answer every connection waiting in the queue (caller holds the lock)."""
        while True:
            try:
                connection, _ = self._server.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # closed
                return
            self._count += 1
            with contextlib.suppress(OSError):
                connection.setblocking(True)
                connection.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\nstand-in API server\n")
            connection.close()


class Lifeline:
    """A FIFO whose read end the test holds: it reports end of file once every process that opened it for
    writing has exited. A block opens it before it forks (before it ends: a FIFO nobody opened reads as
    ended too), so its children inherit it; waiting for the end of file is then waiting until no process of
    the block is left to connect anywhere, with no guessed delay (a child that outlives its block keeps it
    open until it has tried)."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self._reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a writer's open() would block without it

    def wait_until_released(self, timeout: float) -> None:
        """Return once the writers that opened the FIFO have all exited; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self._reader], [], [], left)
            if readable and os.read(self._reader, 4096) == b"":
                return
        raise AssertionError(f"a process of the block still holds {self.path} after {timeout} s")

    def close(self) -> None:
        os.close(self._reader)


@dataclass(frozen=True)
class Attack:
    """One catalog entry: a script, and what environment-only isolation does with it."""

    name: str
    script: str
    environment: str  # "blocked" or "reaches"

    @property
    def holds_lifeline(self) -> bool:
        """Whether the script opens @LIFELINE@ (it has a child that may connect after the block ended)."""
        return "@LIFELINE@" in self.script

    def render(self, *, prod: Listener, prod_kubeconfig: Path, real_home: Path, lifeline: Path) -> str:
        return (
            self.script.replace("@PROD_KUBECONFIG@", str(prod_kubeconfig))
            .replace("@PROD_SERVER@", prod.server)
            .replace("@PROD_PORT@", str(prod.port))
            .replace("@REAL_HOME@", str(real_home))
            .replace("@LIFELINE@", str(lifeline))
        )


def load_attacks() -> list[Attack]:
    entries = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))["attacks"]
    attacks = [Attack(entry["name"], entry["script"], entry["environment"]) for entry in entries]
    assert all(attack.environment in {"blocked", "reaches"} for attack in attacks), CATALOG
    return attacks


def kubeconfig(path: Path, context: str, server: str, token: str = "t0ken-of-the-context") -> Path:
    """A one-context kubeconfig for ``server``, written to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": context,
                "clusters": [
                    {"name": context, "cluster": {"server": server, "insecure-skip-tls-verify": True}}
                ],
                "users": [{"name": context, "user": {"token": token}}],
                "contexts": [{"name": context, "context": {"cluster": context, "user": context}}],
            }
        ),
        encoding="utf-8",
    )
    return path
