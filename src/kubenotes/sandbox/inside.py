"""The first process of a sandbox: prepare it, run the command, and take every other process down with it.

Started by path with ``python -I -S`` (standard library only, nothing from kubenotes), in one of two ways:

* **kernel** — as PID 1 of fresh user, PID, network and mount namespaces (``unshare`` created them). It brings
  up loopback (plus, in live mode, the API server's address and a relay listener on it), hides the real HOME
  and ``/run`` under empty tmpfs mounts, re-exposes the few paths the command needs, and writes the throwaway
  kubeconfig. When the command ends this process exits, and the kernel kills everything left in the PID
  namespace: detached, ``setsid`` and ``nohup`` children included.
* **environment** — as a plain child subreaper (Linux) or process-group leader: orphans of the command are
  re-parented here and killed when the command ends or the sandbox is stopped.

Its one argument is the path of the parent's plan (a ``marshal``-ed dict: same interpreter, and no
import); the command's environment is this process's own. Imports are kept to the few each mode needs:
this process starts once per block, and json, pathlib, shutil and enum cost it tens of milliseconds.
"""

from __future__ import annotations

import _signal as signal  # type: ignore[import-not-found]  # ``signal``'s C module, without enum
import ctypes
import marshal
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the socket module is imported where a mode needs it
    import socket
    from collections.abc import Callable

SETUP_FAILED = 125  # exit status when the sandbox itself could not be prepared (the message says why)
MARKER = "kubenotes sandbox:"
MS_NOSUID, MS_NODEV, MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC = 2, 4, 1, 32, 4096, 16384
SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCSIFADDR, SIOCSIFNETMASK = 0x8913, 0x8914, 0x8916, 0x891C
IFF_UP = 0x1
PR_SET_CHILD_SUBREAPER = 36
IFREQ = "16sh22x"  # struct ifreq: name, then a 24-byte union of which we use the flags
CHUNK = 65536

_command_pgid = 0


class SetupError(Exception):
    """The sandbox could not be prepared; the command never started."""


def main() -> None:
    with open(sys.argv[1], "rb") as file:
        plan = marshal.load(file)
    try:
        if plan["kernel"]:
            listeners = _prepare_namespaces(plan)
        else:
            _become_subreaper()
            listeners = []
    except (OSError, SetupError) as error:
        print(f"{MARKER} {error}", file=sys.stderr, flush=True)
        os._exit(SETUP_FAILED)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, _frame: _finish(128 + number, kernel=plan["kernel"]))
    signal.signal(signal.SIGINT, _forward_interrupt)
    if plan.get("probe"):
        os._exit(0)
    global _command_pgid
    try:
        os.chdir(plan["cwd"])
        pid = os.posix_spawnp(plan["argv"][0], plan["argv"], dict(os.environ), setpgroup=0)
    except OSError as error:
        print(f"{MARKER} cannot run {plan['argv'][0]} in {plan['cwd']}: {error.strerror}", file=sys.stderr)
        os._exit(SETUP_FAILED)
    _command_pgid = pid
    if listeners:
        import threading

        for listener in listeners:
            threading.Thread(
                target=_accept_forever, args=(listener, plan["relay_socket"]), daemon=True
            ).start()
    _finish(_wait_for(pid), kernel=plan["kernel"])


# -- kernel mode --------------------------------------------------------------------------------------------


