"""Fail the build on any ``<!-- kn:... -->`` marker that no hook expanded (a typo or unknown name).

Listed last in mkdocs.yml so it sees the page after every other hook.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from kubenotes.shortcodes import leftover_markers


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    leftovers = leftover_markers(markdown)
    if leftovers:
        details = "; ".join(
            f"docs/{page.file.src_uri}:{m.line}: unknown shortcode kn:{m.name}" for m in leftovers
        )
        raise PluginError(f"{details} (known shortcodes are listed in README.md, 'Writing pages')")
    return markdown
