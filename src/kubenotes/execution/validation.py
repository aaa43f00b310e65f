"""Kubernetes objects printed by a block go through the same validator as every manifest on the site."""

from __future__ import annotations

import re

from kubenotes.manifests import validate_text

OBJECT_MARKERS = (re.compile(r"^apiVersion:", re.MULTILINE), re.compile(r"^kind:", re.MULTILINE))


def output_errors(output: str, page: str, line: int) -> list[str]:
    """Messages for every finding in YAML ``output`` of the block at ``page:line`` (empty when valid).

    Line numbers count from the block's line, so an editor jumps to the block that printed the object.
    """
    if not all(marker.search(output) for marker in OBJECT_MARKERS):
        return []
    return [f"{finding.format()} (in the output of the block at {page}:{line})"
            for finding in validate_text(output, page, first_line=line)]
