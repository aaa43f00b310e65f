"""Glossary links: the engine on small element trees and Markdown strings, then the real built site.

The engine tests compare whole serialised trees written out by hand, so a change to anything outside the
abbreviations it rewrites fails them. The site tests follow every generated link to the built glossary
page: MkDocs validates these links too (they are ordinary ``.md`` links in the tree), but the test checks
the result a reader clicks.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import markdown
import pytest
from markdown.extensions.toc import slugify as markdown_slugify
from markdown.treeprocessors import Treeprocessor
from pymdownx import slugs
from selectolax.lexbor import LexborHTMLParser

from kubenotes.glossary import PageGlossary, _anchors_key, entry_anchors, link_first_uses
from sites import convert as convert_page
from sites import make_site

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "reference" / "glossary.md"
ABBREVIATIONS = ROOT / "includes" / "abbreviations.md"
ANCHORS = {"Pod": "pod", "kubelet": "kubelet", "CRI": "cri"}
PAGE = "workloads/pods.md"
ENTRY = "../reference/glossary.md"
# Independent of the engine: the markup Markdown's abbr extension writes, and the link the engine adds.
ABBR_MARKUP = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')
LINK_MARKUP = re.compile(r'<a class="kn-glossary" href="[^"]*">(.*?)</a>')


def abbr(term: str, title: str = "t") -> str:
    return f'<abbr title="{title}">{term}</abbr>'


def linked(term: str, anchor: str, title: str = "t", entry: str = ENTRY) -> str:
    return f'<a href="{entry}#{anchor}" class="kn-glossary">{abbr(term, title)}</a>'


def link(html: str, src_uri: str = PAGE) -> tuple[str, PageGlossary]:
    """Run the engine on ``html`` as the body of a page at ``src_uri``; the serialised body and the page."""
    root = etree.fromstring(f"<div>{html}</div>")
    page = PageGlossary(src_uri, ANCHORS)
    link_first_uses(root, page)
    return etree.tostring(root, encoding="unicode").removeprefix("<div>").removesuffix("</div>"), page


# --- engine: which abbreviation becomes the link ------------------------------------------------------------


def test_first_use_links_and_later_uses_become_plain_text():
    html = (
        f"<p>A {abbr('Pod')} runs; each {abbr('Pod')} has a {abbr('kubelet', 'k')}.</p>"
        f"<p>{abbr('Pod')}</p><p>{abbr('Pod')} first, then <em>{abbr('Pod')}</em> {abbr('Pod')}</p>"
    )
    assert link(html)[0] == (
        f"<p>A {linked('Pod', 'pod')} runs; each Pod has a "
        f"{linked('kubelet', 'kubelet', 'k')}.</p><p>Pod</p>"
        "<p>Pod first, then <em>Pod</em> Pod</p>"
    )


@pytest.mark.parametrize(
    "wrapper",
    [
        '<h2 id="the-pod">The {}</h2>',
        "<h4>{}</h4>",
        '<a href="../pods/">{}</a>',
        "<code>{}</code>",
        "<pre><code>{}</code></pre>",
        '<p class="admonition-title">{} notes</p>',
        "<summary>{}</summary>",
        '<label for="tab">{}</label>',
        "<kbd>{}</kbd>",
    ],
)
def test_abbreviations_where_a_link_must_not_go_stay_and_do_not_count_as_the_first_use(wrapper):
    blocked = wrapper.format(abbr("Pod"))
    html = f"{blocked}<p>Then a {abbr('Pod')}.</p>{blocked}"
    assert link(html)[0] == f"{blocked}<p>Then a {linked('Pod', 'pod')}.</p>{blocked}"


def test_a_nested_blocked_context_blocks_the_link():
    heading = f'<h3 id="x"><span><em>{abbr("CRI")}</em></span></h3>'
    html = f"{heading}<p><em>{abbr('CRI')}</em></p>"
    assert link(html)[0] == f"{heading}<p><em>{linked('CRI', 'cri')}</em></p>"


def test_a_term_the_page_already_links_to_by_hand_gets_no_second_link():
    by_hand = '<a href="../reference/./glossary.md#cri">runtime interface</a>'
    html = (
        f"<p>The {abbr('kubelet')} starts.</p>"
        f'<p>The <a href="{ENTRY}#kubelet">{abbr("kubelet")}</a>, and {abbr("Pod")}.</p>'
        f"<p>See the {by_hand}: {abbr('CRI')}</p>"
    )
    assert link(html)[0] == (
        "<p>The kubelet starts.</p>"
        f'<p>The <a href="{ENTRY}#kubelet">{abbr("kubelet")}</a>, and '
        f"{linked('Pod', 'pod')}.</p>"
        f"<p>See the {by_hand}: CRI</p>"
    )


def test_a_link_to_the_same_anchor_on_another_page_is_not_a_glossary_link():
    others = '<a href="../networking/services.md#pod">x</a> <a href="https://x.io/#pod">y</a>'
    assert link(f"<p>{others} {abbr('Pod')}</p>")[0] == f"<p>{others} {linked('Pod', 'pod')}</p>"


@pytest.mark.parametrize(
    ("src_uri", "entry"),
    [
        ("index.md", "reference/glossary.md"),
        ("architecture/control-plane.md", ENTRY),
        ("reference/other.md", "glossary.md"),
        ("a/b/c.md", "../../reference/glossary.md"),
    ],
)
def test_the_link_is_relative_to_the_page_source_like_an_authors_link(src_uri, entry):
    assert link(f"<p>{abbr('Pod')}</p>", src_uri)[0] == f"<p>{linked('Pod', 'pod', entry=entry)}</p>"


def test_an_abbreviation_without_a_glossary_entry_is_reported_by_name():
    _, page = link(f"<p>{abbr('VPA')} {abbr('HPA')} {abbr('Pod')}</p>")
    assert page.unknown_terms == {"HPA", "VPA"}
    assert link(f"<p>{abbr('Pod')}</p>")[1].unknown_terms == set()


def test_the_glossary_page_loses_every_tooltip():
    html = (
        f'<h3 id="pod">{abbr("Pod")}</h3>'
        f'<p>A {abbr("Pod", "a &quot;b&quot;")} &amp; <a href="#x">{abbr("CRI")}</a></p>'
    )
    out, _ = link(html, "reference/glossary.md")
    assert out == '<h3 id="pod">Pod</h3><p>A Pod &amp; <a href="#x">CRI</a></p>'


# --- engine: as the tree stage of a Markdown conversion, nothing else moves ---------------------------------

MARKDOWN_EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tabbed",
]


class _Linker(Treeprocessor):
    """The glossary capability's tree stage, at its priority, without the rest of the engine."""

    def __init__(self, md: markdown.Markdown, page: PageGlossary) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        link_first_uses(root, self.page)


