"""Which Kubernetes versions we validate against: one target, a supported range, the bundled set.

The schemas come from the ``kubernetes-validate`` package, one folder per minor version. The site
promises its manifests for SUPPORTED_VERSIONS; TARGET_VERSION is the default of every check.
"""

from __future__ import annotations

import contextlib
import os
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

SCHEMA_PACKAGE = "kubernetes-validate"
# The one place the default target is set: the newest minor the bundled schemas cover.
TARGET_VERSION = "1.37"
# How many of the newest bundled minors the site promises its manifests for (at least three).
SUPPORTED_MINORS = 3

_FOLDER = re.compile(r"^v(\d+)\.(\d+)\.\d+-local-strict$")


@cache
def schema_root() -> Path:
    """The bundled schema folder, located without importing ``kubernetes_validate``: only its data files
    are used, and importing it pulls in jsonschema (about 0.2 s on every build)."""
    spec = find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the kubernetes-validate package is not installed (run `make bootstrap`)")
    return Path(spec.submodule_search_locations[0]) / "kubernetes-json-schema"


@cache
def bundled_versions() -> tuple[str, ...]:
    """Every ``major.minor`` with a strict schema folder, oldest first."""
    found = [(int(m[1]), int(m[2])) for p in schema_root().iterdir() if (m := _FOLDER.match(p.name))]
    return tuple(f"{major}.{minor}" for major, minor in sorted(found))


def supported_versions() -> tuple[str, ...]:
    """The newest SUPPORTED_MINORS bundled minors, ending at TARGET_VERSION."""
    bundled = bundled_versions()
    end = bundled.index(TARGET_VERSION) + 1
    return bundled[max(0, end - SUPPORTED_MINORS) : end]


def schema_folder(version: str) -> Path:
    return schema_root() / f"v{version}.0-local-strict"


@cache
def schema_package_version() -> str:
    """The installed kubernetes-validate's version, from the ``NAME-VERSION.dist-info`` folder that an
    install puts beside the package. ``importlib.metadata`` (which parses the metadata as an e-mail
    message: ~20 ms in every process, workers included) answers only when that folder is not there."""
    site_packages = schema_root().parent.parent
    prefix, suffix = f"{SCHEMA_PACKAGE.replace('-', '_')}-", ".dist-info"
    with contextlib.suppress(OSError):
        found = [n for n in os.listdir(site_packages) if n.startswith(prefix) and n.endswith(suffix)]
        if len(found) == 1:
            return found[0].removeprefix(prefix).removesuffix(suffix)
    from importlib.metadata import version as package_version

    return package_version(SCHEMA_PACKAGE)


def normalize(requested: str) -> str:
    """``v1.36``, ``1.36`` or ``1.36.2`` -> ``1.36``; ValueError naming the choices otherwise."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", requested.strip())
    candidate = f"{match[1]}.{match[2]}" if match else requested
    if candidate not in bundled_versions():
        choices = bundled_versions()
        raise ValueError(
            f"Kubernetes version {requested!r} is not covered by the bundled schemas "
            f"({SCHEMA_PACKAGE} {schema_package_version()}): "
            f"choose {choices[0]} to {choices[-1]}"
        )
    return candidate


def sort_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)
