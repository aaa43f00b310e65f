"""Links say where they go: no page of the built site has a link whose whole text is generic ("Read more",
"here"), which tells neither a screen-reader user skimming links nor a search engine anything, and is what
Lighthouse's SEO audit `link-text` fails a page for (the glossary's 153 "Read more" links cost it 9 points).
"""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import BuildResult

pytestmark = pytest.mark.build

# Lighthouse 12's list for English (core/audits/seo/link-text.js).
GENERIC = {
    "click here",
    "click this",
    "go",
    "here",
    "information",
    "learn more",
    "more",
    "more info",
    "more information",
    "right here",
    "read more",
    "see more",
    "start",
    "this",
}


def generic_links(html: str) -> list[str]:
    """``text -> href`` of every link in the page body whose whole text is generic."""
    return [
        f"{a.text(strip=True)!r} -> {a.attributes.get('href')}"
        for a in LexborHTMLParser(html).css("article a[href]")
        if " ".join(a.text().split()).lower() in GENERIC
    ]


def test_generic_link_text_is_found() -> None:
    page = (
        '<article><a href="x/">Read more</a> <a href="y/">More about Pods</a>'
        '<a href="z/"> here </a></article>'
    )
    assert generic_links(page) == ["'Read more' -> x/", "'here' -> z/"]


def test_no_page_has_a_generic_link(built_site: BuildResult) -> None:
    found = {
        str(page.relative_to(built_site.site_dir)): links
        for page in sorted(built_site.site_dir.rglob("*.html"))
        if (links := generic_links(page.read_text(encoding="utf-8")))
    }
    lines = [f"  {page}: {len(links)}: {', '.join(links[:3])}" for page, links in found.items()]
    assert not found, "\n".join(
        ["links whose text says nothing (say where they go, e.g. 'More about Pods'):", *lines]
    )
