"""Find the outbound links of a built site, and where each appears (the Markdown source when known)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from selectolax.lexbor import LexborHTMLParser

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@dataclass(frozen=True, order=True)
class Place:
    """Where a link appears: a docs/ source file and line when the URL is written there, else the page."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def own_site_url(site_dir: Path) -> str | None:
    """The published site's address (the home page in sitemap.xml): links to it are internal, not external."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return None
    locs = [
        loc.text.strip()
        for loc in ET.parse(sitemap).getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)
        if loc.text
    ]
    return min(locs, key=len) if locs else None


def external_links(site_dir: Path, docs_dir: Path | None = None) -> dict[str, list[Place]]:
    """URL (without fragment) -> places, for every http(s) ``<a href>`` that leaves the site."""
    own = own_site_url(site_dir)
    links: dict[str, set[Place]] = {}
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        for anchor in LexborHTMLParser(html).css("a[href]"):
            url = urldefrag((anchor.attributes.get("href") or "").strip()).url
            if urlsplit(url).scheme not in ("http", "https") or (own and url.startswith(own)):
                continue
            links.setdefault(url, set()).add(_place(url, page, site_dir, docs_dir))
    return {url: sorted(places) for url, places in sorted(links.items())}


def _place(url: str, page: Path, site_dir: Path, docs_dir: Path | None) -> Place:
    """The Markdown file and line that wrote ``url``; the built page when the theme added it."""
    for source in _sources_of(page.relative_to(site_dir), docs_dir):
        for number, text in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if url in text:
                return Place(f"docs/{source.relative_to(docs_dir).as_posix()}", number)
    return Place(f"site/{page.relative_to(site_dir).as_posix()}")


def _sources_of(page: Path, docs_dir: Path | None) -> list[Path]:
    """Markdown files that MkDocs' directory URLs could have turned into ``page`` (e.g. a/b/index.html)."""
    if docs_dir is None:
        return []
    folder = page.parent
    names = [docs_dir / folder / "index.md", docs_dir / folder / "README.md"]
    if page.name == "index.html" and folder.parts:
        names.insert(0, docs_dir / folder.with_suffix(".md"))
    elif page.name != "index.html":
        names = [docs_dir / page.with_suffix(".md")]
    return [name for name in names if name.is_file()]