def convert(text: str, page: PageGlossary) -> str:
    md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
    md.treeprocessors.register(_Linker(md, page), "glossary", 6)
    return md.convert(text)


def test_on_a_real_page_only_abbreviations_change():
    """control-plane.md with the site's tooltips: the output differs from plain Markdown only where a term
    became a link or lost its tooltip, and some terms did each."""
    page_text = (ROOT / "docs" / "architecture" / "control-plane.md").read_text()
    text = f"{page_text}\n{ABBREVIATIONS.read_text()}"
    plain = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS).convert(text)
    page = PageGlossary("architecture/control-plane.md", entry_anchors(GLOSSARY.read_text()))
    linked_html = convert(text, page)
    assert page.unknown_terms == set()
    assert 5 < len(LINK_MARKUP.findall(linked_html)) < len(ABBR_MARKUP.findall(plain))
    assert ABBR_MARKUP.sub(r"\1", LINK_MARKUP.sub(r"\1", linked_html)) == ABBR_MARKUP.sub(r"\1", plain)


# --- engine: anchors are the ids MkDocs' toc gives the headings ---------------------------------------------


def test_anchors_follow_the_toc_extension_with_duplicates_and_custom_ids():
    markdown = (
        "# Glossary\n\n## A\n\n### API server\n\ntext\n\n### a\n\ntext\n\n"
        "### maxSurge and maxUnavailable\n\n### Pod {#the-pod}\n\n### Pod phase\n"
    )
    assert entry_anchors(markdown) == {
        "API server": "api-server",
        "a": "a_1",
        "maxSurge and maxUnavailable": "maxsurge-and-maxunavailable",
        "Pod": "the-pod",
        "Pod phase": "pod-phase",
    }
    assert entry_anchors("### API server\n", separator="_") == {"API server": "api_server"}


