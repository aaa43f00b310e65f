"""The live-mode guard: cluster blocks run only against a local development cluster, checked twice.

The current context must have the name of a local cluster (minikube, kind-*, ...) AND its server must be
a local address: loopback, or a private address a VM-driver minikube uses. A name alone proves nothing
(anyone can call a context ``kind-prod``). The context is read from the kubeconfig files themselves, so
nothing runs before the guard has decided. When it passes, live runs get a self-contained one-context
kubeconfig (certificate and key files inlined, since the sandbox hides HOME) and the one route to its
server (see ``kubenotes.sandbox.relay``).
"""

from __future__ import annotations

import base64
import fnmatch
import ipaddress
import os
import socket
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kubenotes.sandbox import ApiRoute

LOCAL_CONTEXT_PATTERNS = ("minikube", "kind-*", "k3d-*", "docker-desktop", "rancher-desktop")
# Private networks minikube's drivers put the cluster on (minikube source, pkg/drivers and pkg/network):
# docker/podman start at 192.168.49.0/24 and step by 9 (20 tries), kvm2 starts at 192.168.39.0/24 and steps
# by 10 (20 tries), VirtualBox's host-only network is 192.168.59.0/24, the macOS vmnet drivers (hyperkit,
# qemu2 with socket_vmnet, vfkit) use 192.168.64.0/24 and 192.168.105.0/24.
MINIKUBE_NETWORKS = tuple(
    ipaddress.ip_network(cidr)
    for cidr in sorted(
        {
            *(f"192.168.{49 + 9 * step}.0/24" for step in range(20)),
            *(f"192.168.{39 + 10 * step}.0/24" for step in range(20)),
            "192.168.59.0/24",
            "192.168.64.0/24",
            "192.168.105.0/24",
        }
    )
)
# Kubeconfig fields that name a file, and the inline field that replaces each in the one-context copy.
INLINED_FILES = {
    "certificate-authority": "certificate-authority-data",
    "client-certificate": "client-certificate-data",
    "client-key": "client-key-data",
}


class LiveRefused(RuntimeError):
    """Live mode must not run: the current context is not a local development cluster."""


@dataclass(frozen=True)
class KubeContext:
    """The context live blocks use: a self-contained one-context kubeconfig and the route to its server."""

    name: str
    kubeconfig: dict[str, Any]
    server: str = ""
    route: ApiRoute | None = None


def kubeconfig_paths(env: Mapping[str, str]) -> list[Path]:
    """The files kubectl merges, in its order: $KUBECONFIG entries, else ~/.kube/config."""
    value = env.get("KUBECONFIG", "")
    if value:
        return [Path(part).expanduser() for part in value.split(os.pathsep) if part]
    return [Path(env.get("HOME", str(Path.home()))) / ".kube" / "config"]


def is_local_context(name: str, extra_names: Iterable[str] = ()) -> bool:
    """True for minikube, kind-*, k3d-*, Docker/Rancher Desktop, or a name the site config allows."""
    names = {extra_names} if isinstance(extra_names, str) else set(extra_names)
    return name in names or any(fnmatch.fnmatchcase(name, p) for p in LOCAL_CONTEXT_PATTERNS)


