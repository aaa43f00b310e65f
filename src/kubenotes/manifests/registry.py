"""Schemas per Kubernetes version, read once per process, and compiled validators, built once per kind.

kubernetes-validate's own ``validate()`` re-reads the 1.8 MB definitions file on every call and
finds a schema by dropping the group's domain (so ``apps.example.com/v1`` Deployment would be checked
as ``apps/v1``). Here each version's definitions are read once, from a compact copy without their
descriptions (``schema_store``), every kind is indexed by its full group/version/kind from
``x-kubernetes-group-version-kind``, and jsonschema-rs compiles one validator per kind on first use.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from kubenotes.manifests import schema_store
from kubenotes.manifests.quantity import is_quantity

if TYPE_CHECKING:
    import jsonschema_rs

DEFINITIONS_URI = "https://kubernetes.io/api/_definitions.json"
OBJECT_META = f"{DEFINITIONS_URI}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
QUANTITY_FORMAT = "kubernetes-quantity"

# The bundled IntOrString and Quantity are ``oneOf`` two types that both allow null, so an explicit
# ``targetPort: null`` (which the API server treats as unset) matches both and fails "valid under
# each of". A plain type list says the same without that trap; quantities get a real syntax check.
_PATCHES: dict[str, dict[str, Any]] = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": ["string", "integer", "null"]},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {
        "type": ["string", "number", "null"],
        "format": QUANTITY_FORMAT,
    },
}
FORMATS = {QUANTITY_FORMAT: is_quantity}


class VersionSchemas(NamedTuple):
    """One Kubernetes version's definitions (schema keywords only) and their kind index."""

    version: str
    definitions: dict[str, Any]
    kinds: dict[tuple[str, str, str], str]  # (group, version, kind) -> definition name

    @property
    def groups(self) -> set[str]:
        return {group for group, _, _ in self.kinds}

    def definition_for(self, api_version: str, kind: str) -> str | None:
        return self.kinds.get((*split_api_version(api_version), kind))

    def api_versions_of(self, kind: str) -> list[str]:
        """Every apiVersion that serves ``kind`` in this version (``apps/v1`` for Deployment)."""
        return sorted(join_api_version(g, v) for g, v, k in self.kinds if k == kind)


def split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


def join_api_version(group: str, version: str) -> str:
    return f"{group}/{version}" if group else version


@cache
def schemas(version: str) -> VersionSchemas:
    """One version's patched definitions and kind index, from the compact store (once per process)."""
    compact = schema_store.load(version, _PATCHES, json.dumps(_PATCHES, sort_keys=True))
    kinds: dict[tuple[str, str, str], str] = {}
    for group, api_version, kind, name in compact["kinds"]:
        kinds.setdefault((group, api_version, kind), name)
    return VersionSchemas(version, compact["$defs"], kinds)


def load_version(version: str) -> None:
    """Read ``version``'s schemas and build their registry now (before forking: workers share them)."""
    _registry(version)


@cache
def _registry(version: str) -> jsonschema_rs.Registry:
    """The definitions as one schema resource that every compiled validator refers into."""
    # ~20 ms (a 15 MB library): a build whose verdicts are all cached never needs it
    from kubenotes.manifests.schema_library import jsonschema_rs

    return jsonschema_rs.Registry([(DEFINITIONS_URI, {"$defs": schemas(version).definitions})])


@cache
def builtin_validator(version: str, definition: str) -> jsonschema_rs.Validator:
    """The compiled validator of one built-in kind in one version (once per process)."""
    return compile_schema(version, {"$ref": f"{DEFINITIONS_URI}#/$defs/{definition}"})


def compile_schema(version: str, schema: dict[str, Any]) -> jsonschema_rs.Validator:
    """Compile ``schema``, which may ``$ref`` the version's definitions (CRD schemas use ObjectMeta)."""
    from kubenotes.manifests.schema_library import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(
        schema,
        registry=_registry(version),
        formats=FORMATS,
        validate_formats=True,
    )


def schema_at(root: dict[str, Any], schema_path: list[str | int]) -> Any:
    """Follow a validation error's schema path inside ``root`` (None when it leaves it)."""
    node: Any = root
    for step in schema_path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node