def _prepare_namespaces(plan: dict[str, Any]) -> list[Any]:
    _interface_up("lo")
    for index, address in enumerate(plan.get("alias_addresses", []), start=1):
        _add_address(f"lo:{index}", address)
    _hide(plan["hide"], plan["keep"])
    kube = os.path.join(plan["home"], ".kube")
    os.makedirs(os.path.join(kube, "cache"), exist_ok=True)
    with open(plan["kubeconfig"], "rb") as source:
        content = source.read()
    descriptor = os.open(os.path.join(kube, "config"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        target.write(content)
    if plan.get("hosts_file"):
        _mount(plan["hosts_file"], "/etc/hosts", None, MS_BIND)
        _mount("none", "/etc/hosts", None, MS_REMOUNT | MS_BIND | MS_RDONLY)
    return [_listen(address, port) for address, port in plan.get("listen", [])]


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.mount(
        source.encode(),
        target.encode(),
        fstype.encode() if fstype else None,
        ctypes.c_ulong(flags),
        data.encode() if data else None,
    )
    if result != 0:
        number = ctypes.get_errno()
        raise SetupError(f"cannot mount {target}: {os.strerror(number)}")


def _interface_up(name: str) -> None:
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as control:
        request = struct.pack(IFREQ, name.encode(), 0)
        flags = struct.unpack(IFREQ, fcntl.ioctl(control, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(control, SIOCSIFFLAGS, struct.pack(IFREQ, name.encode(), flags | IFF_UP))


def _add_address(label: str, address: str) -> None:
    """Give loopback the API server's own IPv4 address (e.g. minikube's 192.168.49.2), as a /32."""
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as control:
        for request, value in ((SIOCSIFADDR, address), (SIOCSIFNETMASK, "255.255.255.255")):
            sockaddr = struct.pack("HH4s8x", socket.AF_INET, 0, socket.inet_aton(value))
            fcntl.ioctl(control, request, struct.pack("16s16s8x", label.encode(), sockaddr))


def _hide(hidden: list[str], keep: list[str]) -> None:
    """An empty tmpfs over each hidden folder, then bind mounts that bring back the kept paths inside it."""
    held = []
    for path in keep:
        if any(_inside(path, folder) for folder in hidden):
            held.append((path, os.open(path, os.O_PATH | os.O_CLOEXEC), os.path.isdir(path)))
    for folder in hidden:
        _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=268435456")
    for path, descriptor, is_folder in held:
        if is_folder:
            os.makedirs(path, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
        _mount(f"/proc/self/fd/{descriptor}", path, None, MS_BIND | MS_REC)
        os.close(descriptor)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _listen(address: str, port: int) -> socket.socket:
    import socket

    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(64)
    return listener


def _accept_forever(listener: socket.socket, relay_socket: str) -> None:
    """Each connection to the API server's address goes over the UNIX socket to the parent's relay."""
    import socket
    import threading

    while True:
        client, _ = listener.accept()
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            upstream.connect(relay_socket)
        except OSError:
            client.close()
            upstream.close()
            continue
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(target=_pump, args=(source, target), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    """One direction of a relayed connection; an error ends both (shutdown wakes the other thread)."""
    import socket

    try:
        while data := source.recv(CHUNK):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        for sock in (source, target):
            _shut(sock, socket.SHUT_RDWR)


# -- environment mode ---------------------------------------------------------------------------------------


def _become_subreaper() -> None:
    """Orphaned descendants (double fork, setsid, nohup) are re-parented to this process, so none escapes."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _kill_descendants() -> None:
    """Kill the children, whose own children then come to this subreaper, until none is left."""
    for _ in range(10_000):
        children = _children()
        if not children:
            return
        for pid in children:
            _send(os.kill, pid, signal.SIGKILL)
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _children() -> list[int]:
    me = os.getpid()
    try:
        tasks = os.listdir(f"/proc/{me}/task")
        found = []
        for task in tasks:
            with open(f"/proc/{me}/task/{task}/children") as file:
                found += [int(pid) for pid in file.read().split()]
        return found
    except OSError:
        return _children_by_scan(me)


def _children_by_scan(me: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    stat = file.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                found.append(int(entry))
    return found


# -- both modes ---------------------------------------------------------------------------------------------


def _wait_for(pid: int) -> int:
    """Reap every child (PID 1 inherits orphans) until the command ends; its exit status, shell style."""
    while True:
        try:
            finished, status = os.waitpid(-1, 0)
        except ChildProcessError:
            return SETUP_FAILED
        except InterruptedError:
            continue
        if finished == pid:
            return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


def _forward_interrupt(_number: int, _frame: object) -> None:
    """SIGINT from the parent reaches the command, so a stuck Python script prints where it was."""
    if _command_pgid:
        _send(os.killpg, _command_pgid, signal.SIGINT)


def _send(kill: Callable[[int, int], None], target: int, signum: int) -> None:
    """``os.kill`` or ``os.killpg`` for a process that may be gone already."""
    try:
        kill(target, signum)
    except ProcessLookupError:
        return


def _shut(sock: socket.socket, how: int) -> None:
    try:
        sock.shutdown(how)
    except OSError:
        return


def _finish(code: int, *, kernel: bool) -> None:
    if not kernel:
        if _command_pgid:
            _send(os.killpg, _command_pgid, signal.SIGKILL)
        _kill_descendants()
    os._exit(code)


if __name__ == "__main__":
    main()
