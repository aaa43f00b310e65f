"""Converting pages without a generator: the site config's Markdown extensions, for scripts, benchmarks and
tests that call Python-Markdown directly (the third way the engine runs, besides MkDocs and Zensical).

The config is read the way the generators read it, ``!!python/name:`` tags included (they name the
executed-fence formatters), so it must be the project's own trusted ``mkdocs.yml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class _GeneratorLoader(yaml.UnsafeLoader):
    """``!!python/name:`` as the generators construct it; ``!ENV`` gives its default."""


_GeneratorLoader.add_constructor(
    "!ENV",
    lambda loader, node: loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None,
)


def markdown_options(config_file: Path) -> tuple[list[str], dict[str, Any]]:
    """The extension names and their options from ``markdown_extensions`` of a site config."""
    text = config_file.read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_GeneratorLoader)
    names: list[str] = []
    options: dict[str, Any] = {}
    for entry in (config or {}).get("markdown_extensions") or []:
        name, value = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if value:
            options[name] = value
    return names, options
