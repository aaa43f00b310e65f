"""Manifests included with ``<!-- kn:manifest FILE -->`` as a reader uses them: the copy button copies the
YAML, and the download link serves the file from snippets/ byte for byte (fetched outside the page, so
the page's own transfer stays what the reader's browser downloads).
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass

import yaml

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


# Scrolls to each given code block as a reader would and waits (up to COPY_BUTTON_MS) until Material has
# mounted its copy button; the blocks without one. With each snippet's download link: one call per page.
SCROLL_TO_BLOCKS = """
async ([indexes, snippets, timeout]) => {
  const blocks = [...document.querySelectorAll("article pre")];
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  const without = [];
  for (const index of indexes) {
    blocks[index].scrollIntoView({block: "center"});
    const deadline = performance.now() + timeout;
    while (!blocks[index].querySelector("button[data-clipboard-target]") && performance.now() < deadline) {
      await frame();
    }
    if (!blocks[index].querySelector("button[data-clipboard-target]")) without.push(index);
  }
  const links = [...document.querySelectorAll("article a[download]")];
  const downloads = snippets.map((snippet) => {
    const link = links.find((a) => a.getAttribute("href").endsWith(`examples/${snippet}`));
    return link ? link.href : null;
  });
  return {without, downloads};
}
"""


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


@dataclass
class Included:
    """One included snippet: its bytes and documents, and the code blocks of the page that show them."""

    snippet: str
    raw: bytes
    documents: list[object]
    blocks: list[int]


def manifest_problems(
    tab: Tab, included: Included, without_button: set[int], download_url: str | None
) -> list[str]:
    """What is wrong with one included snippet on the loaded page, as a reader would find it."""
    snippet, documents = included.snippet, included.documents
    if not included.blocks:
        return [f"{snippet}: no code block shows its YAML"]
    if without_button & set(included.blocks):
        return [f"{snippet}: its code block has no copy button once scrolled into view"]
    problems = []
    # A real click (Playwright moves the pointer onto the button, so the block is hovered as a reader's is),
    # onto an emptied clipboard: what an earlier page copied cannot pass for this copy.
    tab.page.evaluate("() => navigator.clipboard.writeText('')")
    tab.page.locator("article pre").nth(included.blocks[0]).locator("button[data-clipboard-target]").click()
    copied = tab.page.evaluate("() => navigator.clipboard.readText()")
    if not parses_to(copied, documents):
        problems.append(f"{snippet}: the copy button copied something else: {copied[:200]!r}")

    if download_url is None:
        return [*problems, f"{snippet}: no download link to examples/{snippet}"]
    try:
        with urllib.request.urlopen(download_url, timeout=10) as response:
            served = response.read()
    except OSError as error:
        return [*problems, f"{snippet}: {download_url}: {error}"]
    if served != included.raw or parse_documents(served.decode("utf-8")) != documents:
        problems.append(f"{snippet}: {download_url} is not snippets/{snippet} byte for byte")
    return problems


def page_manifest_problems(tab: Tab, page: str) -> list[str]:
    """Every manifest the loaded page includes, checked as above (the tab needs clipboard permissions);
    each code block's YAML parsed once per page, not once per snippet."""
    snippets = INCLUDES.get(page, [])
    if not snippets:
        return []
    shown = [(block["index"], parsed_or_none(block["text"])) for block in tab.page.evaluate(CODE_BLOCKS)]
    included = []
    for snippet in snippets:
        raw = (SNIPPETS / snippet).read_bytes()
        documents = parse_documents(raw.decode("utf-8"))
        blocks = [index for index, parsed in shown if parsed == documents]
        included.append(Included(snippet, raw, documents, blocks))
    # Every block of a snippet must get its button; a snippet stops at its first block without one.
    wanted = sorted({index for item in included for index in item.blocks})
    found = tab.page.evaluate(SCROLL_TO_BLOCKS, [wanted, snippets, COPY_BUTTON_MS])
    without_button = set(found["without"])
    return [
        problem
        for item, download_url in zip(included, found["downloads"], strict=True)
        for problem in manifest_problems(tab, item, without_button, download_url)
    ]
