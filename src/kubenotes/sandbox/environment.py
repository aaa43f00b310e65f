"""What a sandboxed command sees of the machine: its environment variables, HOME and kubeconfig.

Both isolation modes give the command a throwaway HOME whose ``.kube/config`` is the only kubeconfig in
reach (``$KUBECONFIG`` names the same file, so ``unset KUBECONFIG`` finds nothing else), and strip the
variables that would point a tool at another server, identity or start-up script. In kernel mode the
throwaway HOME is a tmpfs mounted over the real one, and ``/run`` (agent and Docker sockets) is hidden too.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

# Variables a sandboxed command never inherits: proxies, start-up files, in-cluster and agent endpoints.
SCRUBBED = frozenset(
    {
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
        "ftp_proxy",
        "grpc_proxy",
        "BASH_ENV",
        "ENV",
        "PROMPT_COMMAND",
        "SHELLOPTS",
        "BASHOPTS",
        "CDPATH",
        "GLOBIGNORE",
        "KUBECONFIG",
        "KUBECACHEDIR",
        "KUBERNETES_SERVICE_HOST",
        "KUBERNETES_SERVICE_PORT",
        "SSH_AUTH_SOCK",
        "GPG_AGENT_INFO",
        "DOCKER_HOST",
        "DOCKER_CONFIG",
        "DOCKER_CONTEXT",
        "DOCKER_CERT_PATH",
        "CONTAINER_HOST",
        "MINIKUBE_HOME",
        "XDG_RUNTIME_DIR",
        "DBUS_SESSION_BUS_ADDRESS",
        "PYTHONSTARTUP",
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONUSERBASE",
        "LD_PRELOAD",
        "LD_LIBRARY_PATH",
    }
)
RUNTIME_FOLDERS = ("/run", "/var/run")
# Where kubectl would connect if nothing else were configured: a port on loopback that nothing serves.
DEAD_END_KUBECONFIG = """\
apiVersion: v1
kind: Config
current-context: offline
preferences: {}
clusters:
- name: offline
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: offline
  context:
    cluster: offline
    user: offline
users:
- name: offline
  user:
    token: offline
"""


def command_env(base: Mapping[str, str], home: Path) -> dict[str, str]:
    """``base`` without the scrubbed variables, pointed at the throwaway ``home`` and its kubeconfig."""
    scrubbed = {name.lower() for name in SCRUBBED}
    env = {
        key: value
        for key, value in base.items()
        if key.lower() not in scrubbed and not key.startswith("KUBECTL_")
    }
    kube = home / ".kube"
    env.update(
        {
            "HOME": str(home),
            "KUBECONFIG": str(kube / "config"),
            "KUBECACHEDIR": str(kube / "cache"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "NO_PROXY": "*",
            "no_proxy": "*",
        }
    )
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    return env


def real_homes(base: Mapping[str, str]) -> list[Path]:
    """The build user's home folders, the ones a sandbox hides: the build's ``$HOME`` first (it becomes the
    sandbox's HOME), then the password database's, then the one in ``base``."""
    candidates = [os.environ.get("HOME", "")]
    with contextlib.suppress(KeyError):
        candidates.append(pwd.getpwuid(os.getuid()).pw_dir)
    candidates.append(base.get("HOME", ""))
    return list(dict.fromkeys(Path(path).resolve() for path in candidates if _hideable(path)))


def hidden_folders(base: Mapping[str, str]) -> list[Path]:
    """Folders that become empty in kernel mode: the real homes and the runtime folders with their sockets."""
    runtime = {Path(folder).resolve() for folder in RUNTIME_FOLDERS if Path(folder).is_dir()}
    folders = set(real_homes(base)) | runtime
    # A folder inside another hidden one is hidden with it.
    return sorted(f for f in folders if not any(f != o and f.is_relative_to(o) for o in folders))


def kept_paths(cwd: Path, path_variable: str, extra: Iterable[Path]) -> list[Path]:
    """Paths that stay visible inside hidden folders: the working folder, the interpreter, PATH entries,
    and the folder the engine itself is imported from (``src/`` of an editable install, which a CI
    checkout under HOME would otherwise hide from diagram renders)."""
    interpreter = Path(sys.executable).resolve()
    engine = Path(__file__).resolve().parents[2]
    candidates = {
        cwd,
        interpreter.parent,
        engine,
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
        *extra,
        *(Path(entry) for entry in path_variable.split(os.pathsep) if entry),
    }
    # os.path.exists, not Path.exists: a PATH entry in another user's HOME raises PermissionError there.
    existing = {path.resolve() for path in candidates if path.is_absolute() and os.path.exists(path)}
    # Outer paths first, none dropped: a kept folder may itself hold a hidden one (the project folder can
    # contain a HOME, a HOME can contain TMPDIR), and only what is inside a hidden folder is bound back.
    return sorted(existing, key=lambda path: (len(path.parts), str(path)))


def _hideable(path: str) -> bool:
    """A home can be hidden only if it is a real folder deeper than ``/`` (some containers use HOME=/)."""
    return bool(path) and os.path.isdir(path) and Path(path).resolve() != Path("/")
