"""The engine's settings: the ``kubenotes.extension`` options of the site config, checked by type.

A wrong setting names its key and what it expects (``local_contexts: lab-cluster`` is a string, not the
list of names it looks like), so a typo never turns into a silently different build.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kubenotes.problems import Problem, ProblemsFound, problem
from kubenotes.project import DEFAULTS, EXTENSION_NAME


@dataclass(frozen=True)
class KubectlSettings:
    """Time limits (seconds) per executed block, and extra context names live mode accepts as local."""

    client_timeout: float = 30.0
    live_timeout: float = 180.0
    local_contexts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything the extension's options may set; folder names are read by :class:`Project`."""

    kubectl_blocks: KubectlSettings = field(default_factory=KubectlSettings)


FOLDER_KEYS = frozenset(DEFAULTS)


def load_settings(options: Mapping[str, Any] | None, *, config_file: Path | None = None) -> Settings:
    """Check ``options`` against :class:`Settings`; raise ProblemsFound naming every wrong key."""
    where = config_file.name if config_file else "site config"
    text = _read(config_file)
    found: list[Problem] = []
    values = dict(options or {})
    for key in sorted(set(values) - {f.name for f in fields(Settings)} - FOLDER_KEYS):
        found.append(
            _wrong(
                where,
                text,
                key,
                f"unknown setting {key!r}",
                f"known: {', '.join(sorted({f.name for f in fields(Settings)} | FOLDER_KEYS))}",
            )
        )
    for key in FOLDER_KEYS & set(values):
        if not isinstance(values[key], str) or not values[key]:
            found.append(
                _wrong(
                    where,
                    text,
                    key,
                    f"expected a folder or file name, got {_shown(values[key])}",
                    f"write e.g. {key}: {DEFAULTS[key]}",
                )
            )
    kubectl = values.get("kubectl_blocks") or {}
    if not isinstance(kubectl, Mapping):
        found.append(
            _wrong(
                where,
                text,
                "kubectl_blocks",
                f"expected a mapping, got {_shown(kubectl)}",
                "write kubectl_blocks: {client_timeout: 30}",
            )
        )
        kubectl = {}
    checked: dict[str, Any] = {}
    known = {f.name for f in fields(KubectlSettings)}
    for key, value in kubectl.items():
        path = f"kubectl_blocks.{key}"
        if key not in known:
            found.append(
                _wrong(where, text, path, f"unknown setting {key!r}", f"known: {', '.join(sorted(known))}")
            )
        elif key == "local_contexts":
            if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
                found.append(
                    _wrong(
                        where,
                        text,
                        path,
                        f"expected a list of context names, got {_shown(value)}",
                        f"write {key}: [{value if isinstance(value, str) else 'my-lab'}]",
                    )
                )
            else:
                checked[key] = tuple(value)
        elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            found.append(
                _wrong(
                    where,
                    text,
                    path,
                    f"expected a number of seconds above 0, got {_shown(value)}",
                    f"write {key}: 30",
                )
            )
        else:
            checked[key] = float(value)
    if found:
        raise ProblemsFound(found)
    return Settings(KubectlSettings(**checked))


def _wrong(where: str, text: str, key: str, message: str, hint: str) -> Problem:
    return problem(
        where, _line_of(text, key.rsplit(".", 1)[-1]), message, hint=hint, field=f"{EXTENSION_NAME}.{key}"
    )


def _line_of(text: str, key: str) -> int:
    """The line where ``key:`` is written in the config (0 when it cannot be found)."""
    written = re.compile(rf"(?:^|[\s{{,])['\"]?{re.escape(key)}['\"]?\s*:")
    return next(
        (
            number
            for number, line in enumerate(text.splitlines(), start=1)
            if written.search(line.split("#", 1)[0])
        ),
        0,
    )


def _read(config_file: Path | None) -> str:
    try:
        return config_file.read_text(encoding="utf-8") if config_file else ""
    except (OSError, UnicodeDecodeError):
        return ""


def _shown(value: Any) -> str:
    kind = {str: "the string", bool: "the boolean", int: "the number", float: "the number"}.get(type(value))
    return f"{kind} {value!r}" if kind else f"a {type(value).__name__}"
