"""The engine's own code blocks (commands, their outputs, included manifests), highlighted as the site's
fences are, and kept in the cache store.

They are half of the site's code blocks, and Pygments took ~0.15 s of every warm build on them although
they rarely change. pymdownx.highlight is called with the site's own settings (what superfences does for a
fence), so a generated block looks like any other. Its HTML is a function of the code, the language, the
title, those settings, the Pygments and pymdownx versions and this module, which make the key.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pygments
import pymdownx
from markdown import Markdown
from pymdownx.highlight import Highlight

from kubenotes.cache import CacheStore, digest, file_digest

AREA = "highlighted"


class Highlighter:
    """``highlighter(code, language, title)`` -> the HTML of one highlighted code block, from the cache when
    the same block was highlighted before with the same settings."""

    def __init__(self, md: Markdown, store: CacheStore) -> None:
        settings = highlight_settings(md)
        self._css_class = str(settings.pop("css_class", "highlight"))
        settings.pop("_enabled", None)
        self._pygments = Highlight(md, **settings)
        self._store = store
        self._key = digest(
            json.dumps(settings, sort_keys=True, default=repr),
            self._css_class,
            pygments.__version__,
            pymdownx.__version__,
            file_digest(Path(__file__)),
        )

    def __call__(self, code: str, language: str, title: str | None = None) -> str:
        key = digest(self._key, language, title or "", code)
        cached = self._store.get(AREA, key)
        if cached is not None:
            return cached.decode("utf-8")
        html = str(self._pygments.highlight(code, language, self._css_class, title=title))
        with contextlib.suppress(OSError):  # only a shortcut: a read-only cache still highlights
            self._store.put(AREA, key, html.encode("utf-8"))
        return html


def highlight_settings(md: Markdown) -> dict[str, Any]:
    """The page's pymdownx.highlight configuration (empty when the extension is not loaded)."""
    for extension in md.registeredExtensions:
        if type(extension).__module__ == "pymdownx.highlight":
            return dict(extension.getConfigs())
    return {}
