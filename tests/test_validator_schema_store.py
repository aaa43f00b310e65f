"""The compact schema store: only documentation is dropped, and an entry is found again only for the
same definitions and patches (it is keyed by content)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenotes.manifests import schema_store
from kubenotes.manifests.registry import schemas


def test_build_drops_descriptions_but_keeps_a_field_called_description() -> None:
    definitions = {
        "x.v1.Thing": {
            "description": "documentation only",
            "x-kubernetes-group-version-kind": [{"group": "x", "version": "v1", "kind": "Thing"}],
            "properties": {"description": {"type": "string", "description": "the field"}},
            "additionalProperties": False,
        }
    }
    compact = schema_store.build(definitions, {"x.v1.Other": {"type": "string"}})
    assert compact["kinds"] == [["x", "v1", "Thing", "x.v1.Thing"]]
    assert compact["$defs"] == {
        "x.v1.Thing": {"properties": {"description": {"type": "string"}}, "additionalProperties": False},
        "x.v1.Other": {"type": "string"},
    }


def test_the_store_is_keyed_by_content(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path))
    first = schema_store.load("1.37", {}, "patches-a")
    entries = list((tmp_path / schema_store.CACHE_AREA).rglob("*"))
    assert [p for p in entries if p.is_file()], "the compact store was written to the cache"
    assert schema_store.load("1.37", {}, "patches-a") == first
    schema_store.load("1.37", {}, "patches-b")  # other patches: another entry, not the old one
    assert len([p for p in (tmp_path / schema_store.CACHE_AREA).rglob("*") if p.is_file()]) == 2


def test_the_store_has_every_kind_and_the_patches() -> None:
    version = schemas("1.37")
    assert version.definition_for("apps/v1", "Deployment") == "io.k8s.api.apps.v1.Deployment"
    quantity = version.definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"]
    assert quantity["format"] == "kubernetes-quantity"
    assert "description" not in version.definitions["io.k8s.api.apps.v1.Deployment"]
