"""The reused context must meet every page as a first-time reader's browser would: what one visit leaves
behind (cached files, cookies, storage, the dark palette it switched to) is gone at the next, or the page
budgets would count a warm cache and the palette checks would start from the last test's choice."""

from __future__ import annotations

import pytest
from gzip_server import GzipSiteServer

from browser.support import PHONE, FirstVisits, listing
from browser.weight import read_in_both_palettes, watch_transfer

pytestmark = [pytest.mark.browser, pytest.mark.build]

LEAVE_TRACES = """() => {
  localStorage.setItem("left-behind", "1");
  sessionStorage.setItem("left-behind", "1");
  document.cookie = "left-behind=1; path=/";
}"""
TRACES = """() => ({
  local: localStorage.getItem("left-behind"),
  session: sessionStorage.getItem("left-behind"),
  cookie: document.cookie,
  scheme: document.body.dataset.mdColorScheme,
})"""


def test_a_visit_starts_from_what_a_new_reader_has(
    first_visits: FirstVisits, site_server: GzipSiteServer
) -> None:
    page = site_server.url("architecture/cluster/")
    downloads = []
    for _ in range(2):
        with first_visits.visit(viewport=PHONE) as tab:
            transfer = watch_transfer(tab)
            tab.page.goto(page, wait_until="load")
            traces = tab.page.evaluate(TRACES)
            read_in_both_palettes(tab)  # leaves the palette on dark, stored by the theme
            tab.page.evaluate(LEAVE_TRACES)
            downloads.append(sorted((r.url, r.sizes()["responseBodySize"]) for r in transfer.requests))
    assert traces == {"local": None, "session": None, "cookie": "", "scheme": "default"}, traces
    first, second = downloads
    assert first, "the first visit downloaded nothing"
    assert second == first, listing(
        "the second visit did not download what the first did (a warm cache?):",
        sorted(set(first) ^ set(second)),
    )
