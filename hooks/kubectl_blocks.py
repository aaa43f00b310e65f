"""Route markdown-exec's shell fences (bash, sh, console) through the kubenotes execution engine.

markdown-exec alone runs blocks in the build's environment, without timeout, cache or isolation,
and only warns on failure without naming the page. Here its formatters for those languages are
replaced: the engine runs or reuses each block, and a failure is logged as an error naming
``docs/page.md:LINE`` (so the strict build stops). ``KUBENOTES_LIVE=1`` (``make live``) turns on
live mode, refused before any page is built unless the current context is a local cluster.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import markdown
import markdown_exec
from markupsafe import Markup
from mkdocs.exceptions import PluginError

from kubenotes.execution import Block, BlockEngine, LiveRefused, OutputCache, Settings, check_live_context
from kubenotes.execution.commands import strip_prompts
from kubenotes.execution.fences import LANGUAGES, Fence, drop_samples, same_body, scan
from kubenotes.execution.render import render_block
from kubenotes.execution.validation import output_errors
from kubenotes.project import cache_dir

log = logging.getLogger("mkdocs.hooks.kubectl_blocks")
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})


class _Build:
    """State of the running build: the engine and the page whose Markdown is being converted."""

    engine: BlockEngine | None = None
    convert: Callable[[str], str] = str
    page: str = ""
    formatted: int = 0  # blocks formatted on this page, for unique line anchors
    fences: ClassVar[list[Fence]] = []  # this page's fences not yet formatted, in page order


def on_config(config) -> None:
    if _Build.engine is not None:
        _Build.engine.close()
    try:
        settings = Settings.from_mapping(config.extra.get("kubectl_blocks"))
        live = None
        if os.environ.get("KUBENOTES_LIVE", "").lower() in TRUE_VALUES:
            live = check_live_context(os.environ, settings.local_contexts)
    except (ValueError, LiveRefused) as error:
        raise PluginError(str(error)) from None
    root = Path(config.config_file_path).parent
    _Build.engine = BlockEngine(root, OutputCache(cache_dir(root) / "kubectl"), settings, live)
    _Build.convert = _fence_converter(config.mdx_configs.get("pymdownx.highlight", {}))
    for language in LANGUAGES:
        markdown_exec.formatters[language] = partial(_format, language=language)


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    _Build.page = f"docs/{page.file.src_uri}"
    _Build.fences = scan(markdown)
    _Build.formatted = 0
    engine = _Build.engine
    if engine is None or engine.live is None:
        return markdown
    return drop_samples(markdown, _Build.fences, lambda f: engine.runs_live(_commands(f.language, f.body)))


def on_post_build(*, config) -> None:
    if _Build.engine is not None:
        log.info(_Build.engine.summary())
        _Build.engine.close()
        _Build.engine = None


def on_build_error(*, error: Exception) -> None:
    if _Build.engine is not None:
        _Build.engine.close()
        _Build.engine = None


def _format(*, code: str, md: Any, language: str, result: str = "", returncode: int = 0,
            extra: dict[str, str] | None = None, **_options: Any) -> Markup:
    """markdown-exec's formatter signature: run the block, report failures, return its HTML."""
    engine = _Build.engine
    if engine is None:
        raise PluginError("hooks/kubectl_blocks.py: a shell block was formatted before on_config ran")
    line = _claim_line(code)
    origin = f"{_Build.page}:{line}" if line else _Build.page
    script = _commands(language, code)
    timeout_text = (extra or {}).get("timeout")
    try:
        timeout = float(timeout_text) if timeout_text else None
    except ValueError:
        log.error(f'{origin}: timeout="{timeout_text}" is not a number of seconds')
        timeout = None
    outcome = engine.execute(Block(script, origin, returncode, timeout))
    if outcome.error:
        log.error(outcome.error)
    elif result == "yaml" and outcome.output.strip():
        for message in output_errors(outcome.output, _Build.page, line):
            log.error(message)
    _Build.formatted += 1
    anchor = f"kn{_Build.formatted}"
    return Markup(render_block(script, outcome, result, _Build.convert, anchor))


def _fence_converter(highlight_config: dict[str, Any]) -> Callable[[str], str]:
    """A converter for the command and output fences: the site's highlighting and nothing else.

    markdown-exec's own converter re-runs every site extension per block, including the snippets
    extension's auto-appended glossary, which made each block cost about 0.3 s of the build.
    """
    converter = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences"],
                                  extension_configs={"pymdownx.highlight": highlight_config})

    def convert(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    return convert


def _claim_line(code: str) -> int:
    """The page line of this block: the first not yet formatted fence with the same body (0 if none)."""
    for index, fence in enumerate(_Build.fences):
        if same_body(fence.body, code):
            del _Build.fences[index]
            return fence.line
    return 0


def _commands(language: str, code: str) -> str:
    return strip_prompts(code) if language == "console" else code
