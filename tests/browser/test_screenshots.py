"""Screenshots of key pages in light and dark, desktop and phone width, for people to review.

Each screenshot is also a load and accessibility check in that scheme and width (every page is checked in
light at desktop width by test_pages.py). The folder is printed at the end of the run.
"""

from __future__ import annotations

import pytest

from browser.accessibility import accessibility_problems
from browser.support import (
    DESKTOP,
    PHONE,
    SAVED_SCREENSHOTS,
    SCREENSHOTS,
    GzipSiteServer,
    listing,
    load_problems,
    open_tab,
)

pytestmark = [pytest.mark.browser, pytest.mark.build]

KEY_PAGES = {
    "home": "",
    "cluster-architecture": "architecture/cluster/",
    "deployments": "workloads/deployments/",
}
SCHEMES = {"light": "light", "dark": "dark"}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", KEY_PAGES)
def test_screenshot(chromium, site_server: GzipSiteServer, name: str, scheme: str, width: str) -> None:
    # Width only, no touch emulation: Material makes overflowing code blocks keyboard-focusable only where
    # the pointer can hover, and a narrow window with a keyboard must pass axe too.
    tab = open_tab(chromium, site_server, viewport=WIDTHS[width], color_scheme=SCHEMES[scheme])
    try:
        problems = load_problems(tab, site_server.url(KEY_PAGES[name])) + accessibility_problems(tab)
        expected = "slate" if scheme == "dark" else "default"
        assert tab.page.evaluate("() => document.body.dataset.mdColorScheme") == expected
        path = SCREENSHOTS / f"{name}-{scheme}-{width}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=path, full_page=True, animations="disabled")
        SAVED_SCREENSHOTS.append(path)
    finally:
        tab.context.close()
    assert not problems, listing(f"{name} ({scheme}, {width}):", problems)
