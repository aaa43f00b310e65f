"""Our ``pymdownx.superfences`` custom fences for ``bash``, ``sh`` and ``console``: the only way an
executed fence runs. The fence syntax is markdown-exec's; the options are read by
:mod:`kubenotes.execution.options` and the engine runs the block.

mkdocs.yml registers them (no markdown-exec plugin, whose stock formatters would run blocks in the
build's own environment), so any generator that reads that file executes fences through the guarded
engine or not at all::

    custom_fences:
      - {name: bash, class: bash, validator: !!python/name:kubenotes.execution.fence.validate,
         format: !!python/name:kubenotes.execution.fence.format_fence}

Importing markdown-exec itself for its option parser cost every build about 0.1 s (it loads all its
formatters and, through one of them, Zensical's 21 MB library), and its parser accepted options the
engine does not honour.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown

from kubenotes.execution.options import is_executed, read_options

OPTIONS_KEY = "kubenotes"  # where validate leaves the parsed options for format_fence


def validate(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Markdown
) -> bool:
    """A fence without ``exec="on"`` stays a plain code block; an executed one carries its options."""
    if not is_executed(language, inputs):
        return False
    options[OPTIONS_KEY] = read_options(inputs)
    return True


def format_fence(
    source: str, language: str, css_class: str, options: dict[str, Any], md: Markdown, **kwargs: Any
) -> str:
    """Run (or reuse, or show) the block through the build's engine and return its HTML."""
    from kubenotes.extension import page_state

    build, page = page_state(md)
    execution = build.capability("execution")
    return str(execution.render_fence(page, language, source, options[OPTIONS_KEY], md))
