"""Shared parts of the isolation tests: loopback stand-ins for API servers and the attack catalog.

No Kubernetes cluster can run on the machines these tests run on, so a Python TCP listener on
127.0.0.1 stands in for each API server. It is enough: the question is whether a connection arrives,
and the real kubectl (from the venv) really tries to connect.
"""

from __future__ import annotations

import contextlib
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

    def connections(self, settle: float = 0.0) -> int:
        """Connections so far, the accept queue included; after ``settle`` seconds for one that a process
        still running may make later (a child that outlives its block)."""
        if settle:
            time.sleep(settle)
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


@dataclass(frozen=True)
class Attack:
    """One catalog entry: a script, and what environment-only isolation does with it."""

    name: str
    script: str
    environment: str  # "blocked" or "reaches"
    settle: float = 0.0  # how long a connection may still arrive after the block ended

    def render(self, *, prod: Listener, prod_kubeconfig: Path, real_home: Path) -> str:
        return (
            self.script.replace("@PROD_KUBECONFIG@", str(prod_kubeconfig))
            .replace("@PROD_SERVER@", prod.server)
            .replace("@PROD_PORT@", str(prod.port))
            .replace("@REAL_HOME@", str(real_home))
        )


def load_attacks() -> list[Attack]:
    entries = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))["attacks"]
    attacks = [
        Attack(entry["name"], entry["script"], entry["environment"], float(entry.get("settle", 0)))
        for entry in entries
    ]
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
