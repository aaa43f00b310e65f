"""A glossary term shows its definition in Material's tooltip when pointed at or when its link has keyboard
focus (overrides/partials/glossary-tooltips.html, made on demand instead of by content.tooltips at load):
below the term, announced with aria-describedby, gone when the pointer leaves or Escape is pressed.
"""

from __future__ import annotations

import pytest
from gzip_server import GzipSiteServer

from browser.support import Tab, listing

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGE = "workloads/deployments/"
TERM = ".md-content a.kn-glossary abbr"
SHOWN = """() => {
  const tip = document.querySelector("[role=tooltip].md-tooltip2--active");
  const term = document.querySelector(".md-content abbr[aria-describedby]");
  if (!tip) return null;
  const tipBox = tip.firstElementChild.getBoundingClientRect();
  const termBox = term?.getBoundingClientRect();
  return {
    text: tip.textContent,
    describes: term ? term.getAttribute("aria-describedby") === tip.id : false,
    nativeTitle: term?.hasAttribute("title") ?? null,
    below: termBox ? tipBox.top >= termBox.bottom : false,
    onScreen: tipBox.left >= 0 && tipBox.right <= innerWidth && tipBox.width > 0,
  };
}"""
TITLES = "() => [...document.querySelectorAll('.md-content a.kn-glossary abbr')].map((a) => a.title)"


def test_pointing_at_a_term_shows_its_definition_and_leaving_hides_it(
    tab: Tab, site_server: GzipSiteServer
) -> None:
    tab.page.goto(site_server.url(PAGE), wait_until="networkidle")
    titles = tab.page.evaluate(TITLES)
    assert titles and all(titles), f"/{PAGE} has no glossary term with a definition: {titles}"
    assert tab.page.evaluate(SHOWN) is None, "a tooltip is shown before anything was pointed at"

    term = tab.page.locator(TERM).nth(1)
    term.hover()
    tab.page.wait_for_function("() => document.querySelector('[role=tooltip].md-tooltip2--active')")
    assert tab.page.evaluate(SHOWN) == {
        "text": titles[1],
        "describes": True,
        "nativeTitle": False,
        "below": True,
        "onScreen": True,
    }

    tab.page.mouse.move(1, 1)
    tab.page.wait_for_function("() => !document.querySelector('[role=tooltip]')")
    assert tab.page.evaluate(TITLES) == titles, "a term did not get its title back"
    assert not tab.watch.problems(), listing("page:", tab.watch.problems())


def test_keyboard_focus_on_a_terms_link_shows_it_and_escape_hides_it(
    tab: Tab, site_server: GzipSiteServer
) -> None:
    tab.page.goto(site_server.url(PAGE), wait_until="networkidle")
    titles = tab.page.evaluate(TITLES)
    tab.page.locator(".md-content a.kn-glossary").first.focus()
    tab.page.wait_for_function("() => document.querySelector('[role=tooltip].md-tooltip2--active')")
    shown = tab.page.evaluate(SHOWN)
    assert shown is not None and shown["text"] == titles[0] and shown["describes"], shown

    tab.page.keyboard.press("Escape")
    tab.page.wait_for_function("() => !document.querySelector('[role=tooltip]')")
    assert tab.page.evaluate(TITLES) == titles
    assert not tab.watch.problems(), listing("page:", tab.watch.problems())
