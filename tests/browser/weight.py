"""Page weight as a reader's browser downloads it: every request a page makes while it is read in both
palettes, the bytes each moved over the wire, and what breaks the budget (over 200 KB, a diagram fetched
twice, the two palettes of a picture in two files).

Bringing every picture into view loads every lazy one, and switching to dark shows every dark twin, so
the budget covers all a reader can download from the page, not only what the first screen needs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Request

from browser.support import Tab

BUDGET_KB = 200
DIAGRAMS = "/assets/diagrams/"
SEARCH_INDEX = "/search/search_index.json"
# What a reader scrolling to the bottom makes the browser load: each picture shown in the current palette
# (a lazy one starts when it nears the viewport), awaited until it has loaded or failed; then the bottom.
LOAD_EVERY_SHOWN_PICTURE = """async () => {
  for (const img of document.images) {
    if (!img.checkVisibility()) continue;  // hidden in this palette: a reader's browser skips it too
    img.scrollIntoView({block: "center"});
    if (!img.complete) {
      await new Promise((done) => {
        img.addEventListener("load", done, {once: true});
        img.addEventListener("error", done, {once: true});
      });
    }
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
}"""


@dataclass
class Transfer:
    """Every request a page made while it was read, and the bytes each one moved over the wire."""

    requests: list[Request] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.requests.append(request)

    def total_kb(self) -> float:
        total = 0
        for request in self.requests:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total / 1024

    def heaviest(self, count: int = 5) -> list[str]:
        sized = sorted(((r.sizes()["responseBodySize"], r.url) for r in self.requests), reverse=True)
        return [f"{size / 1024:.1f} KB {url}" for size, url in sized[:count]]

    def diagrams_downloaded_twice(self) -> list[str]:
        """Diagram files fetched more than once (under any query or fragment)."""
        files = Counter(urlsplit(r.url).path for r in self.requests if DIAGRAMS in urlsplit(r.url).path)
        return [f"{path} downloaded {count} times" for path, count in files.items() if count > 1]


def watch_transfer(tab: Tab) -> Transfer:
    """Record every request the tab's context finishes from now on."""
    transfer = Transfer()
    tab.on_context("requestfinished", transfer.record)
    return transfer


def read_in_both_palettes(tab: Tab) -> None:
    """Bring every picture of the loaded page into view, switch to the dark palette and do it again, then
    wait until the network is idle."""
    tab.page.evaluate(LOAD_EVERY_SHOWN_PICTURE)
    if tab.page.evaluate("() => document.body.dataset.mdColorScheme") != "slate":
        switch_to_dark(tab)
        tab.page.evaluate(LOAD_EVERY_SHOWN_PICTURE)
    tab.page.wait_for_load_state("networkidle")


def read_page(tab: Tab, url: str) -> Transfer:
    """Load ``url`` and read it in both palettes; every request it made."""
    transfer = watch_transfer(tab)
    tab.page.goto(url, wait_until="load")
    read_in_both_palettes(tab)
    return transfer


def page_problems(transfer: Transfer, page_html_pictures: list[str]) -> list[str]:
    """Over budget, a diagram fetched twice, or a picture whose two palettes are two files."""
    problems = transfer.diagrams_downloaded_twice()
    problems += [f"light and dark come from different files: {pair}" for pair in page_html_pictures]
    if transfer.total_kb() > BUDGET_KB:
        problems.append(
            f"transferred {transfer.total_kb():.0f} KB, budget {BUDGET_KB} KB; heaviest: "
            + "; ".join(transfer.heaviest())
        )
    return problems


def split_palette_pairs(tab: Tab) -> list[str]:
    """Figures whose light and dark diagram images point at different files."""
    pairs = tab.page.evaluate("""() => [...document.querySelectorAll('article img[src*="assets/diagrams/"]')]
        .map((img) => img.src)""")
    light = [without_fragment(src) for src in pairs if src.endswith("#only-light")]
    dark = [without_fragment(src) for src in pairs if src.endswith("#only-dark")]
    return [f"{a} / {b}" for a, b in zip(light, dark, strict=False) if a != b]


def switch_to_dark(tab: Tab) -> None:
    """Click Material's palette toggle until the dark (slate) scheme is on: at most three clicks."""
    for _ in range(3):
        tab.page.locator("form[data-md-component='palette'] label:visible").click()
        if tab.page.evaluate("() => document.body.dataset.mdColorScheme") == "slate":
            return
    raise AssertionError("the palette toggle never reached the dark scheme")


def without_fragment(url: str) -> str:
    return url.split("#", 1)[0]
