"""Which bundled Kubernetes versions serve each apiVersion/kind, and which API groups are built in.

"Was this API ever served, and until when?" needs every bundled version's definitions (13 files,
~150 ms to read), yet only a manifest with an unserved or custom API asks it. The answer is kept in
the user's cache (the project's one cache store, in a per-user folder: the validator also runs outside
the project), one entry per schema package version and indexing code.
"""

from __future__ import annotations

import contextlib
import json
import os
from functools import cache
from pathlib import Path
from typing import NamedTuple

from kubenotes.cache import CacheStore, digest
from kubenotes.manifests.versions import bundled_versions, schema_folder, schema_package_version

CACHE_AREA = "validator-apis"


class ApiIndex(NamedTuple):
    """``group/version/Kind`` -> the bundled versions (oldest first) whose schemas have it."""

    served: dict[str, list[str]]

    def versions_serving(self, group: str, version: str, kind: str) -> list[str]:
        return self.served.get(f"{group}/{version}/{kind}", [])

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(key.rsplit("/", 2)[0] for key in self.served)


def user_cache_dir() -> Path:
    """Where the validator keeps what it derives from the schemas (``KUBENOTES_CACHE_DIR`` overrides)."""
    override = os.environ.get("KUBENOTES_CACHE_DIR")
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kubenotes"


@cache
def api_index() -> ApiIndex:
    """The index, from the cache when it is there; an unwritable cache only costs the time."""
    store = CacheStore(user_cache_dir())
    key = digest(schema_package_version(), Path(__file__).read_bytes())
    stored = store.get_json(CACHE_AREA, key)
    if isinstance(stored, dict):
        return ApiIndex(stored)
    index = _build_index()
    with contextlib.suppress(OSError):
        store.put_json(CACHE_AREA, key, index.served)
    return index


def _build_index() -> ApiIndex:
    served: dict[str, list[str]] = {}
    for version in bundled_versions():
        with (schema_folder(version) / "_definitions.json").open(encoding="utf-8") as handle:
            definitions = json.load(handle)["$defs"]
        for definition in definitions.values():
            for gvk in definition.get("x-kubernetes-group-version-kind", ()):
                versions = served.setdefault(f"{gvk['group']}/{gvk['version']}/{gvk['kind']}", [])
                if version not in versions:
                    versions.append(version)
    return ApiIndex(served)
