"""The palette toggle switches light and dark, and every diagram stays visible in both."""

from __future__ import annotations

import pytest
from gzip_server import GzipSiteServer

from browser import probes
from browser.support import Tab, listing

pytestmark = [pytest.mark.browser, pytest.mark.build]

DIAGRAM_PAGE = "architecture/cluster/"
MIN_READABLE_WIDTH = 300  # px on a 1280 px wide window


def scheme(tab: Tab) -> str:
    return tab.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


def click_palette_toggle(tab: Tab) -> None:
    """Click the one toggle Material shows for the current palette (the others are hidden)."""
    tab.page.locator("form[data-md-component='palette'] label:visible").click()


def hidden_diagrams(tab: Tab) -> list[str]:
    """Figures holding a diagram of which no variant is shown, decoded, readable and uncovered."""
    problems = []
    for variants in tab.page.evaluate(probes.DIAGRAM_FIGURES):
        if not any(
            v["shown"] and v["onTop"] and v["naturalWidth"] > 0 and v["width"] >= MIN_READABLE_WIDTH
            for v in variants
        ):
            problems.append(variants)
    return problems


def test_palette_toggle_switches_scheme_and_diagrams_stay_visible(
    tab: Tab, site_server: GzipSiteServer
) -> None:
    tab.page.goto(site_server.url(DIAGRAM_PAGE), wait_until="networkidle")
    figures = tab.page.evaluate(probes.DIAGRAM_FIGURES)
    assert figures, f"/{DIAGRAM_PAGE} shows no diagram from assets/diagrams/"
    seen = [scheme(tab)]
    assert seen == ["default"], f"a light-mode reader starts in {seen[0]!r}"
    assert not hidden_diagrams(tab), listing("light: diagrams not visible:", hidden_diagrams(tab))

    for _ in range(3):  # system -> light -> dark -> system: at most three clicks reach dark
        click_palette_toggle(tab)
        seen.append(scheme(tab))
        if seen[-1] == "slate":
            break
    assert seen[-1] == "slate", f"the palette toggle never reached dark: {seen}"
    assert not hidden_diagrams(tab), listing("dark: diagrams not visible:", hidden_diagrams(tab))

    click_palette_toggle(tab)
    assert scheme(tab) != "slate", "the palette toggle does not leave dark mode"
    assert not tab.watch.problems(), listing("palette:", tab.watch.problems())
