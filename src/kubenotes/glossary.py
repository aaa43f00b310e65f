"""Glossary links: the first use of each term on a page links to its glossary entry; later uses are plain.

Every page gets every abbreviation from ``includes/abbreviations.md`` (pymdownx.snippets auto-append), so
Markdown's ``abbr`` extension wraps each occurrence of a term in ``<abbr>``. A tooltip on every "Pod" is
noise; one link with a tooltip where the reader first meets the term is the help they need.

The work happens on Markdown's element tree (the capability's tree stage), right after the ``abbr``
treeprocessor and before a generator rewrites links: the generated link is an ordinary ``.md`` link, so the
generator turns it into the page URL and validates its anchor like any link an author wrote, and no page
is parsed a second time as HTML.
"""

from __future__ import annotations

import contextlib
import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions.toc import slugify as markdown_slugify

from kubenotes.cache import digest, file_digest
from kubenotes.problems import Problem, problem
from kubenotes.site.capability import Capability
from kubenotes.site.page import Page

LINK_CLASS = "kn-glossary"
ENTRY_LEVEL = 3  # glossary entries are `### Term` headings; `## A` etc. group them
# Where a link would nest in another link, change code, or fight a control's own click: left untouched.
NO_LINK_TAGS = frozenset(
    {"a", "button", "code", "kbd", "label", "pre", "samp", "summary", "h1", "h2", "h3", "h4", "h5", "h6"}
)
NO_LINK_CLASSES = frozenset({"admonition-title"})
ANCHORS_AREA = "glossary-anchors"  # cache area: the glossary's term -> heading id map


def entry_anchors(
    glossary_markdown: str, *, slugify: Callable[[str, str], str] = markdown_slugify, separator: str = "-"
) -> dict[str, str]:
    """Map each ``### Term`` of the glossary to the id its heading gets on the built page.

    The ids come from Python-Markdown's own toc extension with the site's slugify and separator, so
    duplicates get the same ``_1`` suffixes and ``{#custom}`` ids (attr_list) are honoured.
    """
    return dict(_entry_anchors(glossary_markdown, slugify, separator))


@lru_cache(maxsize=4)
def _entry_anchors(
    glossary_markdown: str, slugify: Callable[[str, str], str], separator: str
) -> tuple[tuple[str, str], ...]:
    converter = markdown.Markdown(
        extensions=["attr_list", "toc"],
        extension_configs={"toc": {"slugify": slugify, "separator": separator}},
    )
    converter.convert(glossary_markdown)
    tokens: list[dict[str, Any]] = getattr(converter, "toc_tokens", [])  # set by the toc extension
    return tuple((token["name"], token["id"]) for token in _walk(tokens) if token["level"] == ENTRY_LEVEL)


def _walk(tokens: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield token
        yield from _walk(token["children"])


@dataclass
class PageGlossary:
    """What the treeprocessor needs to know about the page being converted, and what it found there."""

    src_uri: str  # the page's path under docs/, e.g. "architecture/worker-node.md"
    anchors: Mapping[str, str]  # term -> id of its glossary heading
    glossary_page: str = "reference/glossary.md"  # under docs/
    unknown_terms: set[str] = field(default_factory=set)

    @property
    def is_glossary(self) -> bool:
        return self.src_uri == self.glossary_page

    @cached_property
    def glossary_path(self) -> str:
        """The glossary's source file relative to this page's, as an author would write the link."""
        return posixpath.relpath(self.glossary_page, posixpath.dirname(self.src_uri) or ".")

    def entry_href(self, term: str) -> str:
        return f"{self.glossary_path}#{self.anchors[term]}"

    def linked_anchor(self, href: str) -> str | None:
        """The glossary anchor a hand-written link on this page points at, if it points at one."""
        path, _, anchor = href.partition("#")
        if not anchor or "://" in path:
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.src_uri), path)) if path else ""
        return anchor if target == self.glossary_page else None


