"""The palette is applied while the page is parsed (overrides/partials/palette-early.html), not by Material's
bundle after the first paint: with the bundle held back, the page already has the reader's palette, the
`js` class and the switching flag the bundle would set, so the bundle's start changes nothing that makes
the browser restyle every element.
"""

from __future__ import annotations

import pytest
from gzip_server import GzipSiteServer
from playwright.sync_api import Browser, Route

from browser.support import listing, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGE = "workloads/deployments/"
STATE = """() => ({
  html: [...document.documentElement.classList].filter((name) => name.endsWith("js")).join(" "),
  scheme: document.body.dataset.mdColorScheme,
  accent: document.body.dataset.mdColorAccent,
  media: document.body.dataset.mdColorMedia,
  switching: document.body.hasAttribute("data-md-color-switching"),
})"""


@pytest.mark.parametrize(
    ("system", "scheme", "accent"), [("light", "default", "indigo"), ("dark", "slate", "light-blue")]
)
def test_palette_is_set_before_materials_bundle_runs(
    chromium: Browser, site_server: GzipSiteServer, system: str, scheme: str, accent: str
) -> None:
    tab = open_tab(chromium, site_server, color_scheme=system)
    try:

        def hold_back_bundle(route: Route) -> None:
            if "/javascripts/bundle." in route.request.url:
                route.abort()
            else:
                route.fallback()

        tab.page.route("**/*", hold_back_bundle)
        tab.page.goto(site_server.url(PAGE), wait_until="domcontentloaded")
        before = tab.page.evaluate(STATE)
    finally:
        tab.context.close()
    assert before == {
        "html": "js",
        "scheme": scheme,
        "accent": accent,
        "media": "(prefers-color-scheme)",
        "switching": True,
    }, f"first visit, {system} system theme, no bundle yet: {before}"


def test_material_finishes_what_the_early_script_started(
    chromium: Browser, site_server: GzipSiteServer
) -> None:
    """With the bundle, the same values stay and the switching flag is gone once the palette is applied."""
    tab = open_tab(chromium, site_server, color_scheme="dark")
    try:
        tab.page.goto(site_server.url(PAGE), wait_until="networkidle")
        after = tab.page.evaluate(STATE)
        problems = tab.watch.problems()
    finally:
        tab.context.close()
    expected = {
        "html": "js",
        "scheme": "slate",
        "accent": "light-blue",
        "media": "(prefers-color-scheme)",
        "switching": False,
    }
    assert after == expected, after
    assert not problems, listing("page:", problems)
