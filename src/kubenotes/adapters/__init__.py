"""Generator adapters: each wires one generator's events or context to the site engine and holds no logic.

:func:`page_for` answers the one question the Markdown extension cannot answer alone: which build and
which page is being converted. Zensical tells it in its rendering context; MkDocs through its adapter
(which began the page); anything else gets a build of the project around the working directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markdown import Markdown

from kubenotes.site.build import Build
from kubenotes.site.page import Page

STANDALONE_PAGE = "(Markdown text)"


def page_for(md: Markdown, options: Mapping[str, Any], text: str | None) -> tuple[Build, Page]:
    """The build and page for a conversion by ``md`` of ``text`` (None: an executed fence asking late)."""
    from kubenotes.adapters import zensical
    from kubenotes.project import Project
    from kubenotes.site import session

    context = zensical.page_context(md)
    if context is not None:
        return zensical.page_for(context, options, text)
    build = session.active()
    if build is not None:
        return build, build.current or Page("", STANDALONE_PAGE)
    build = session.build_for(Project.find(), options)
    return build, Page("", STANDALONE_PAGE)
