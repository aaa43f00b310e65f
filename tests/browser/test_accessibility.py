"""The accessibility checks that tests/browser/test_pages.py runs on every page can fail."""

from __future__ import annotations

import pytest
from gzip_server import GzipSiteServer

from browser.accessibility import accessibility_problems, axe_violations, heading_skips
from browser.support import Tab

pytestmark = [pytest.mark.browser, pytest.mark.build]


def test_heading_skips_are_found() -> None:
    assert heading_skips([(1, "Title"), (2, "A"), (3, "B"), (2, "C"), (3, "D")]) == []
    assert heading_skips([(1, "Title"), (3, "Deep")]) == ["h3 'Deep' follows h1"]
    assert heading_skips([(2, "No title")]) == ["h2 'No title' follows the start of the page"]


def test_planted_accessibility_faults_are_reported(tab: Tab, site_server: GzipSiteServer) -> None:
    """An image without alt, an unlabelled button and a skipped heading level, planted in the home page."""
    tab.page.goto(site_server.url(), wait_until="networkidle")
    tab.page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("beforeend",
        '<h4>Too deep</h4><img src="assets/images/favicon.png"><button></button>')""")
    problems = "\n".join(accessibility_problems(tab))
    assert "axe critical: image-alt" in problems
    assert "axe critical: button-name" in problems
    assert "image without alt text: " in problems
    assert "heading level skipped: h4 'Too deep'" in problems
    assert {v["id"] for v in axe_violations(tab)} >= {"image-alt", "button-name"}
