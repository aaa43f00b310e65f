"""Page weight as a phone receives it: every page served with gzip (as GitHub Pages serves it), read to the
bottom in both palettes, must transfer at most 200 KB and download each diagram once.

Bringing every picture into view loads every lazy one, and switching to dark shows every dark twin, so
the budget covers all a reader can download from the page, not only what the first screen needs.
"""

from __future__ import annotations

import random
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Request

from browser.support import PHONE, ROOT, Tab, docs_page_paths, listing, open_tab, sitemap_page_paths

sys.path.insert(0, str(ROOT / "scripts"))
from gzip_server import GzipSiteServer

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGES = docs_page_paths(ROOT / "docs")
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


@pytest.fixture(scope="session")
def gzip_server(built_site):
    prefix, _ = sitemap_page_paths(built_site.site_dir)
    with GzipSiteServer(built_site.site_dir, prefix) as server:
        yield server


@pytest.fixture
def gzip_tab(chromium: Browser, gzip_server: GzipSiteServer):
    """A fresh phone-sized tab watched against the gzip server's origin."""
    tab = open_tab(chromium, gzip_server, viewport=PHONE)
    yield tab
    tab.context.close()


def read_page(tab: Tab, url: str) -> Transfer:
    """Load ``url``, bring every picture into view, switch to the dark palette and do it again; record
    every request until the network is idle."""
    transfer = Transfer()
    tab.context.on("requestfinished", lambda request: transfer.requests.append(request))
    tab.page.goto(url, wait_until="load")
    tab.page.evaluate(LOAD_EVERY_SHOWN_PICTURE)
    if tab.page.evaluate("() => document.body.dataset.mdColorScheme") != "slate":
        _switch_to_dark(tab)
        tab.page.evaluate(LOAD_EVERY_SHOWN_PICTURE)
    tab.page.wait_for_load_state("networkidle")
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
    light = [_without_fragment(src) for src in pairs if src.endswith("#only-light")]
    dark = [_without_fragment(src) for src in pairs if src.endswith("#only-dark")]
    return [f"{a} / {b}" for a, b in zip(light, dark, strict=False) if a != b]


@pytest.mark.parametrize("page_path", PAGES)
def test_page_weight(chromium: Browser, gzip_server: GzipSiteServer, page_path: str) -> None:
    """At most 200 KB on the wire for the whole page, read in both palettes; each diagram fetched once."""
    tab = open_tab(chromium, gzip_server, viewport=PHONE)
    try:
        transfer = read_page(tab, gzip_server.url(page_path))
        problems = page_problems(transfer, split_palette_pairs(tab)) + tab.watch.problems()
    finally:
        tab.context.close()
    assert not problems, listing(f"/{page_path} on a phone (gzip):", problems)


def test_search_index_waits_until_the_reader_searches(gzip_tab: Tab, gzip_server: GzipSiteServer) -> None:
    """The index (the biggest file of the site) is not part of a page load; opening search fetches it."""
    tab, fetched = gzip_tab, []
    tab.context.on("request", lambda request: fetched.append(request.url))
    tab.page.goto(gzip_server.url("workloads/pods/"), wait_until="networkidle")
    assert not [url for url in fetched if url.endswith(SEARCH_INDEX)], "the page load fetched the index"
    with tab.page.expect_response(lambda response: response.url.endswith(SEARCH_INDEX)) as index:
        tab.page.keyboard.press("/")  # Material's shortcut: focuses the search box
    assert index.value.ok
    tab.page.keyboard.type("etcd")
    tab.page.locator(".md-search-result__item").first.wait_for()
    assert not tab.watch.problems(), listing("search:", tab.watch.problems())


def test_search_link_with_a_query_fetches_the_index(gzip_tab: Tab, gzip_server: GzipSiteServer) -> None:
    """A shared search link (?q=) or a result's highlight (?h=) needs the index without a click."""
    for query in ("?q=etcd", "?h=etcd"):
        with gzip_tab.page.expect_response(lambda response: response.url.endswith(SEARCH_INDEX)) as index:
            gzip_tab.page.goto(gzip_server.url("workloads/pods/") + query)
        assert index.value.ok, query


def test_budget_check_catches_each_problem(built_site, chromium: Browser, tmp_path: Path) -> None:
    """The budget must be able to fail: a heavy picture, a diagram fetched twice, palettes in two files."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site_dir, site)
    diagrams = sorted((site / "assets" / "diagrams").glob("*.svg"))
    assert diagrams, "the built site has no diagram to plant"
    picture = diagrams[0].name
    (site / "assets" / "diagrams" / "twin.svg").write_bytes(diagrams[0].read_bytes())
    (site / "heavy.png").write_bytes(_incompressible(BUDGET_KB * 1024))
    home = site / "index.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace(
            "</article>",
            f"""
        <img src="heavy.png" alt="heavy">
        <img src="assets/diagrams/{picture}?again" alt="again">
        <img src="assets/diagrams/{picture}#only-light" alt="split">
        <img src="assets/diagrams/twin.svg#only-dark" alt="split"></article>""",
            1,
        ),
        encoding="utf-8",
    )
    prefix, _ = sitemap_page_paths(site)
    with GzipSiteServer(site, prefix) as server:
        tab = open_tab(chromium, server, viewport=PHONE)
        try:
            transfer = read_page(tab, server.url())
            problems = "\n".join(page_problems(transfer, split_palette_pairs(tab)))
        finally:
            tab.context.close()
    assert "transferred" in problems and f"budget {BUDGET_KB} KB" in problems and "heavy.png" in problems
    assert f"{prefix}assets/diagrams/{picture} downloaded 2 times" in problems
    assert "light and dark come from different files" in problems and "twin.svg" in problems


def _switch_to_dark(tab: Tab) -> None:
    """Click Material's palette toggle until the dark (slate) scheme is on: at most three clicks."""
    for _ in range(3):
        tab.page.locator("form[data-md-component='palette'] label:visible").click()
        if tab.page.evaluate("() => document.body.dataset.mdColorScheme") == "slate":
            return
    raise AssertionError("the palette toggle never reached the dark scheme")


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _incompressible(size: int) -> bytes:
    """Bytes gzip cannot shrink (a fixed pseudo-random stream, so the test is the same every run)."""
    return random.Random(15).randbytes(size)
