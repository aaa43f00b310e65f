"""Site settings for executed blocks, read from ``extra.kubectl_blocks`` in mkdocs.yml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Settings:
    """Time limits (seconds) and the extra context names live mode accepts as local clusters."""

    client_timeout: float = 30.0
    live_timeout: float = 180.0
    local_contexts: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> Settings:
        """Build from the mkdocs.yml mapping; unknown keys are an error so a typo is not ignored."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"extra.kubectl_blocks: unknown setting(s) {', '.join(unknown)}; "
                             f"known: {', '.join(sorted(known))}")
        if "local_contexts" in values:
            values["local_contexts"] = tuple(str(name) for name in values["local_contexts"] or ())
        for name in ("client_timeout", "live_timeout"):
            if name in values:
                values[name] = float(values[name])
        return cls(**values)
