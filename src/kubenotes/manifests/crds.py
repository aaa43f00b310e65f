"""Custom resources: schemas taken from the CustomResourceDefinitions found among the inputs.

A CRD's ``openAPIV3Schema`` is OpenAPI 3.0 with Kubernetes extensions, not JSON Schema 2020-12, so
it is translated once: ``nullable``, ``x-kubernetes-int-or-string``, boolean exclusive bounds, and
strictness (the API server prunes unknown fields silently; we report them, like built-in kinds,
unless the schema says ``x-kubernetes-preserve-unknown-fields``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubenotes.manifests.registry import OBJECT_META, compile_schema, split_api_version

if TYPE_CHECKING:
    import jsonschema_rs

CRD_API_VERSION = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"

GroupVersionKind = tuple[str, str, str]


class CrdCatalog:
    """Every custom resource schema known to one run, by full group/version/kind."""

    def __init__(self, schemas: dict[GroupVersionKind, dict[str, Any]] | None = None) -> None:
        self.schemas: dict[GroupVersionKind, dict[str, Any]] = schemas if schemas is not None else {}
        self._compiled: dict[tuple[str, GroupVersionKind], jsonschema_rs.Validator] = {}

    def add(self, crd: dict[str, Any]) -> None:
        """Register every version of one CRD object (already checked against the built-in CRD schema)."""
        spec: dict[str, Any] = crd["spec"] if isinstance(crd.get("spec"), dict) else {}
        names: dict[str, Any] = spec["names"] if isinstance(spec.get("names"), dict) else {}
        group, kind = spec.get("group"), names.get("kind")
        if not isinstance(group, str) or not isinstance(kind, str):
            return
        versions = spec.get("versions")
        for served in versions if isinstance(versions, list) else ():
            if not isinstance(served, dict) or not isinstance(served.get("schema"), dict):
                continue
            schema = served["schema"].get("openAPIV3Schema")
            if isinstance(served.get("name"), str) and isinstance(schema, dict):
                gvk = (group, served["name"], kind)
                try:
                    self.schemas[gvk] = resource_schema(schema)
                except (AttributeError, TypeError):
                    continue  # a malformed schema: the CRD's own check reports where
                for key in [key for key in self._compiled if key[1] == gvk]:
                    del self._compiled[key]  # redefined: compile the new schema when next needed

    def schema_for(self, api_version: str, kind: str) -> dict[str, Any] | None:
        return self.schemas.get((*split_api_version(api_version), kind))

    def validator_for(self, version: str, api_version: str, kind: str) -> jsonschema_rs.Validator | None:
        gvk = (*split_api_version(api_version), kind)
        schema = self.schemas.get(gvk)
        if schema is None:
            return None
        key = (version, gvk)
        if key not in self._compiled:
            self._compiled[key] = compile_schema(version, schema)
        return self._compiled[key]


def is_crd(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    return data.get("apiVersion") == CRD_API_VERSION and data.get("kind") == CRD_KIND


def resource_schema(openapi: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a whole custom resource: translated body plus the standard top-level fields."""
    schema = to_json_schema(openapi)
    properties = schema.setdefault("properties", {})
    properties["apiVersion"] = {"type": "string"}
    properties["kind"] = {"type": "string"}
    properties["metadata"] = {"$ref": OBJECT_META}
    schema.setdefault("type", "object")
    if not openapi.get("x-kubernetes-preserve-unknown-fields"):
        schema["additionalProperties"] = False
    return dict(schema)


def to_json_schema(node: Any, *, close: bool = True) -> Any:
    """Translate one OpenAPI 3.0 structural schema node (recursively) to JSON Schema 2020-12.

    Branches of allOf/anyOf/oneOf/not only add value checks in a structural schema, so they are
    never closed to unknown fields (``close=False``); the node holding the real ``properties`` is.
    """
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _SCHEMA_MAPS:
            out[key] = {name: to_json_schema(sub, close=close) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS:
            out[key] = [to_json_schema(sub, close=False) for sub in value]
        elif key == "not":
            out[key] = to_json_schema(value, close=False)
        elif key in _SCHEMA_ONE:
            out[key] = to_json_schema(value, close=close)
        elif key != "nullable" and not key.startswith("x-kubernetes-"):
            out[key] = value
    if node.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if isinstance(out.get(exclusive), bool) and out.pop(exclusive) and bound in out:
            out[exclusive] = out.pop(bound)
    if node.get("x-kubernetes-embedded-resource"):
        out.setdefault("properties", {}).update(
            apiVersion={"type": "string"}, kind={"type": "string"}, metadata={"type": "object"}
        )
    open_ended = node.get("x-kubernetes-preserve-unknown-fields") or "additionalProperties" in out
    if close and "properties" in out and not open_ended:
        out["additionalProperties"] = False
    return out


_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_ONE = ("items", "additionalProperties")
