"""Accessibility checks on a loaded page: axe-core (serious and critical rules), alt text, heading order.

axe-core comes from npm (package-lock.json pins it; make test runs npm ci) and is injected into the page
from node_modules, never from a CDN.
"""

from __future__ import annotations

import pytest

from browser import probes
from browser.support import AXE_HINT, AXE_JS, Tab

BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(tab: Tab) -> list[dict]:
    """axe-core's violations on the loaded page (axe injected once per page load)."""
    if not AXE_JS.is_file():
        pytest.fail(AXE_HINT, pytrace=False)
    if not tab.page.evaluate("() => typeof window.axe === 'object'"):
        tab.page.add_script_tag(path=AXE_JS)
    return tab.page.evaluate(probes.AXE_VIOLATIONS)


def heading_skips(levels: list[tuple[int, str]]) -> list[str]:
    """Where the outline starts below h1 or jumps more than one level down (h2 -> h4)."""
    skips = []
    previous = 0
    for level, text in levels:
        if level > previous + 1:
            after = f"h{previous}" if previous else "the start of the page"
            skips.append(f"h{level} '{text}' follows {after}")
        previous = level
    return skips


def accessibility_problems(tab: Tab) -> list[str]:
    """Everything on the loaded page that fails the site's accessibility bar."""
    blocking = [
        f"axe {v['impact']}: {v['id']}: {v['help']} at {', '.join(v['nodes'])}"
        for v in axe_violations(tab)
        if v["impact"] in BLOCKING_IMPACTS
    ]
    without_alt = [
        f"image without alt text: {img['src']}"
        for img in tab.page.evaluate(probes.IMAGES)
        if not (img["alt"] or "").strip()
    ]
    headings = [(h["level"], h["text"]) for h in tab.page.evaluate(probes.HEADINGS)]
    outline = [f"heading level skipped: {skip}" for skip in heading_skips(headings)]
    if not headings:
        outline.append("the article has no heading")
    return blocking + without_alt + outline
