"""Check loaded documents against one Kubernetes version: schema, kind lookup, house checks, lint.

Strict like kubeconform: unknown fields are errors (with the closest valid name), duplicate keys are
errors, an apiVersion/kind that the target version does not serve says when it went away and what
replaced it, and custom resources are checked against their CRD.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from kubenotes.manifests import podsecurity, removed
from kubenotes.manifests.crds import CrdCatalog
from kubenotes.manifests.findings import Finding, ObjectResult, Status
from kubenotes.manifests.lint import object_image_warnings
from kubenotes.manifests.loader import Document, FieldPath, format_path
from kubenotes.manifests.registry import (
    QUANTITY_FORMAT,
    builtin_validator,
    schema_at,
    schemas,
    split_api_version,
)
from kubenotes.manifests.schema_library import jsonschema_rs
from kubenotes.manifests.sources import Source
from kubenotes.problems import Severity

KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
KUSTOMIZE_KINDS = ("Kustomization", "Component")
KUSTOMIZE_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


class Validator:
    """Validates objects for one Kubernetes version; cheap to create (schemas are cached per process)."""

    def __init__(
        self,
        version: str,
        crds: CrdCatalog | None = None,
        skip_kinds: frozenset[str] = frozenset(),
        pod_security: str | None = None,
    ) -> None:
        self.version = version
        self.crds = crds if crds is not None else CrdCatalog()
        self.skip_kinds = skip_kinds
        # A Pod Security level every Pod template must meet (None: report the level, require nothing).
        self.pod_security = pod_security

    def check(self, document: Document, source: Source) -> list[ObjectResult]:
        """One verdict per object in the document (a ``kind: List`` gives one per item)."""
        data = document.data
        place = _Place(document, source)
        if not isinstance(data, dict):
            return [
                place.result(
                    "",
                    "error",
                    [
                        place.finding(
                            (), "", "a Kubernetes object must be a mapping of fields; this document is not"
                        )
                    ],
                )
            ]
        duplicates = [
            place.finding(
                path,
                _object_name(data),
                f'duplicate key "{path[-1]}" (first at line '
                f"{place.line_of(first)}): YAML keeps only the last value; remove one",
                at=key_at,
            )
            for path, key_at, first in document.duplicates
        ]
        if _is_list(data):
            results = [
                self._check_object(item, place, ("items", index)) for index, item in enumerate(data["items"])
            ]
            if duplicates:
                results.append(place.result("List", "invalid", duplicates))
            return results
        result = self._check_object(data, place, ())
        if duplicates and result.status != "skipped":
            result.findings[:0] = duplicates
            result.status = "error" if result.status == "error" else "invalid"
        return [result]

    def _check_object(self, data: Any, place: _Place, prefix: FieldPath) -> ObjectResult:
        if not isinstance(data, dict):
            return place.result(
                "", "invalid", [place.finding(prefix, "", "a List item must be an object")], prefix
            )
        name = _object_name(data)
        api_version, kind = data.get("apiVersion"), data.get("kind")
        if _is_kustomize(api_version, kind, place.source.origin):
            return place.result(
                name,
                "skipped",
                [],
                prefix,
                note="kustomize configuration, not a Kubernetes "
                "object: check it with `kubectl kustomize` and validate the output",
            )
        if kind in self.skip_kinds:
            return place.result(name, "skipped", [], prefix, note=f"kind {kind} skipped on request")
        missing = [
            place.finding(
                (*prefix, key),
                name,
                f'missing "{key}": every Kubernetes object needs '
                f"apiVersion and kind (e.g. apiVersion: apps/v1, kind: Deployment)",
            )
            for key in ("apiVersion", "kind")
            if not isinstance(data.get(key), str) or not data[key]
        ]
        if missing:
            return place.result(name, "invalid", missing, prefix)
        api_version, kind = str(api_version), str(kind)  # both checked to be non-empty strings above
        validator, root, problem = self._schema_for(api_version, kind)
        if validator is None:
            # A built-in API the version does not serve is a wrong manifest; a custom resource whose
            # CRD we were not given is one we could not check.
            custom = split_api_version(api_version)[0] not in builtin_groups()
            status: Status = "error" if custom else "invalid"
            field_path = (*prefix, "kind" if custom else "apiVersion")
            return place.result(name, status, [place.finding(field_path, name, problem)], prefix)
        findings = [
            finding
            for error in validator.iter_errors(data)
            for finding in place.schema_findings(error, name, prefix, root)
        ]
        findings.extend(self._house_checks(data, place, name, prefix))
        level = podsecurity.evaluate(data, self.version)
        if level and self.pod_security and not level.meets(self.pod_security):
            findings.extend(
                place.finding(
                    (*prefix, *violation.fields[0]),
                    name,
                    f"Pod Security {self.pod_security}: {violation.check}: {violation.message}",
                    hint=f"the Pod template meets {level.level}",
                )
                for violation in level.failures(self.pod_security)
            )
        findings.sort(key=lambda finding: (finding.line, finding.column))
        errors = any(finding.severity == "error" for finding in findings)
        result = place.result(name, "invalid" if errors else "valid", findings, prefix)
        result.pod_security = level
        return result

    def _schema_for(
        self, api_version: str, kind: str
    ) -> tuple[jsonschema_rs.Validator | None, dict[str, Any], str]:
        """The compiled validator, the schema document its error paths point into, or why there is none."""
        version_schemas = schemas(self.version)
        definition = version_schemas.definition_for(api_version, kind)
        if definition is not None:
            return builtin_validator(self.version, definition), _definitions_root(self.version), ""
        group, _ = split_api_version(api_version)
        if group in builtin_groups():
            return None, {}, unserved_message(self.version, api_version, kind)
        try:
            validator = self.crds.validator_for(self.version, api_version, kind)
        except (ValueError, jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError) as exc:
            return (
                None,
                {},
                (
                    f"the CustomResourceDefinition of {kind} in {api_version} has a schema that "
                    f"cannot be used: {exc}"
                ),
            )
        if validator is None:
            return (
                None,
                {},
                (
                    f"no CustomResourceDefinition for {kind} in {api_version} among the files "
                    f"given: pass the file that defines it too, or skip the kind with "
                    f"--skip-kind {kind}"
                ),
            )
        return validator, self.crds.schema_for(api_version, kind) or {}, ""

    def _house_checks(
        self, data: dict[str, Any], place: _Place, name: str, prefix: FieldPath
    ) -> Iterable[Finding]:
        metadata = data.get("metadata")
        if not isinstance(metadata, dict) or not (metadata.get("name") or metadata.get("generateName")):
            yield place.finding(
                (*prefix, "metadata", "name"),
                name,
                "missing: give the object a metadata.name (or metadata.generateName, for kubectl create)",
            )
        builtin = schemas(self.version).definition_for(data["apiVersion"], data["kind"]) is not None
        for path, message in object_image_warnings(data, builtin=builtin):
            yield place.finding((*prefix, *path), name, message, severity="warning")


class _Place:
    """Turns field paths of one document into file positions and findings."""

    __slots__ = ("document", "source")

    def __init__(self, document: Document, source: Source) -> None:
        self.document, self.source = document, source

    def line_of(self, position: tuple[int, int]) -> int:
        return self.source.first_line - 1 + position[0]

    def finding(
        self,
        path: FieldPath,
        name: str,
        message: str,
        *,
        severity: Severity = "error",
        at: tuple[int, int] | None = None,
        key: bool = True,
        hint: str = "",
    ) -> Finding:
        line, column = at or self.document.position(path, key=key)
        return Finding(
            severity,
            self.source.origin,
            self.line_of((line, column)),
            column + self.source.column_offset,
            name,
            format_path(path),
            message,
            hint,
        )

    def result(
        self, name: str, status: Status, findings: list[Finding], prefix: FieldPath = (), *, note: str = ""
    ) -> ObjectResult:
        # The document's own line is known without reading positions (most objects need no more).
        line = self.line_of(self.document.position(prefix) if prefix else (self.document.line, 1))
        return ObjectResult(self.source.origin, line, name, status, findings, note=note)

    def schema_findings(
        self, error: jsonschema_rs.ValidationError, name: str, prefix: FieldPath, root: dict[str, Any]
    ) -> list[Finding]:
        """Reword one schema error the way a manifest author thinks: field, line, what to do."""
        path = (*prefix, *error.instance_path)
        kind: Any = error.kind  # a subclass per keyword; each carries that keyword's details
        if kind.name == "additionalProperties":
            allowed = (schema_at(root, list(error.schema_path)[:-1]) or {}).get("properties", {})
            return [
                self.finding((*path, unknown), name, "unknown field" + did_you_mean(unknown, allowed))
                for unknown in kind.unexpected
            ]
        if kind.name == "required":
            return [
                self.finding(
                    (*path, kind.property),
                    name,
                    "missing required field",
                    at=self.document.position(path, key=True),
                )
            ]
        if kind.name == "type":
            expected = " or ".join(t for t in kind.types if t != "null")
            message = f"wrong type: expected {expected}, got {_describe(error.instance)}"
        elif kind.name == "format" and QUANTITY_FORMAT in error.message:
            message = f"{json.dumps(error.instance)} is not a Kubernetes quantity (e.g. 500m, 0.5, 2Gi)"
        else:
            message = error.message
        return [self.finding(path, name, message, key=False)]


def did_you_mean(name: str, allowed: Iterable[str]) -> str:
    from rapidfuzz import fuzz, process  # only a misspelt name needs it (~30 ms to import)

    choices = list(allowed)
    best = process.extractOne(name, choices, scorer=fuzz.ratio, processor=str.lower, score_cutoff=60)
    if best:
        return f' — did you mean "{best[0]}"?'
    return (
        " — remove it or check the spelling"
        if not choices
        else (" — not one of: " + ", ".join(sorted(choices)[:12]) + (", ..." if len(choices) > 12 else ""))
    )


def unserved_message(version: str, api_version: str, kind: str) -> str:
    """Why a built-in apiVersion/kind has no schema in ``version``, and what to use instead."""
    if known := removed.removal(api_version, kind):
        return removed.describe(api_version, kind, known)
    from kubenotes.manifests.apis import api_index  # reads or builds the cross-version index: rare

    served_in = api_index().versions_serving(*split_api_version(api_version), kind)
    alternatives = schemas(version).api_versions_of(kind)
    if alternatives:
        use = f": use apiVersion: {' or '.join(alternatives)}"
        if served_in:
            return (
                f"{api_version} {kind} is not served by Kubernetes {version} (bundled schemas have it "
                f"in {served_in[0]} to {served_in[-1]}){use}"
            )
        return f"{kind} is not served as {api_version} in Kubernetes {version}{use}"
    kinds = {k for g, v, k in schemas(version).kinds if (g, v) == split_api_version(api_version)}
    hint = did_you_mean(kind, kinds) if kinds else ""
    return f"Kubernetes {version} has no kind {kind} in {api_version}{hint}"


@cache
def builtin_groups() -> frozenset[str]:
    """API groups Kubernetes itself serves (any bundled version) or once served (removed table)."""
    from kubenotes.manifests.apis import api_index

    return frozenset({split_api_version(api)[0] for api, _ in removed.REMOVED}) | api_index().groups


@cache
def _definitions_root(version: str) -> dict[str, Any]:
    return {"$defs": schemas(version).definitions}


def _object_name(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    kind = data.get("kind") if isinstance(data.get("kind"), str) else "?"
    metadata: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    name = metadata.get("name") or (f"{metadata['generateName']}*" if metadata.get("generateName") else "")
    return f"{kind}/{name}" if name else str(kind)


def _is_list(data: dict[str, Any]) -> bool:
    is_list = data.get("apiVersion") == "v1" and data.get("kind") == "List"
    return is_list and isinstance(data.get("items"), list)


def _is_kustomize(api_version: Any, kind: Any, origin: str) -> bool:
    if isinstance(api_version, str) and api_version.startswith(f"{KUSTOMIZE_GROUP}/"):
        return kind in KUSTOMIZE_KINDS
    return kind in (None, *KUSTOMIZE_KINDS) and PurePosixPath(origin).name in KUSTOMIZE_FILES


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    kind = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list", dict: "object"}
    shown = f" {json.dumps(value)}" if isinstance(value, str | int | float | bool) else ""
    return f"{kind.get(type(value), type(value).__name__)}{shown}"
