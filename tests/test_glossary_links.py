"""Glossary links: the engine on small HTML strings, then the real built site.

The engine tests compare whole output strings written out by hand, so a change to any byte outside the
abbreviations it rewrites fails them. The site tests follow every generated link to the built glossary
page, because MkDocs validates links in Markdown only and these links are added after it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from kubenotes.glossary import GlossaryError, entry_anchors, link_first_uses, scan_html, unwrap_all

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "reference" / "glossary.md"
ANCHORS = {"Pod": "pod", "kubelet": "kubelet", "CRI": "cri"}
# Independent of the engine: the exact markup Markdown's abbr extension writes.
ABBR_MARKUP = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')


def abbr(term: str, title: str = "t") -> str:
    return f'<abbr title="{title}">{term}</abbr>'


def linked(term: str, anchor: str, title: str = "t", url: str = "../glossary/") -> str:
    return f'<a href="{url}#{anchor}" class="kn-glossary">{abbr(term, title)}</a>'


def link(html: str) -> str:
    return link_first_uses(html, glossary_url="../glossary/", anchors=ANCHORS)


# --- engine: which abbreviation becomes the link ------------------------------------------------------------

def test_first_use_links_and_later_uses_become_plain_text():
    html = (f"<p>A {abbr('Pod')} runs; each {abbr('Pod')} has a {abbr('kubelet', 'k')}.</p>\n"
            f"<p>{abbr('Pod')}</p>")
    assert link(html) == (f"<p>A {linked('Pod', 'pod')} runs; each Pod has a "
                          f"{linked('kubelet', 'kubelet', 'k')}.</p>\n<p>Pod</p>")


@pytest.mark.parametrize("wrapper", [
    '<h2 id="the-pod">The {}</h2>', '<h4>{}</h4>', '<a href="../pods/">{}</a>', "<code>{}</code>",
    "<pre><code>{}</code></pre>", '<p class="admonition-title">{} notes</p>', "<summary>{}</summary>",
    '<label for="tab">{}</label>', "<kbd>{}</kbd>",
])
def test_abbreviations_where_a_link_must_not_go_stay_and_do_not_count_as_the_first_use(wrapper):
    blocked = wrapper.format(abbr("Pod"))
    html = f"{blocked}<p>Then a {abbr('Pod')}.</p>{blocked}"
    assert link(html) == f"{blocked}<p>Then a {linked('Pod', 'pod')}.</p>{blocked}"


def test_a_nested_blocked_context_blocks_the_link():
    heading = f'<h3 id="x"><span><em>{abbr("CRI")}</em></span></h3>'
    html = f'{heading}<p><em>{abbr("CRI")}</em></p>'
    assert link(html) == f'{heading}<p><em>{linked("CRI", "cri")}</em></p>'


def test_a_term_the_page_already_links_to_by_hand_gets_no_second_link():
    html = (f"<p>The {abbr('kubelet')} starts.</p>"
            f'<p>The <a href="../glossary/#kubelet">{abbr("kubelet")}</a>, and {abbr("Pod")}.</p>'
            f'<p>See the <a href="../glossary/#cri">runtime interface</a>: {abbr("CRI")}</p>')
    assert link(html) == ("<p>The kubelet starts.</p>"
                          f'<p>The <a href="../glossary/#kubelet">{abbr("kubelet")}</a>, and '
                          f'{linked("Pod", "pod")}.</p>'
                          '<p>See the <a href="../glossary/#cri">runtime interface</a>: CRI</p>')


def test_an_abbreviation_without_a_glossary_entry_is_an_error_naming_it():
    with pytest.raises(GlossaryError, match=r"no glossary entry: HPA, VPA \(add a `### term` entry"):
        link(f"<p>{abbr('VPA')} {abbr('HPA')} {abbr('Pod')}</p>")


def test_the_glossary_page_loses_every_tooltip():
    html = (f'<h3 id="pod">{abbr("Pod")}</h3>\n'
            f'<p>A {abbr("Pod", "a &quot;b&quot;")} &amp; <a href="#x">{abbr("CRI")}</a></p>')
    assert unwrap_all(html) == '<h3 id="pod">Pod</h3>\n<p>A Pod &amp; <a href="#x">CRI</a></p>'


# --- engine: everything else stays as it was ----------------------------------------------------------------

def test_untouched_html_is_byte_for_byte_the_same():
    odd = ("<!-- a <abbr>comment</abbr> -->\r\n<DIV class=x data-a='1'  >caf\u00e9 &eacute;&#233; <br>"
           "<img src=a.png alt=\"Pod\"><svg><path d='M0 0'/></svg>\n"
           "<script>if (a < b && c > d) { x = '</p>'; }</script>\n<P>  spaced   </P></DIV>\n")
    html = f"{odd}<p>{abbr('Pod', 'A &lt;Pod&gt; &amp; more')} and {abbr('Pod')}</p>\n{odd}"
    assert link(html) == f"{odd}<p>{linked('Pod', 'pod', 'A &lt;Pod&gt; &amp; more')} and Pod</p>\n{odd}"
    assert link(odd) == odd
    assert unwrap_all(odd) == odd


def test_positions_are_right_after_multibyte_text_and_many_lines():
    before = "<p>\u00fc\u00df \u2014 \U0001f600</p>\n" * 50
    html = f"{before}<p>{abbr('kubelet')}\n{abbr('kubelet')}</p>"
    assert link(html) == f"{before}<p>{linked('kubelet', 'kubelet')}\nkubelet</p>"


def test_the_link_url_is_escaped():
    out = link_first_uses(f"<p>{abbr('Pod')}</p>", glossary_url='a"b/', anchors={"Pod": "p&q"})
    assert out == f'<p><a href="a&quot;b/#p&amp;q" class="kn-glossary">{abbr("Pod")}</a></p>'


# --- engine: anchors are the ids MkDocs' toc gives the headings ---------------------------------------------

def test_anchors_follow_the_toc_extension_with_duplicates_and_custom_ids():
    markdown = ("# Glossary\n\n## A\n\n### API server\n\ntext\n\n### a\n\ntext\n\n"
                "### maxSurge and maxUnavailable\n\n### Pod {#the-pod}\n\n### Pod phase\n")
    assert entry_anchors(markdown) == {"API server": "api-server", "a": "a_1",
                                       "maxSurge and maxUnavailable": "maxsurge-and-maxunavailable",
                                       "Pod": "the-pod", "Pod phase": "pod-phase"}
    assert entry_anchors("### API server\n", separator="_") == {"API server": "api_server"}


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
        stray = [node.text() for node in article.css("p abbr, li abbr, td abbr, dd abbr")
                 if not any(parent.tag in {"a", "code", "h1", "h2", "h3", "h4", "h5", "h6"}
                            or "admonition-title" in (parent.attributes.get("class") or "")
                            for parent in _ancestors(node))] if article else []
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


def test_a_processed_page_passes_through_unchanged(built_site):
    """On real pages: the hook's output is a fixed point, so nothing outside an abbreviation moves."""
    page = (built_site.site_dir / "architecture" / "control-plane" / "index.html").read_text(encoding="utf-8")
    anchors = entry_anchors(GLOSSARY.read_text())
    assert link_first_uses(page, glossary_url="../../reference/glossary/", anchors=anchors) == page
    assert len(scan_html(page, glossary_url="").abbreviations) > 0
    assert unwrap_all(page) == ABBR_MARKUP.sub(r"\1", page)
