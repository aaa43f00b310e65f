"""Every page passes axe-core with no serious or critical violation, every image has alt text, and
headings never skip a level. axe-core comes from npm (package-lock.json pins it; make test runs npm ci).
"""

from __future__ import annotations

import pytest

from browser import probes
from browser.support import AXE_HINT, AXE_JS, ROOT, SiteServer, Tab, docs_page_paths, listing

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGES = docs_page_paths(ROOT / "docs")
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(tab: Tab) -> list[dict]:
    """axe-core's violations on the loaded page, injected from node_modules (never from a CDN)."""
    if not AXE_JS.is_file():
        pytest.fail(AXE_HINT, pytrace=False)
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


@pytest.mark.parametrize("page_path", PAGES)
def test_page_is_accessible(tab: Tab, site_server: SiteServer, page_path: str) -> None:
    tab.page.goto(site_server.url(page_path), wait_until="networkidle")
    blocking = [f"{v['impact']}: {v['id']}: {v['help']} at {', '.join(v['nodes'])}"
                for v in axe_violations(tab) if v["impact"] in BLOCKING_IMPACTS]
    without_alt = [img["src"] for img in tab.page.evaluate(probes.IMAGES) if not (img["alt"] or "").strip()]
    headings = [(h["level"], h["text"]) for h in tab.page.evaluate(probes.HEADINGS)]
    problems = ([f"axe {b}" for b in blocking] + [f"image without alt text: {src}" for src in without_alt]
                + [f"heading level skipped: {s}" for s in heading_skips(headings)])
    assert headings, f"/{page_path} has no headings in its article"
    assert not problems, listing(f"/{page_path} accessibility:", problems)


def test_heading_skips_are_found() -> None:
    assert heading_skips([(1, "Title"), (2, "A"), (3, "B"), (2, "C"), (3, "D")]) == []
    assert heading_skips([(1, "Title"), (3, "Deep")]) == ["h3 'Deep' follows h1"]
    assert heading_skips([(2, "No title")]) == ["h2 'No title' follows the start of the page"]


def test_axe_reports_planted_violations(tab: Tab, site_server: SiteServer) -> None:
    """axe must be able to fail here: an image without alt and an unlabelled button are critical."""
    tab.page.goto(site_server.url(), wait_until="networkidle")
    tab.page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("beforeend",
        '<img src="assets/images/favicon.png"><button></button>')""")
    found = {v["id"]: v["impact"] for v in axe_violations(tab)}
    assert found.get("image-alt") == "critical"
    assert found.get("button-name") == "critical"
