"""Screenshots of key pages in light and dark, desktop and phone width, for people to review.

Each screenshot is also a load and accessibility check in that scheme and width (every page is checked in
light at desktop width by test_pages.py). One load per page and scheme serves both widths: the page loads
at desktop width, is checked and photographed, then is narrowed to a phone's width (as a reader narrows the
window) and checked and photographed again. The phone check always sees the page resized from the desktop,
so what is checked does not depend on how the workers share the tests out. The folder is printed at the end
of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from browser.accessibility import accessibility_problems
from browser.support import (
    DESKTOP,
    PHONE,
    SAVED_SCREENSHOTS,
    SCREENSHOTS,
    FirstVisits,
    GzipSiteServer,
    Tab,
    listing,
    load,
    settle_animations,
)

pytestmark = [pytest.mark.browser, pytest.mark.build]

KEY_PAGES = {
    "home": "",
    "cluster-architecture": "architecture/cluster/",
    "deployments": "workloads/deployments/",
}
SCHEMES = {"light": "light", "dark": "dark"}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
# Each key page in each scheme, loaded once for both widths (pytest runs a module-scoped parameter's tests
# one after the other, so the two widths follow each other; a worker given only one loads it too).
LOADS = [pytest.param((name, scheme), id=f"{name}-{scheme}") for name in KEY_PAGES for scheme in SCHEMES]


@dataclass
class KeyPage:
    """A key page loaded in one scheme; ``undecodable`` lists the images that did not decode."""

    name: str
    scheme: str
    tab: Tab
    undecodable: list[str]


@pytest.fixture(scope="module")
def key_page(
    request: pytest.FixtureRequest, first_visits: FirstVisits, site_server: GzipSiteServer
) -> Iterator[KeyPage]:
    name, scheme = request.param
    # Width only, no touch emulation: Material makes overflowing code blocks keyboard-focusable only where
    # the pointer can hover, and a narrow window with a keyboard must pass axe too.
    with first_visits.visit(viewport=DESKTOP, color_scheme=SCHEMES[scheme]) as tab:
        yield KeyPage(name, scheme, tab, load(tab, site_server.url(KEY_PAGES[name])))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key_page", LOADS, indirect=True)
def test_screenshot(key_page: KeyPage, width: str) -> None:
    tab = key_page.tab
    if tab.page.viewport_size != WIDTHS[width]:
        tab.page.set_viewport_size(WIDTHS[width])
        settle_animations(tab)  # the layout for the new width, settled before axe looks at it
    problems = key_page.undecodable + accessibility_problems(tab)
    tab.page.wait_for_load_state("networkidle")  # reached meanwhile: every request of the page is watched
    problems += tab.watch.problems()
    expected = "slate" if key_page.scheme == "dark" else "default"
    assert tab.page.evaluate("() => document.body.dataset.mdColorScheme") == expected
    path = SCREENSHOTS / f"{key_page.name}-{key_page.scheme}-{width}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=path, full_page=True, animations="disabled")
    SAVED_SCREENSHOTS.append(path)
    assert not problems, listing(f"{key_page.name} ({key_page.scheme}, {width}):", problems)