def test_anchors_are_cached_only_under_a_key_that_names_everything_they_depend_on():
    """The key holds the glossary text, the slugify function, the separator, Markdown's version and this
    code; a slugify that is a closure or a partial (its arguments are not in its name) is never cached."""
    default = _anchors_key("### Pod\n", {})
    assert default is not None and default == _anchors_key("### Pod\n", {"slugify": markdown_slugify})
    assert default != _anchors_key("### Pods\n", {})
    assert default != _anchors_key("### Pod\n", {"separator": "_"})
    assert default != _anchors_key("### Pod\n", {"slugify": slugs.slugify})
    assert _anchors_key("### Pod\n", {"slugify": slugs.slugify(case="lower")}) is None
    assert _anchors_key("### Pod\n", {"slugify": functools.partial(markdown_slugify)}) is None


def test_every_glossary_entry_has_an_anchor():
    anchors = entry_anchors(GLOSSARY.read_text())
    headings = re.findall(r"^### (.+?)\s*$", GLOSSARY.read_text(), flags=re.MULTILINE)
    assert sorted(anchors) == sorted(headings)
    assert anchors["kube-apiserver"] == "kube-apiserver" and anchors["CRI-O"] == "cri-o"


# --- the built site -----------------------------------------------------------------------------------------


def site_pages(site_dir: Path) -> list[Path]:
    return sorted(page for page in site_dir.rglob("index.html") if page.parent != site_dir / "assets")


def page_url(site_dir: Path, page: Path) -> str:
    """The URL path the page is served at, with use_directory_urls (``/a/b/`` for ``a/b/index.html``)."""
    relative = page.parent.relative_to(site_dir).as_posix()
    return "/" if relative == "." else f"/{relative}/"


def glossary_links(html: str) -> list[str]:
    return [node.attributes["href"] for node in LexborHTMLParser(html).css("article a.kn-glossary")]


def test_every_glossary_link_resolves_to_an_entry_in_the_built_site(built_site):
    site = built_site.site_dir
    checked, broken, depths = 0, [], set()
    ids: dict[Path, set[str]] = {}
    for page in site_pages(site):
        for href in glossary_links(page.read_text(encoding="utf-8")):
            target = urlsplit(urljoin(page_url(site, page), href))
            file = site / target.path.lstrip("/") / "index.html"
            if file not in ids and file.is_file():
                ids[file] = {node.attributes["id"] for node in LexborHTMLParser(file.read_text()).css("[id]")}
            if target.path != "/reference/glossary/" or target.fragment not in ids.get(file, set()):
                broken.append(f"{page.relative_to(site)}: {href}")
            checked += 1
            depths.add(page_url(site, page).count("/") - 1)
    assert not broken, f"glossary links that lead nowhere: {broken[:10]}"
    assert checked >= 100, f"only {checked} glossary links on the whole site"
    assert {0, 2} <= depths, f"glossary links checked only on pages at depths {depths}"


def test_each_page_links_a_term_once_and_keeps_no_other_linkable_tooltip(built_site):
    site = built_site.site_dir
    problems = []
    for page in site_pages(site):
        html = page.read_text(encoding="utf-8")
        hrefs = glossary_links(html)
        repeated = sorted({href for href in hrefs if hrefs.count(href) > 1})
        article = LexborHTMLParser(html).css_first("article")
        stray = (
            [
                node.text()
                for node in article.css("p abbr, li abbr, td abbr, dd abbr")
                if not any(
                    parent.tag in {"a", "code", "h1", "h2", "h3", "h4", "h5", "h6"}
                    or "admonition-title" in (parent.attributes.get("class") or "")
                    for parent in _ancestors(node)
                )
            ]
            if article
            else []
        )
        if repeated or stray:
            problems.append(f"{page.relative_to(site)}: repeated links {repeated}, tooltips left {stray}")
    assert not problems, "\n".join(problems)


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def test_the_glossary_page_has_no_tooltips_or_links_to_itself(built_site):
    html = (built_site.site_dir / "reference" / "glossary" / "index.html").read_text(encoding="utf-8")
    article = LexborHTMLParser(html).css_first("article")
    assert article.css("abbr") == [] and article.css("a.kn-glossary") == []
    assert article.css_first("h3#pod") is not None


def test_a_tooltip_without_a_glossary_entry_is_a_problem_naming_page_and_term(tmp_path, monkeypatch):
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path / "site", {"index.md": "# Home\n"})
    page = "# Origins\n\nA Frobnicator.\n\n*[Frobnicator]: made up\n"
    assert convert_page(site, page, "foundations/origins.md").messages == [
        "docs/foundations/origins.md: abbreviations with no glossary entry: Frobnicator — "
        "add a `### term` entry "
        "to the glossary, or remove the `*[term]: ...` line"
    ]
