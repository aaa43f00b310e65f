"""The parent's half of live mode's only way out: a UNIX socket forwarded to the one checked API server.

Inside the sandbox's network namespace a listener sits on the API server's own address and port and
sends every connection over a UNIX socket (a file, so it crosses network namespaces) to this relay, which
opens the real TCP connection. Any other address or port inside the namespace leads nowhere.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

CHUNK = 65536
CONNECT_TIMEOUT = 10.0


@dataclass(frozen=True)
class ApiRoute:
    """The one API server a live sandbox may reach: its host as written, its port, its checked addresses."""

    host: str
    port: int
    addresses: tuple[str, ...]

    @property
    def target(self) -> tuple[str, int]:
        """Where the relay connects: the first checked address (never a fresh DNS answer)."""
        address = self.addresses[0]
        return ("127.0.0.1" if address in {"0.0.0.0", "::"} else address), self.port


def answers(route: ApiRoute) -> bool:
    """Whether the API server accepts a connection now. When it does not, the sandbox gets no listener
    either, so kubectl inside sees "connection refused" at once, as it would outside, instead of a relay
    that accepts and closes (which kubectl retries for about a minute)."""
    try:
        socket.create_connection(route.target, timeout=CONNECT_TIMEOUT).close()
    except OSError:
        return False
    return True


class Relay:
    """Accepts on ``path`` and pipes each connection to ``route.target``; counts them for the build log."""

    def __init__(self, path: Path, route: ApiRoute) -> None:
        self.route = route
        self.connections = 0
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(path))
        self._listener.listen(64)
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        with self._lock:
            sockets, self._sockets = [self._listener, *self._sockets], []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                inner, _ = self._listener.accept()
            except OSError:
                return
            try:
                outer = socket.create_connection(self.route.target, timeout=CONNECT_TIMEOUT)
                outer.settimeout(None)
            except OSError:
                inner.close()
                continue
            with self._lock:
                self.connections += 1
                self._sockets += [inner, outer]
            splice(inner, outer)


def splice(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways until both sides are done, then close both (threads, so nothing blocks)."""
    pumps = [threading.Thread(target=_pump, args=pair, daemon=True) for pair in ((one, other), (other, one))]
    for pump in pumps:
        pump.start()

    def close_when_done() -> None:
        for pump in pumps:
            pump.join()
        one.close()
        other.close()

    threading.Thread(target=close_when_done, daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    """One direction; an error ends both (shutdown, not close: close would not wake the other thread)."""
    try:
        while data := source.recv(CHUNK):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
