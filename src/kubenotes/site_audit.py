"""Find everything a built site would load from another host, so it works on an air-gapped laptop.

Navigation links (``<a href>``) to other sites are fine; what the browser fetches by itself is not:
scripts, stylesheets, icons, preloads, images, frames, CSS ``url()``/``@import``, JS module imports and
images inside SVG files. Material's repository widget is included: it fetches from the GitHub API.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser

# Elements whose attribute the browser fetches without a click. <link> is handled apart: only some rels load.
FETCHED_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
LOADING_LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "manifest",
    "mask-icon",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.IGNORECASE)
JS_IMPORT = re.compile(
    r"""(?:\bimport\s*\(|\bfrom|\bimportScripts\s*\(|\bimport)\s*(['"])((?:https?:)?//[^'"]+)\1"""
)
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
# Material's data-md-component="source" makes its JavaScript call the GitHub API on every visit.
REPO_WIDGET = 'data-md-component="source"'


@dataclass(frozen=True)
class ExternalLoad:
    """One thing a page would fetch from another host."""

    file: Path
    what: str
    url: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what} loads {self.url}"


def is_remote(url: str) -> bool:
    """True for absolute URLs with a host (http:, https:, protocol-relative); data: and relative are local."""
    return bool(REMOTE.match(url.strip())) and not url.strip().lower().startswith("data:")


def _srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def audit_markup(path: Path, text: str) -> Iterator[ExternalLoad]:
    """External loads in one HTML or SVG document, including its inline styles."""
    tree = HTMLParser(text)
    for node in tree.css("*"):
        attrs = node.attributes
        if node.tag == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & LOADING_LINK_RELS and is_remote(attrs.get("href") or ""):
                yield ExternalLoad(path, f"<link rel={' '.join(sorted(rels))}>", attrs["href"] or "")
        for name in FETCHED_ATTRIBUTES.get(node.tag or "", ()):
            value = attrs.get(name) or ""
            urls = _srcset_urls(value) if name == "srcset" else [value]
            yield from (ExternalLoad(path, f"<{node.tag} {name}>", url) for url in urls if is_remote(url))
        if style := attrs.get("style"):
            yield from audit_css(path, style)
    for element in tree.css("style"):
        yield from audit_css(path, element.text())
    if REPO_WIDGET in text:
        yield ExternalLoad(path, "Material repository widget", "the GitHub API (repository facts)")


def audit_css(path: Path, text: str) -> Iterator[ExternalLoad]:
    """External ``url()`` references and ``@import`` rules in CSS."""
    for pattern, what in ((CSS_IMPORT, "CSS @import"), (CSS_URL, "CSS url()")):
        yield from (ExternalLoad(path, what, m[1]) for m in pattern.finditer(text) if is_remote(m[1]))


def audit_js(path: Path, text: str) -> Iterator[ExternalLoad]:
    """Static and dynamic module imports and worker scripts from another host."""
    yield from (ExternalLoad(path, "JavaScript import", m[2]) for m in JS_IMPORT.finditer(text))


def external_loads(site_dir: Path) -> list[ExternalLoad]:
    """Every external load in a built site: HTML and SVG markup, CSS and JavaScript files."""
    auditors = {".html": audit_markup, ".svg": audit_markup, ".css": audit_css, ".js": audit_js}
    found: list[ExternalLoad] = []
    for path in sorted(site_dir.rglob("*")):
        auditor = auditors.get(path.suffix)
        if auditor and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found.extend(auditor(path.relative_to(site_dir), text))
    return found
