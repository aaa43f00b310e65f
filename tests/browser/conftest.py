"""Browser fixtures: one Chromium and one local server per session, a fresh context per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    INSTALL_HINT,
    SAVED_SCREENSHOTS,
    SCREENSHOTS,
    GzipSiteServer,
    Tab,
    open_tab,
    sitemap_page_paths,
)


@pytest.fixture(scope="session")
def site_server(built_site) -> Iterator[GzipSiteServer]:
    """The session's strict build, served as GitHub Pages serves it: under the published prefix, text
    types gzipped."""
    prefix, _ = sitemap_page_paths(built_site.site_dir)
    with GzipSiteServer(built_site.site_dir, prefix) as server:
        yield server


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless; each context is off the network (see ``open_tab``). Missing Chromium
    fails (never skips), CI or not."""
    if not CHROMIUM.is_file():
        pytest.fail(INSTALL_HINT.format(path=CHROMIUM), pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium: Browser, site_server: GzipSiteServer) -> Iterator[Tab]:
    """A fresh desktop-sized, light-scheme context and page, watched from its first request."""
    opened = open_tab(chromium, site_server)
    yield opened
    opened.context.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SAVED_SCREENSHOTS:
        terminalreporter.write_sep("-", "screenshots for review")
        terminalreporter.write_line(f"{len(SAVED_SCREENSHOTS)} screenshots saved in {SCREENSHOTS}")