def is_local_address(address: str, extra_networks: Iterable[str] = ()) -> bool:
    """Loopback, the unspecified address (k3d writes 0.0.0.0), a minikube VM network, or a configured one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    networks = (*MINIKUBE_NETWORKS, *(ipaddress.ip_network(n, strict=False) for n in extra_networks))
    return ip.is_loopback or ip.is_unspecified or any(ip in network for network in networks)


def check_live_context(
    env: Mapping[str, str], extra_names: Iterable[str] = (), extra_networks: Iterable[str] = ()
) -> KubeContext:
    """Return the current context if its name and its server are local; otherwise raise LiveRefused."""
    configs = [(path, _load(path)) for path in kubeconfig_paths(env) if path.is_file()]
    if not configs:
        raise LiveRefused(
            "live mode needs a local cluster, but no kubeconfig was found "
            f"({', '.join(map(str, kubeconfig_paths(env)))}); start one with `minikube start` "
            "or `kind create cluster`"
        )
    current = next((cfg.get("current-context") for _, cfg in configs if cfg.get("current-context")), None)
    if not current:
        raise LiveRefused(
            "live mode needs a current kubectl context; choose one with "
            "`kubectl config use-context minikube` (or kind-<name>)"
        )
    names = (extra_names,) if isinstance(extra_names, str) else tuple(extra_names)
    if not is_local_context(current, names):
        allowed = ", ".join((*LOCAL_CONTEXT_PATTERNS, *names))
        raise LiveRefused(
            f"live mode refused: the current kubectl context '{current}' is not a local "
            f"development cluster (allowed: {allowed}). Switch with `kubectl config "
            "use-context minikube`, or list the name under extra.kubectl_blocks.local_contexts "
            "in mkdocs.yml"
        )
    kubeconfig = _minimal_config(current, configs)
    clusters = kubeconfig["clusters"]
    server = str(clusters[0]["cluster"].get("server", "")) if clusters else ""
    route = check_server(current, server, clusters[0]["cluster"] if clusters else {}, tuple(extra_networks))
    return KubeContext(current, kubeconfig, server, route)


def check_server(
    context: str, server: str, cluster: Mapping[str, Any], extra_networks: Iterable[str] = ()
) -> ApiRoute:
    """The route to ``server`` if every address it stands for is local; else LiveRefused naming the server."""
    refused = f"live mode refused: the context '{context}' has the name of a local cluster, but its server"
    parts = urllib.parse.urlsplit(server)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise LiveRefused(
            f"{refused} '{server}' is not an https:// URL; recreate the cluster's kubeconfig "
            "(`minikube update-context`, `kind export kubeconfig`)"
        )
    if cluster.get("proxy-url"):
        raise LiveRefused(
            f"{refused} {server} is reached through the proxy {cluster['proxy-url']}; "
            "remove proxy-url from the cluster in your kubeconfig"
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise LiveRefused(f"{refused} '{server}' has an invalid port") from None
    addresses = _addresses(parts.hostname, port)
    if not addresses:
        raise LiveRefused(f"{refused} {server} does not resolve to any address here")
    foreign = [address for address in addresses if not is_local_address(address, extra_networks)]
    if foreign:
        raise LiveRefused(
            f"{refused} {server} is not a local address ({', '.join(foreign)} is neither "
            "loopback nor a minikube VM network). Point the context at your local cluster, or "
            "switch with `kubectl config use-context minikube`"
        )
    return ApiRoute(parts.hostname, port, addresses)


def _addresses(host: str, port: int) -> tuple[str, ...]:
    try:
        return (str(ipaddress.ip_address(host)),)
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return ()
    return tuple(dict.fromkeys(str(entry[4][0]) for entry in found))


def _load(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise LiveRefused(f"{path}: not a readable kubeconfig ({error})") from None
    if not isinstance(data, dict):
        raise LiveRefused(f"{path}: not a kubeconfig (expected a mapping)")
    return data


def _minimal_config(context_name: str, configs: list[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    """One context with its cluster and user, first definition winning as in kubectl's merge."""
    context = _first_named(configs, "contexts", context_name, "context")
    if context is None:
        raise LiveRefused(f"the current context '{context_name}' is not defined in any kubeconfig file")
    entries: dict[str, list[dict[str, Any]]] = {"contexts": [{"name": context_name, "context": context[1]}]}
    for section, field, key in (("clusters", "cluster", "cluster"), ("users", "user", "user")):
        name = context[1].get(key)
        found = _first_named(configs, section, name, field) if name else None
        if found is not None:
            entries[section] = [{"name": name, field: _inline_files(found[1], found[0])}]
    if "clusters" not in entries:
        raise LiveRefused(f"the current context '{context_name}' names no cluster defined in any kubeconfig")
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": context_name,
        "preferences": {},
        "clusters": [],
        "users": [],
        **entries,
    }


def _first_named(
    configs: list[tuple[Path, dict[str, Any]]], section: str, name: str, field: str
) -> tuple[Path, dict[str, Any]] | None:
    for path, config in configs:
        for entry in config.get(section) or []:
            if isinstance(entry, dict) and entry.get("name") == name:
                return path, dict(entry.get(field) or {})
    return None


def _inline_files(entry: dict[str, Any], source: Path) -> dict[str, Any]:
    """Certificates, keys and token files read into the entry: the sandbox cannot see where they live."""
    fixed = dict(entry)
    for field, inline in (*INLINED_FILES.items(), ("tokenFile", "token")):
        value = fixed.pop(field, None)
        if not isinstance(value, str) or not value:
            continue
        path = Path(value).expanduser()
        path = path if path.is_absolute() else source.parent / path
        try:
            data = path.read_bytes()
        except OSError as error:
            raise LiveRefused(
                f"{source}: {field} {value} cannot be read ({error.strerror}); "
                "recreate the kubeconfig or fix the path"
            ) from None
        fixed[inline] = data.decode().strip() if inline == "token" else base64.b64encode(data).decode()
    return fixed
