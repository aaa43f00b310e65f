"""Warnings a schema cannot give: problems in values that are valid strings (images without a pinned tag)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubenotes.manifests.loader import FieldPath
from kubenotes.manifests.podsecurity import TEMPLATE_PATHS

_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def object_image_warnings(data: dict[str, Any], *, builtin: bool) -> Iterator[tuple[FieldPath, str]]:
    """Image warnings of one object: a built-in kind has containers only in its Pod template (or none);
    a custom resource may embed them anywhere, so all of it is searched."""
    if not builtin:
        yield from image_warnings(data)
        return
    prefix = TEMPLATE_PATHS.get(data.get("kind"))  # type: ignore[arg-type]
    if prefix is None:
        return
    template: Any = data
    for step in prefix:
        template = template.get(step) if isinstance(template, dict) else None
    spec = template.get("spec") if isinstance(template, dict) else None
    if isinstance(spec, dict):
        yield from image_warnings(spec, (*prefix, "spec"))


def image_warnings(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Yield (field path, message) for every container image that is untagged or ``:latest``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _CONTAINER_LISTS and isinstance(value, list):
                for index, container in enumerate(value):
                    image = container.get("image") if isinstance(container, dict) else None
                    if isinstance(image, str) and (problem := _image_problem(image)):
                        yield (*path, key, index, "image"), problem
            elif isinstance(value, dict | list):
                yield from image_warnings(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, dict | list):
                yield from image_warnings(item, (*path, index))


def _image_problem(image: str) -> str | None:
    if "@" in image:  # pinned by digest
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return (
            f'image "{image}" has no tag, so it means :latest and changes under you: '
            f'pin a version (e.g. "{image}:1.2.3")'
        )
    if last.endswith(":latest"):
        return f'image "{image}" uses :latest, which changes under you: pin a version'
    return None
