"""Our ``pymdownx.superfences`` custom fences for ``bash``, ``sh`` and ``console``: the only way an
executed fence runs. markdown-exec parses the fence options; the engine runs the block.

mkdocs.yml registers them (no markdown-exec plugin, whose stock formatters would run blocks in the
build's own environment), so any generator that reads that file executes fences through the guarded
engine or not at all::

    custom_fences:
      - {name: bash, class: bash, validator: !!python/name:kubenotes.execution.fence.validate,
         format: !!python/name:kubenotes.execution.fence.format_fence}
"""

from __future__ import annotations

from typing import Any

import markdown_exec
from markdown import Markdown


def validate(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Markdown
) -> bool:
    """markdown-exec's option parsing; a fence without ``exec="on"`` stays a plain code block."""
    return bool(markdown_exec.validator(language, inputs, options, attrs, md))


def format_fence(
    source: str, language: str, css_class: str, options: dict[str, Any], md: Markdown, **kwargs: Any
) -> str:
    """Run (or reuse, or show) the block through the build's engine and return its HTML."""
    from kubenotes.extension import page_state

    build, page = page_state(md)
    return str(build.capability("execution").render_fence(page, language, source, options, md))
