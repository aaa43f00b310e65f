"""The live-mode guard: cluster blocks run only against a local development cluster.

The current context is read from the kubeconfig files themselves (no command runs before the
guard has decided). When it passes, the live runs get a one-context copy of the kubeconfig, so a
block cannot switch to another cluster halfway through a build.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LOCAL_CONTEXT_PATTERNS = ("minikube", "kind-*", "k3d-*", "docker-desktop", "rancher-desktop")
# Kubeconfig fields holding a path, which kubectl resolves relative to the file that names them.
PATH_FIELDS = ("certificate-authority", "client-certificate", "client-key", "tokenFile")


class LiveRefused(RuntimeError):
    """Live mode must not run: the current context is not a local development cluster."""


@dataclass(frozen=True)
class KubeContext:
    """The context live blocks will use, and a minimal kubeconfig holding only it."""

    name: str
    kubeconfig: dict[str, Any]


def kubeconfig_paths(env: Mapping[str, str]) -> list[Path]:
    """The files kubectl merges, in its order: $KUBECONFIG entries, else ~/.kube/config."""
    value = env.get("KUBECONFIG", "")
    if value:
        return [Path(part).expanduser() for part in value.split(os.pathsep) if part]
    return [Path(env.get("HOME", str(Path.home()))) / ".kube" / "config"]


def is_local_context(name: str, extra_names: Iterable[str] = ()) -> bool:
    """True for minikube, kind-*, k3d-*, Docker/Rancher Desktop, or a name the site config allows."""
    return name in set(extra_names) or any(fnmatch.fnmatchcase(name, p) for p in LOCAL_CONTEXT_PATTERNS)


def check_live_context(env: Mapping[str, str], extra_names: Iterable[str] = ()) -> KubeContext:
    """Return the current context if it is local; otherwise raise LiveRefused naming it."""
    configs = [(path, _load(path)) for path in kubeconfig_paths(env) if path.is_file()]
    if not configs:
        raise LiveRefused("live mode needs a local cluster, but no kubeconfig was found "
                          f"({', '.join(map(str, kubeconfig_paths(env)))}); start one with `minikube start` "
                          "or `kind create cluster`")
    current = next((cfg.get("current-context") for _, cfg in configs if cfg.get("current-context")), None)
    if not current:
        raise LiveRefused("live mode needs a current kubectl context; choose one with "
                          "`kubectl config use-context minikube` (or kind-<name>)")
    if not is_local_context(current, extra_names):
        allowed = ", ".join((*LOCAL_CONTEXT_PATTERNS, *extra_names))
        raise LiveRefused(f"live mode refused: the current kubectl context '{current}' is not a local "
                          f"development cluster (allowed: {allowed}). Switch with `kubectl config "
                          "use-context minikube`, or list the name under extra.kubectl_blocks.local_contexts "
                          "in mkdocs.yml")
    return KubeContext(current, _minimal_config(current, configs))


def _load(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
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
            entries[section] = [{"name": name, field: _absolute_paths(found[1], found[0])}]
    return {"apiVersion": "v1", "kind": "Config", "current-context": context_name, "preferences": {},
            "clusters": [], "users": [], **entries}


def _first_named(configs: list[tuple[Path, dict[str, Any]]], section: str, name: str, field: str
                 ) -> tuple[Path, dict[str, Any]] | None:
    for path, config in configs:
        for entry in config.get(section) or []:
            if isinstance(entry, dict) and entry.get("name") == name:
                return path, dict(entry.get(field) or {})
    return None


def _absolute_paths(entry: dict[str, Any], source: Path) -> dict[str, Any]:
    fixed = dict(entry)
    for field in PATH_FIELDS:
        value = fixed.get(field)
        if isinstance(value, str) and value and not Path(value).expanduser().is_absolute():
            fixed[field] = str((source.parent / value).resolve())
    return fixed
