"""Warnings a schema cannot give: problems in values that are valid strings (images without a pinned tag)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubenotes.manifests.loader import FieldPath

_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def image_warnings(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Yield (field path, message) for every container image that is untagged or ``:latest``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _CONTAINER_LISTS and isinstance(value, list):
                for index, container in enumerate(value):
                    image = container.get("image") if isinstance(container, dict) else None
                    if isinstance(image, str) and (problem := _image_problem(image)):
                        yield (*path, key, index, "image"), problem
            else:
                yield from image_warnings(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from image_warnings(item, (*path, index))


def _image_problem(image: str) -> str | None:
    if "@" in image:  # pinned by digest
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return (f'image "{image}" has no tag, so it means :latest and changes under you: '
                f'pin a version (e.g. "{image}:1.2.3")')
    if last.endswith(":latest"):
        return f'image "{image}" uses :latest, which changes under you: pin a version'
    return None
