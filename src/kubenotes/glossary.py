"""Glossary links: the first use of each term on a page links to its glossary entry; later uses are plain.

Every page gets every abbreviation from ``includes/abbreviations.md`` (pymdownx.snippets auto-append), so
Markdown's ``abbr`` extension wraps each occurrence of a term in ``<abbr>``. A tooltip on every "Pod" is
noise; one link with a tooltip where the reader first meets the term is the help they need.

The HTML is read with the standard library's tokenizer because it reports where each tag starts and ends
in the source: edits are spliced into the original string, so everything this module does not change
stays byte-for-byte as the Markdown pipeline produced it (a re-serialising parser would not).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

import markdown
from markdown.extensions.toc import slugify as markdown_slugify

LINK_CLASS = "kn-glossary"
ENTRY_LEVEL = 3  # glossary entries are `### Term` headings; `## A` etc. group them
# Where a link would nest in another link, change code, or fight a control's own click: left untouched.
NO_LINK_TAGS = frozenset({"a", "button", "code", "kbd", "label", "pre", "samp", "summary",
                          "h1", "h2", "h3", "h4", "h5", "h6"})
NO_LINK_CLASSES = frozenset({"admonition-title"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                       "track", "wbr"})


class GlossaryError(ValueError):
    """A page uses an abbreviation that has no glossary entry to link to."""


@dataclass(frozen=True)
class Abbreviation:
    """One ``<abbr>`` element, located in the source string."""

    start: int  # offset of ``<abbr``
    inner_start: int  # just after the start tag
    inner_end: int  # offset of ``</abbr>``
    end: int  # just after ``</abbr>``
    term: str  # the element's text, entities decoded
    linkable: bool  # False inside a heading, link, code block or other place a link must not go


@dataclass(frozen=True)
class Scan:
    """What a page's HTML holds: its abbreviations, and the glossary anchors it already links to."""

    abbreviations: list[Abbreviation]
    linked_anchors: frozenset[str]


def entry_anchors(glossary_markdown: str, *, slugify: Callable[[str, str], str] = markdown_slugify,
                  separator: str = "-") -> dict[str, str]:
    """Map each ``### Term`` of the glossary to the id its heading gets on the built page.

    The ids come from Python-Markdown's own toc extension with the site's slugify and separator, so
    duplicates get the same ``_1`` suffixes and ``{#custom}`` ids (attr_list) are honoured.
    """
    return dict(_entry_anchors(glossary_markdown, slugify, separator))


@lru_cache(maxsize=4)
def _entry_anchors(glossary_markdown: str, slugify: Callable[[str, str], str],
                   separator: str) -> tuple[tuple[str, str], ...]:
    converter = markdown.Markdown(extensions=["attr_list", "toc"],
                                  extension_configs={"toc": {"slugify": slugify, "separator": separator}})
    converter.convert(glossary_markdown)
    return tuple((token["name"], token["id"]) for token in _walk(converter.toc_tokens)
                 if token["level"] == ENTRY_LEVEL)


def _walk(tokens: list[dict]) -> Iterator[dict]:
    for token in tokens:
        yield token
        yield from _walk(token["children"])


def link_first_uses(html: str, *, glossary_url: str, anchors: Mapping[str, str]) -> str:
    """Link the first linkable ``<abbr>`` of each term to ``glossary_url#anchor``; unwrap its later ones.

    A term whose entry the page already links to by hand gets no second link. Abbreviations inside
    headings, links, code and similar places are left as they are and do not count as the first use.
    Raises GlossaryError for a term that has no entry in ``anchors``.
    """
    scan = scan_html(html, glossary_url=glossary_url)
    unknown = sorted({abbr.term for abbr in scan.abbreviations if abbr.term not in anchors})
    if unknown:
        raise GlossaryError(f"abbreviations with no glossary entry: {', '.join(unknown)} (add a `### term` "
                            "entry to the glossary, or remove the `*[term]: ...` line)")
    linked = {term for term, anchor in anchors.items() if anchor in scan.linked_anchors}
    pieces, done = [], 0
    for abbr in scan.abbreviations:
        if not abbr.linkable:
            continue
        pieces.append(html[done:abbr.start])
        if abbr.term in linked:
            pieces.append(html[abbr.inner_start:abbr.inner_end])
        else:
            href = escape(f"{glossary_url}#{anchors[abbr.term]}")
            pieces.append(f'<a href="{href}" class="{LINK_CLASS}">{html[abbr.start:abbr.end]}</a>')
            linked.add(abbr.term)
        done = abbr.end
    pieces.append(html[done:])
    return "".join(pieces)


def unwrap_all(html: str) -> str:
    """Replace every ``<abbr>`` with its text: the glossary page shows the definitions themselves."""
    pieces, done = [], 0
    for abbr in scan_html(html, glossary_url="").abbreviations:
        pieces += [html[done:abbr.start], html[abbr.inner_start:abbr.inner_end]]
        done = abbr.end
    pieces.append(html[done:])
    return "".join(pieces)


def scan_html(html: str, *, glossary_url: str) -> Scan:
    """Locate every ``<abbr>`` in ``html`` and the glossary anchors its links point at."""
    scanner = _Scanner(html, glossary_url)
    scanner.feed(html)
    scanner.close()
    return Scan(scanner.abbreviations, frozenset(scanner.linked_anchors))


class _Scanner(HTMLParser):
    """Tracks open elements so each ``<abbr>`` knows whether a link may wrap it."""

    def __init__(self, html: str, glossary_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self._html = html
        self._line_starts = [0, *(i + 1 for i, char in enumerate(html) if char == "\n")]
        self._glossary_prefix = f"{glossary_url}#" if glossary_url else None
        self._open: list[tuple[str, bool]] = []  # (tag, a link may not go inside it)
        self._abbr: dict | None = None
        self.abbreviations: list[Abbreviation] = []
        self.linked_anchors: set[str] = set()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href") or ""
        if tag == "a" and self._glossary_prefix and href.startswith(self._glossary_prefix):
            self.linked_anchors.add(href.removeprefix(self._glossary_prefix))
        if tag == "abbr" and self._abbr is None:
            start = self._offset()
            self._abbr = {"start": start, "inner_start": start + len(self.get_starttag_text() or ""),
                          "text": [], "linkable": not any(blocked for _, blocked in self._open)}
        if tag in VOID_TAGS:
            return
        classes = set((values.get("class") or "").split())
        self._open.append((tag, tag in NO_LINK_TAGS or bool(classes & NO_LINK_CLASSES)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "abbr" and self._abbr is not None:
            inner_end = self._offset()
            self.abbreviations.append(Abbreviation(
                start=self._abbr["start"], inner_start=self._abbr["inner_start"], inner_end=inner_end,
                end=self._html.index(">", inner_end) + 1,
                term=" ".join("".join(self._abbr["text"]).split()), linkable=self._abbr["linkable"]))
            self._abbr = None
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break

    def handle_data(self, data: str) -> None:
        if self._abbr is not None:
            self._abbr["text"].append(data)
