"""Manifests included with ``<!-- kn:manifest FILE -->`` as a reader uses them: the copy button copies the
YAML, and the download link serves the file from snippets/ byte for byte.
"""

from __future__ import annotations

import pytest
import yaml

from browser.support import ROOT, SiteServer, Tab, listing, page_path
from kubenotes.markers import scan

pytestmark = [pytest.mark.browser, pytest.mark.build]

DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"


def includes_by_page() -> dict[str, list[str]]:
    """Page path -> the snippet files its ``kn:manifest`` markers include, read from docs/ at collection."""
    includes: dict[str, list[str]] = {}
    for source in sorted(DOCS.rglob("*.md")):
        for marker in scan(source.read_text(encoding="utf-8")).markers:
            if marker.name == "manifest" and marker.args:
                includes.setdefault(page_path(source, DOCS), []).append(marker.args.split()[0])
    return includes


INCLUDES = includes_by_page()
# Every code block of the article: its text as the reader sees it, and whether it has a copy button.
CODE_BLOCKS = """
() => [...document.querySelectorAll("article pre")].map((pre, index) => ({
  index,
  text: (pre.querySelector("code") || pre).innerText,
  copyButton: !!pre.querySelector("button[data-clipboard-target]"),
}))
"""


def test_pages_include_manifests() -> None:
    """The site promises downloadable manifests; the test below must have something to check."""
    assert INCLUDES, "no page in docs/ includes a manifest with <!-- kn:manifest FILE -->"


def parse_documents(text: str) -> list[object]:
    return [document for document in yaml.safe_load_all(text) if document is not None]


def parses_to(text: str, documents: list[object]) -> bool:
    try:
        return parse_documents(text) == documents
    except yaml.YAMLError:
        return False


@pytest.mark.parametrize("page", INCLUDES)
def test_included_manifests_copy_and_download(tab: Tab, site_server: SiteServer, page: str) -> None:
    """One load per page, then every manifest it includes: shown, copied by its button, downloadable."""
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab.page.goto(site_server.url(page), wait_until="networkidle")
    code_blocks = tab.page.evaluate(CODE_BLOCKS)
    problems = [
        problem for snippet in INCLUDES[page] for problem in manifest_problems(tab, code_blocks, snippet)
    ] + tab.watch.problems()
    assert not problems, listing(f"/{page}:", problems)


def manifest_problems(tab: Tab, code_blocks: list[dict], snippet: str) -> list[str]:
    """What is wrong with one included snippet on the loaded page, as a reader would find it."""
    raw = (SNIPPETS / snippet).read_bytes()
    documents = parse_documents(raw.decode("utf-8"))
    blocks = [block for block in code_blocks if parses_to(block["text"], documents)]
    if not blocks:
        return [f"{snippet}: no code block shows its YAML"]
    if not all(block["copyButton"] for block in blocks):
        return [f"{snippet}: its code block has no copy button"]
    problems = []
    pre = tab.page.locator("article pre").nth(blocks[0]["index"])
    pre.hover()
    pre.locator("button[data-clipboard-target]").click()
    copied = tab.page.evaluate("() => navigator.clipboard.readText()")
    if not parses_to(copied, documents):
        problems.append(f"{snippet}: the copy button copied something else: {copied[:200]!r}")

    links = tab.page.locator(f'article a[download][href$="examples/{snippet}"]')
    if links.count() == 0:
        return [*problems, f"{snippet}: no download link to examples/{snippet}"]
    download_url = links.first.evaluate("(a) => a.href")
    response = tab.page.request.get(download_url)
    if response.status != 200:
        problems.append(f"{snippet}: {download_url}: HTTP {response.status}")
    elif response.body() != raw or parse_documents(response.text()) != documents:
        problems.append(f"{snippet}: {download_url} is not snippets/{snippet} byte for byte")
    return problems
