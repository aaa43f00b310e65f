"""The reused context must meet every page as a first-time reader's browser would: what one visit leaves
behind (cached files, cookies, storage, the dark palette it switched to) is gone at the next, or the page
budgets would count a warm cache and the palette checks would start from the last test's choice."""

from __future__ import annotations

import pytest
from gzip_server import GzipSiteServer

from browser.support import PHONE, FirstVisits, listing
from browser.weight import read_in_both_palettes

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
# Each file the page fetched, and whether it came whole over the network: a cache hit moves no bytes, a
# revalidated copy (304) only headers, so either moves fewer bytes than the body it gives the page.
DOWNLOADS = """() => performance.getEntriesByType("resource").map((entry) => ({
  url: entry.name, whole: entry.transferSize >= entry.encodedBodySize && entry.encodedBodySize > 0,
}))"""


def test_a_visit_starts_from_what_a_new_reader_has(
    first_visits: FirstVisits, site_server: GzipSiteServer
) -> None:
    page = site_server.url("architecture/cluster/")
    for _ in range(2):
        with first_visits.visit(viewport=PHONE) as tab:
            tab.page.goto(page, wait_until="load")
            traces = tab.page.evaluate(TRACES)
            read_in_both_palettes(tab)  # leaves the palette on dark, stored by the theme
            downloads = tab.page.evaluate(DOWNLOADS)
            tab.page.evaluate(LEAVE_TRACES)
    assert traces == {"local": None, "session": None, "cookie": "", "scheme": "default"}, traces
    assert len(downloads) > 3, f"the page fetched almost nothing: {downloads}"
    cached = [d["url"] for d in downloads if not d["whole"]]
    assert not cached, listing("the second visit took these from a cache, not the network:", cached)
