"""The Python-Markdown extension that carries the site's promises to any generator that reads its config.

Listed under ``markdown_extensions:`` as ``kubenotes.extension`` (its options are the engine settings),
it runs every capability of the build on each page: Markdown edits and markers before any other
preprocessor sees the page (so lines are the author's), tree stages at their priorities, and the end of
the page (problems reported, strict failure) as the last tree stage — not as a postprocessor, because
the toc extension runs every postprocessor on each heading's text. Executed fences are our
``pymdownx.superfences`` custom fences (``kubenotes.execution.fence``), which ask :func:`page_state`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from kubenotes.site.build import Build
from kubenotes.site.page import Page
from kubenotes.table_slots import TableSlots

# Above pymdownx.snippets (32) and every other preprocessor: we see the text the author wrote.
BEGIN_PRIORITY = 40.0
END_PRIORITY = -100.0  # after every other treeprocessor
# Just after Python-Markdown's whitespace normalisation (30), which deletes the stash placeholders' control
# characters, and before raw HTML blocks and fences are read (20-25).
RAW_HTML_PRIORITY = 29.0
# Pygments wraps every run of whitespace in code in <span class="w">, which no stylesheet of the site styles:
# a third of all spans on the site. Unwrapped once the stashed code blocks are back in the page (raw HTML
# comes back at priority 30), the page looks the same with a smaller DOM for phones and the search index.
PLAIN_WHITESPACE_PRIORITY = 5.0
WHITESPACE_SPAN = re.compile(r'<span class="w">(\s*)</span>')
# Tables are built by the block parser; they get their slots before any other tree stage runs.
TABLE_SLOTS_PRIORITY = 50.0


@dataclass
class PageState:
    """The build and page a Markdown instance is converting (None before the first page)."""

    build: Build | None = None
    page: Page | None = None


class KubenotesExtension(Extension):
    """Options are kept as given; :func:`kubenotes.settings.load_settings` checks them by type."""

    def __init__(self, **options: Any) -> None:
        super().__init__()
        self.options: dict[str, Any] = dict(options)

    def setConfig(self, key: str, value: Any) -> None:
        self.options[key] = value

    def extendMarkdown(self, md: Markdown) -> None:
        from kubenotes.site.registry import capability_types

        md.registerExtension(self)
        state = PageState()
        md.kubenotes_state = state  # type: ignore[attr-defined]
        md.preprocessors.register(_BeginPage(md, self, state), "kubenotes_begin_page", BEGIN_PRIORITY)
        md.preprocessors.register(_RawHtml(md, state), "kubenotes_raw_html", RAW_HTML_PRIORITY)
        for kind in capability_types():
            if kind.tree_priority is not None:
                md.treeprocessors.register(
                    _TreeStage(md, state, kind.name), f"kubenotes_{kind.name}", kind.tree_priority
                )
        md.treeprocessors.register(TableSlots(md), "kubenotes_table_slots", TABLE_SLOTS_PRIORITY)
        md.treeprocessors.register(_EndPage(md, state), "kubenotes_end_page", END_PRIORITY)
        md.postprocessors.register(
            _PlainWhitespace(md), "kubenotes_plain_whitespace", PLAIN_WHITESPACE_PRIORITY
        )

    def reset(self) -> None:
        pass  # the state is replaced when the next page begins


def page_state(md: Markdown) -> tuple[Build, Page]:
    """The build and page ``md`` is converting; a safe default build when our extension did not begin one.

    An executed fence rendered without the extension still runs through the guarded engine (offline),
    never through anything else.
    """
    from kubenotes.adapters import page_for

    state: PageState | None = getattr(md, "kubenotes_state", None)
    if state is not None and state.build is not None and state.page is not None:
        return state.build, state.page
    return page_for(md, {}, None)


class _BeginPage(Preprocessor):
    def __init__(self, md: Markdown, extension: KubenotesExtension, state: PageState) -> None:
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        from kubenotes.adapters import page_for

        text = "\n".join(lines)
        build, page = page_for(self.md, self.extension.options, text)
        page.converter = self.md
        self.state.build, self.state.page = build, page
        return build.render_markdown(page, text).split("\n")


class _RawHtml(Preprocessor):
    def __init__(self, md: Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        page = self.state.page
        return page.stash_raw_html(lines, self.md.htmlStash.store) if page is not None else lines


class _TreeStage(Treeprocessor):
    def __init__(self, md: Markdown, state: PageState, capability: str) -> None:
        super().__init__(md)
        self.state = state
        self.capability = capability

    def run(self, root: etree.Element) -> None:
        build, page = self.state.build, self.state.page
        capability = build.capabilities.get(self.capability) if build is not None else None
        if capability is not None and page is not None:
            capability.page_tree(page, root, self.md)


class _EndPage(Treeprocessor):
    def __init__(self, md: Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        build, page = self.state.build, self.state.page
        self.state.build = self.state.page = None
        if build is not None and page is not None:
            build.end_page(page)


class _PlainWhitespace(Postprocessor):
    def run(self, text: str) -> str:
        return WHITESPACE_SPAN.sub(r"\1", text) if '<span class="w">' in text else text


def makeExtension(**options: Any) -> KubenotesExtension:
    return KubenotesExtension(**options)
