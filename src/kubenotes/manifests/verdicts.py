"""A disk cache of validation verdicts, so a warm rebuild does not re-validate unchanged manifests.

The key covers everything a verdict depends on: the text and where it sits (messages name the file
and line), the Kubernetes versions, the schema package version, the CRDs in scope and this
package's own source (a fixed validator must not keep serving old verdicts).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kubenotes.cachefs import atomic_write_text, digest
from kubenotes.manifests.findings import ObjectResult
from kubenotes.manifests.versions import schema_package_version


@cache
def engine_digest() -> str:
    """A digest of this package's source files."""
    package = Path(__file__).parent
    return digest(*(path.read_bytes() for path in sorted(package.rglob("*.py"))))


class VerdictCache:
    """Verdicts stored as JSON files under ``folder``, one per key, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def key(self, *parts: str) -> str:
        return digest(schema_package_version(), engine_digest(), *parts)

    def get_or_compute(self, key: str, compute: Callable[[], list[ObjectResult]]) -> list[ObjectResult]:
        path = self.folder / key[:2] / f"{key}.json"
        if path.is_file():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
                results = [ObjectResult.from_dict(item) for item in stored]
            except (ValueError, KeyError, TypeError):
                results = None  # an entry from an older layout: recompute and overwrite it
            if results is not None:
                self.hits += 1
                return results
        self.misses += 1
        results = compute()
        atomic_write_text(path, json.dumps([result.to_dict() for result in results]))
        return results