class GlossaryCapability(Capability):
    """First-use links on every page; an abbreviation without a glossary entry is a problem."""

    name = "glossary"
    tree_priority = 6.0  # after Markdown's abbr treeprocessor (7), before toc (5) and link rewriting (0)

    def __init__(self, build) -> None:  # type: ignore[no-untyped-def]
        super().__init__(build)
        self._text: str | None = None
        self._anchors: dict[str, str] | None = None

    def prepare(self) -> list[Problem]:
        project = self.build.project
        path = project.docs_dir / project.glossary_page
        try:
            self._text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return [
                problem(
                    project.display(path),
                    0,
                    f"the glossary cannot be read: {error}",
                    hint="glossary links need it; create it or set `glossary:` in the extension options",
                )
            ]
        return []

    def page_tree(self, page: Page, root: etree.Element, md: markdown.Markdown) -> None:
        if self._text is None:
            return
        glossary = PageGlossary(page.src_uri, self._entry_anchors(md), self.build.project.glossary_page)
        link_first_uses(root, glossary)
        if glossary.unknown_terms:
            page.problem(
                0,
                f"abbreviations with no glossary entry: {', '.join(sorted(glossary.unknown_terms))}",
                hint="add a `### term` entry to the glossary, or remove the `*[term]: ...` line",
            )

    def _entry_anchors(self, md: markdown.Markdown) -> dict[str, str]:
        """The glossary's anchors as this site's toc extension makes them (its slugify and separator)."""
        if self._anchors is None:
            toc = next(
                (e for e in md.registeredExtensions if type(e).__module__ == "markdown.extensions.toc"), None
            )
            settings = {key: toc.getConfig(key) for key in ("slugify", "separator")} if toc else {}
            key = _anchors_key(self._text or "", settings)
            cached = self.build.cache.get_json(ANCHORS_AREA, key) if key else None
            if isinstance(cached, dict):
                self._anchors = cached
            else:
                self._anchors = entry_anchors(self._text or "", **settings)
                if key:
                    with contextlib.suppress(OSError):  # a read-only cache only costs the conversion
                        self.build.cache.put_json(ANCHORS_AREA, key, self._anchors)
        return self._anchors


def _anchors_key(text: str, settings: Mapping[str, Any]) -> str | None:
    """The cache key of the glossary's anchors (converting the glossary costs ~50 ms a build), or None
    when the slugify function cannot be named: a closure or partial would need its arguments in the key."""
    slugify = settings.get("slugify", markdown_slugify)
    qualname = getattr(slugify, "__qualname__", "<locals>")
    if "<locals>" in qualname or getattr(slugify, "__closure__", None):
        return None
    return digest(
        "glossary-anchors",
        file_digest(Path(__file__)),  # this code: a fixed reading of the glossary never serves old ids
        text,
        f"{getattr(slugify, '__module__', '')}.{qualname}",
        str(settings.get("separator", "-")),
        markdown.__version__,
    )


def link_first_uses(root: etree.Element, page: PageGlossary) -> None:
    """Link the first linkable ``<abbr>`` of each term to its entry; unwrap its later uses.

    A term whose entry the page already links to by hand gets no second link. Abbreviations inside
    headings, links, code and similar places stay as they are and do not count as the first use. On the
    glossary page every abbreviation is unwrapped: its entries are the definitions. Terms without an
    entry are collected in ``page.unknown_terms``.
    """
    anchors_linked = {page.linked_anchor(a.get("href", "")) for a in root.iter("a")}
    linked = {term for term, anchor in page.anchors.items() if anchor in anchors_linked}
    for parent, abbr, blocked in list(_abbreviations(root, blocked=False)):
        term = " ".join("".join(abbr.itertext()).split())
        if term not in page.anchors:
            page.unknown_terms.add(term)
        elif page.is_glossary or (not blocked and term in linked):
            _unwrap(parent, abbr)
        elif not blocked:
            _wrap_in_link(parent, abbr, page.entry_href(term))
            linked.add(term)


def _abbreviations(
    element: etree.Element, *, blocked: bool
) -> Iterator[tuple[etree.Element, etree.Element, bool]]:
    """Each ``<abbr>`` in document order with its parent, and whether a link may not wrap it."""
    for child in element:
        if child.tag == "abbr":
            yield element, child, blocked
            continue
        classes = set((child.get("class") or "").split())
        yield from _abbreviations(
            child, blocked=blocked or child.tag in NO_LINK_TAGS or bool(classes & NO_LINK_CLASSES)
        )


def _unwrap(parent: etree.Element, abbr: etree.Element) -> None:
    """Replace the element with its text, joined to the text around it."""
    text = "".join(abbr.itertext()) + (abbr.tail or "")
    index = list(parent).index(abbr)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(abbr)


def _wrap_in_link(parent: etree.Element, abbr: etree.Element, href: str) -> None:
    link = etree.Element("a", {"href": href, "class": LINK_CLASS})
    link.tail, abbr.tail = abbr.tail, None
    parent.insert(list(parent).index(abbr), link)
    parent.remove(abbr)
    link.append(abbr)
