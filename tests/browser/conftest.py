"""Browser fixtures: one Chromium, one local server and one reused context per worker; a test needing
context options of its own opens a context with ``open_tab``."""

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
    FirstVisits,
    GzipSiteServer,
    Tab,
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


@pytest.fixture(scope="session")
def first_visits(chromium: Browser, site_server: GzipSiteServer) -> Iterator[FirstVisits]:
    """The worker's reused context, cleared before each visit; copy buttons may use the clipboard."""
    visits = FirstVisits(chromium, site_server, permissions=["clipboard-read", "clipboard-write"])
    yield visits
    visits.close()


@pytest.fixture
def tab(first_visits: FirstVisits) -> Iterator[Tab]:
    """A desktop-sized, light-scheme page that meets the site as a first-time reader, watched from its
    first request."""
    with first_visits.visit() as visiting:
        yield visiting


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SAVED_SCREENSHOTS:
        terminalreporter.write_sep("-", "screenshots for review")
        terminalreporter.write_line(f"{len(SAVED_SCREENSHOTS)} screenshots saved in {SCREENSHOTS}")
