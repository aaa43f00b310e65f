"""One compact schema document per Kubernetes version, made once from the bundled definitions and cached.

The bundled ``_definitions.json`` is 1.8 MB, most of it field descriptions; every run would read,
decode and hand all of it to the schema validator. What validation needs is a quarter of it: the
schema keywords, with the (patched) definitions and the group/version/kind index. That is made on
first use and kept in the user's cache store, keyed by the definitions' content and this module's
code, so a changed schema package or changed patches can never be served an old entry.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from kubenotes.manifests.versions import schema_folder

CACHE_AREA = "validator-schemas"
STORE_FORMAT = "1"
GVK = "x-kubernetes-group-version-kind"

# Keywords whose value maps names to schemas, is one schema, or is a list of schemas: the walk
# descends only there, so a field that happens to be called "description" is kept.
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_SCHEMA_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalItems",
    }
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def load(version: str, patches: dict[str, dict[str, Any]], patches_id: str) -> dict[str, Any]:
    """``{"kinds": [[group, version, kind, definition], ...], "$defs": {...}}`` for ``version``.

    ``patches`` replace whole definitions; ``patches_id`` names them in the cache key (their text)."""
    from kubenotes.cache import CacheStore, digest, file_digest, tool_digest
    from kubenotes.manifests.apis import user_cache_dir

    definitions = schema_folder(version) / "_definitions.json"
    store = CacheStore(user_cache_dir())
    # The 1.8 MB file's digest is remembered against its identity: a hit reads only the compact copy.
    key = digest(STORE_FORMAT, tool_digest(definitions, store), patches_id, file_digest(Path(__file__)))
    stored = store.get(CACHE_AREA, key)
    if stored is not None:
        with contextlib.suppress(ValueError):
            compact: dict[str, Any] = json.loads(stored)
            if isinstance(compact, dict) and "$defs" in compact and "kinds" in compact:
                return compact
    compact = build(json.loads(definitions.read_bytes())["$defs"], patches)
    with contextlib.suppress(OSError):  # an unwritable cache only costs the time
        store.put(CACHE_AREA, key, json.dumps(compact, separators=(",", ":")).encode("utf-8"))
    return compact


def build(definitions: dict[str, Any], patches: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The compact document: patched definitions without annotations, and the kind index."""
    kinds = [
        [gvk["group"], gvk["version"], gvk["kind"], name]
        for name, definition in definitions.items()
        for gvk in definition.get(GVK, ())
    ]
    merged = {**definitions, **patches}
    return {"kinds": kinds, "$defs": {name: _keywords(schema) for name, schema in merged.items()}}


def _keywords(node: Any) -> Any:
    """A schema node without what only documents it (``description``, ``x-kubernetes-*``)."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for keyword, value in node.items():
        if keyword == "description" or keyword.startswith("x-kubernetes-"):
            continue
        if keyword in _SCHEMA_MAPS and isinstance(value, dict):
            out[keyword] = {name: _keywords(schema) for name, schema in value.items()}
        elif keyword in _SCHEMA_ONE:
            out[keyword] = _keywords(value)
        elif keyword in _SCHEMA_LISTS and isinstance(value, list):
            out[keyword] = [_keywords(schema) for schema in value]
        else:
            out[keyword] = value
    return out
