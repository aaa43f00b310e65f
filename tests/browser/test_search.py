"""Material's search, typed into like a reader does, finds the pages that explain a term."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from gzip_server import GzipSiteServer

from browser.support import Tab

pytestmark = [pytest.mark.browser, pytest.mark.build]


@pytest.mark.parametrize(
    ("query", "expected_page"),
    [
        ("etcd", "architecture/control-plane/"),
        ("PersistentVolumeClaim", "storage/persistent-storage/"),
    ],
)
def test_search_finds_the_page(tab: Tab, site_server: GzipSiteServer, query: str, expected_page: str) -> None:
    page = tab.page
    page.goto(site_server.url(), wait_until="networkidle")
    search_box = page.locator("input.md-search__input")  # in the header at desktop width
    search_box.click()
    search_box.press_sequentially(query, delay=20)
    results = page.locator(".md-search-result__item a.md-search-result__link")
    results.first.wait_for(timeout=10_000)
    hrefs = results.evaluate_all("(links) => links.map((a) => a.href)")
    assert any(urlsplit(href).path.endswith(f"/{expected_page}") for href in hrefs), (
        f"searching {query!r} did not list /{expected_page}; results: {hrefs}"
    )
    assert not tab.watch.problems(), tab.watch.problems()
