"""Page weight's other half (every page's own budget is checked by test_pages.py): the search index waits
until the reader searches, and the budget check can fail, on a copy of the site with planted problems.
"""

from __future__ import annotations

import io
import math
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from gzip_server import GzipSiteServer
from PIL import Image
from playwright.sync_api import Browser

from browser.support import PHONE, FirstVisits, Tab, listing, open_tab, sitemap_page_paths
from browser.weight import BUDGET_KB, SEARCH_INDEX, page_problems, read_page, split_palette_pairs

pytestmark = [pytest.mark.browser, pytest.mark.build]


@pytest.fixture
def gzip_tab(first_visits: FirstVisits) -> Iterator[Tab]:
    """A phone-sized first visit, watched against the gzip server's origin."""
    with first_visits.visit(viewport=PHONE) as tab:
        yield tab


def test_search_index_waits_until_the_reader_searches(gzip_tab: Tab, site_server: GzipSiteServer) -> None:
    """The index (the biggest file of the site) is not part of a page load; opening search fetches it."""
    tab, fetched = gzip_tab, []
    tab.on_context("request", lambda request: fetched.append(request.url))
    tab.page.goto(site_server.url("workloads/pods/"), wait_until="networkidle")
    assert not [url for url in fetched if url.endswith(SEARCH_INDEX)], "the page load fetched the index"
    with tab.page.expect_response(lambda response: response.url.endswith(SEARCH_INDEX)) as index:
        tab.page.keyboard.press("/")  # Material's shortcut: focuses the search box
    assert index.value.ok
    tab.page.keyboard.type("etcd")
    tab.page.locator(".md-search-result__item").first.wait_for()
    assert not tab.watch.problems(), listing("search:", tab.watch.problems())


def test_search_link_with_a_query_fetches_the_index(gzip_tab: Tab, site_server: GzipSiteServer) -> None:
    """A shared search link (?q=) or a result's highlight (?h=) needs the index without a click."""
    for query in ("?q=etcd", "?h=etcd"):
        with gzip_tab.page.expect_response(lambda response: response.url.endswith(SEARCH_INDEX)) as index:
            gzip_tab.page.goto(site_server.url("workloads/pods/") + query)
        assert index.value.ok, query


def test_budget_check_catches_each_problem(built_site, chromium: Browser, tmp_path: Path) -> None:
    """The budget must be able to fail: a heavy picture, a diagram fetched twice, palettes in two files."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site_dir, site)
    diagrams = sorted((site / "assets" / "diagrams").glob("*.svg"))
    assert diagrams, "the built site has no diagram to plant"
    picture = diagrams[0].name
    (site / "assets" / "diagrams" / "twin.svg").write_bytes(diagrams[0].read_bytes())
    (site / "heavy.png").write_bytes(_incompressible_png(BUDGET_KB * 1024))
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


def _incompressible_png(size: int) -> bytes:
    """A real PNG of noise, at least ``size`` bytes, that neither PNG nor gzip can shrink (a fixed stream,
    so the test is the same every run). Random bytes that are no image at all let Chromium stop the
    download once decoding fails, and the page then sometimes came in under budget."""
    side = math.isqrt(size // 3) + 1
    noise = Image.frombytes("RGB", (side, side), random.Random(15).randbytes(side * side * 3))
    data = io.BytesIO()
    noise.save(data, format="PNG")
    assert len(data.getvalue()) >= size
    return data.getvalue()
