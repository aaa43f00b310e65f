"""Manifests included with ``<!-- kn:manifest FILE -->`` as a reader uses them: the copy button copies the
YAML, and the download link serves the file from snippets/ byte for byte (fetched outside the page, so
the page's own transfer stays what the reader's browser downloads).
"""

from __future__ import annotations

import urllib.request

import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser.support import ROOT, Tab, page_path
from kubenotes.markers import scan

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
# Every code block of the article: its text as the reader sees it.
CODE_BLOCKS = """
() => [...document.querySelectorAll("article pre")].map((pre, index) => ({
  index,
  text: (pre.querySelector("code") || pre).innerText,
}))
"""
# Material mounts a block's copy button when the block first comes into view (content.lazy in mkdocs.yml).
COPY_BUTTON_MS = 5_000


def parse_documents(text: str) -> list[object]:
    return [document for document in yaml.safe_load_all(text) if document is not None]


def parses_to(text: str, documents: list[object]) -> bool:
    return parsed_or_none(text) == documents


def parsed_or_none(text: str) -> list[object] | None:
    """The YAML documents of ``text``; None when it is not YAML (most code blocks are shell)."""
    try:
        return parse_documents(text)
    except yaml.YAMLError:
        return None


def manifest_problems(tab: Tab, code_blocks: list[dict], snippet: str) -> list[str]:
    """What is wrong with one included snippet on the loaded page, as a reader would find it (each block's
    ``documents`` parsed once per page, not once per snippet)."""
    raw = (SNIPPETS / snippet).read_bytes()
    documents = parse_documents(raw.decode("utf-8"))
    blocks = [block for block in code_blocks if block["documents"] == documents]
    if not blocks:
        return [f"{snippet}: no code block shows its YAML"]
    for block in blocks:
        if not _copy_button_appears(tab, block["index"]):
            return [f"{snippet}: its code block has no copy button once scrolled into view"]
    problems = []
    # A real click (Playwright moves the pointer onto the button, so the block is hovered as a reader's is).
    tab.page.locator("article pre").nth(blocks[0]["index"]).locator("button[data-clipboard-target]").click()
    copied = tab.page.evaluate("() => navigator.clipboard.readText()")
    if not parses_to(copied, documents):
        problems.append(f"{snippet}: the copy button copied something else: {copied[:200]!r}")

    links = tab.page.locator(f'article a[download][href$="examples/{snippet}"]')
    if links.count() == 0:
        return [*problems, f"{snippet}: no download link to examples/{snippet}"]
    download_url = links.first.evaluate("(a) => a.href")
    try:
        with urllib.request.urlopen(download_url, timeout=10) as response:
            served = response.read()
    except OSError as error:
        return [*problems, f"{snippet}: {download_url}: {error}"]
    if served != raw or parse_documents(served.decode("utf-8")) != documents:
        problems.append(f"{snippet}: {download_url} is not snippets/{snippet} byte for byte")
    return problems


def _copy_button_appears(tab: Tab, index: int) -> bool:
    """Whether code block ``index`` has its copy button once the reader scrolls to it."""
    pre = tab.page.locator("article pre").nth(index)
    pre.scroll_into_view_if_needed()
    try:
        pre.locator("button[data-clipboard-target]").wait_for(state="attached", timeout=COPY_BUTTON_MS)
    except PlaywrightTimeoutError:
        return False
    return True


def page_manifest_problems(tab: Tab, page: str) -> list[str]:
    """Every manifest the loaded page includes, checked as above (the tab needs clipboard permissions)."""
    snippets = INCLUDES.get(page, [])
    if not snippets:
        return []
    code_blocks = [
        {**block, "documents": parsed_or_none(block["text"])} for block in tab.page.evaluate(CODE_BLOCKS)
    ]
    return [problem for snippet in snippets for problem in manifest_problems(tab, code_blocks, snippet)]
