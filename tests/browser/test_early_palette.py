"""The palette is applied while the page is parsed (overrides/partials/palette-early.html), not by Material's
bundle after the first paint: with the bundle held back, the page already has the reader's palette, the
`js` and focus-visible markers and its color-scheme meta, and the palette-switching rule is out of the way,
so the bundle's start changes nothing that makes the browser restyle every element. With the bundle, the
same values stay, the switching rule is back and the meta follows the reader's palette.
"""

from __future__ import annotations

import pytest
from gzip_server import GzipSiteServer
from playwright.sync_api import Browser, Route

from browser.support import Tab, listing, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGE = "workloads/deployments/"
STATE = """() => ({
  html: [...document.documentElement.classList].filter((name) => name.includes("js")).join(" "),
  focusVisibleAttribute: document.documentElement.hasAttribute("data-js-focus-visible"),
  scheme: document.body.dataset.mdColorScheme,
  accent: document.body.dataset.mdColorAccent,
  media: document.body.dataset.mdColorMedia,
  switching: document.body.hasAttribute("data-md-color-switching"),
  colorSchemeMetas: [...document.querySelectorAll("meta[name=color-scheme]")].map((meta) => meta.content),
})"""
# Whether a rule that names data-md-color-switching is in force anywhere (nested rules included).
SWITCHING_RULES = """() => {
  const rules = (list) => [...list].flatMap((rule) => [rule, ...(rule.cssRules ? rules(rule.cssRules) : [])]);
  return [...document.styleSheets].flatMap((sheet) => rules(sheet.cssRules))
    .filter((rule) => rule.selectorText?.includes("[data-md-color-switching]")).length;
}"""
# What the switching mark does: an element with a transition loses it while <body> carries the mark.
SWITCHING_STOPS_TRANSITIONS = """() => {
  const durations = (element) => getComputedStyle(element).transitionDuration.split(",").map(parseFloat);
  const moves = (element) => durations(element).some((duration) => duration > 0);
  const moving = [...document.querySelectorAll("body *")].find(moves);
  if (!moving) return "no element with a transition";
  document.body.setAttribute("data-md-color-switching", "");
  const during = getComputedStyle(moving).transitionDuration;
  document.body.removeAttribute("data-md-color-switching");
  return during.split(",").every((d) => parseFloat(d) === 0) ? "stopped" : `still ${during}`;
}"""


def without_bundle(tab: Tab) -> None:
    def hold_back_bundle(route: Route) -> None:
        if "/javascripts/bundle." in route.request.url:
            route.abort()
        else:
            route.fallback()

    tab.page.route("**/*", hold_back_bundle)


@pytest.mark.parametrize(
    ("system", "scheme", "accent", "color_scheme"),
    [("light", "default", "indigo", "light"), ("dark", "slate", "light-blue", "dark")],
)
def test_palette_is_set_before_materials_bundle_runs(
    chromium: Browser,
    site_server: GzipSiteServer,
    system: str,
    scheme: str,
    accent: str,
    color_scheme: str,
) -> None:
    tab = open_tab(chromium, site_server, color_scheme=system)
    try:
        without_bundle(tab)
        tab.page.goto(site_server.url(PAGE), wait_until="domcontentloaded")
        before = tab.page.evaluate(STATE)
        switching_rules = tab.page.evaluate(SWITCHING_RULES)
    finally:
        tab.context.close()
    assert before == {
        "html": "js js-focus-visible",
        "focusVisibleAttribute": True,
        "scheme": scheme,
        "accent": accent,
        "media": "(prefers-color-scheme)",
        "switching": False,
        "colorSchemeMetas": [color_scheme],
    }, f"first visit, {system} system theme, no bundle yet: {before}"
    assert switching_rules == 0, "the palette-switching rule is in force while the page loads"


def test_material_finishes_what_the_early_script_started(
    chromium: Browser, site_server: GzipSiteServer
) -> None:
    """With the bundle, the same values stay, the switching rule is back and works, one meta is left."""
    tab = open_tab(chromium, site_server, color_scheme="dark")
    try:
        tab.page.goto(site_server.url(PAGE), wait_until="networkidle")
        after = tab.page.evaluate(STATE)
        switching_rules = tab.page.evaluate(SWITCHING_RULES)
        switching = tab.page.evaluate(SWITCHING_STOPS_TRANSITIONS)
        problems = tab.watch.problems()
    finally:
        tab.context.close()
    expected = {
        "html": "js js-focus-visible",
        "focusVisibleAttribute": True,
        "scheme": "slate",
        "accent": "light-blue",
        "media": "(prefers-color-scheme)",
        "switching": False,
        "colorSchemeMetas": ["dark"],
    }
    assert after == expected, after
    assert switching_rules == 1, f"{switching_rules} palette-switching rules after the bundle started"
    assert switching == "stopped", f"with the switching mark on <body>: {switching}"
    assert not problems, listing("page:", problems)


def test_color_scheme_meta_follows_the_palette_toggle(tab: Tab, site_server: GzipSiteServer) -> None:
    """The reader's choice reaches the one color-scheme meta (the canvas and the viewport's scrollbar)."""
    tab.page.goto(site_server.url(PAGE), wait_until="networkidle")
    seen = []
    for _ in range(3):  # system -> light -> dark -> system: at most three clicks reach dark
        tab.page.locator("form[data-md-component='palette'] label:visible").click()
        scheme = tab.page.evaluate("() => document.body.dataset.mdColorScheme")
        metas = tab.page.evaluate(
            "() => [...document.querySelectorAll('meta[name=color-scheme]')].map((m) => m.content)"
        )
        seen.append((scheme, metas))
    assert ("slate", ["dark"]) in seen, seen
    assert all(metas == ["dark" if scheme == "slate" else "light"] for scheme, metas in seen), seen
    assert not tab.watch.problems(), listing("page:", tab.watch.problems())
