"""Every page of the built site, as a reader's browser sees it: it loads cleanly and its pictures draw."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser.accessibility import accessibility_problems
from browser.support import (
    ROOT,
    SiteServer,
    Tab,
    docs_page_paths,
    listing,
    load_problems,
    open_tab,
    sitemap_page_paths,
)

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGES = docs_page_paths(ROOT / "docs")


def test_every_built_page_is_covered(built_site) -> None:
    """The per-page tests visit every page the built sitemap lists (pages come and go with content)."""
    _, built = sitemap_page_paths(built_site.site_dir)
    assert built, "the built sitemap.xml lists no pages"
    missing = sorted(set(built) - set(PAGES))
    assert not missing, listing("pages in the built sitemap that no browser test visits:", missing)


@pytest.mark.parametrize("page_path", PAGES)
def test_page(tab: Tab, site_server: SiteServer, page_path: str) -> None:
    """Loads with no console error, no failed request and nothing from another host; every image decodes;
    no serious or critical axe-core violation, alt text on every image, no skipped heading level.
    One load per page for all of it keeps the run short on a 2-core CI runner.
    """
    problems = load_problems(tab, site_server.url(page_path)) + accessibility_problems(tab)
    assert not problems, listing(f"/{page_path} in the browser:", problems)


def test_load_check_catches_each_problem(built_site, chromium, tmp_path: Path) -> None:
    """The check above must be able to fail: plant one problem of each kind in a copy of the real site."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site_dir, site)
    (site / "not-a-picture.svg").write_text("this is not SVG")
    home = site / "index.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace(
            "</body>",
            """
        <img src="https://img.example.com/remote.png" alt="remote">
        <img src="no-such-picture.png" alt="missing">
        <img src="not-a-picture.svg" alt="undecodable">
        <script>console.error("planted console error")</script></body>""",
            1,
        ),
        encoding="utf-8",
    )
    prefix, _ = sitemap_page_paths(site)
    server = SiteServer(site, prefix)
    tab = open_tab(chromium, server)
    try:
        problems = "\n".join(load_problems(tab, server.url()))
    finally:
        tab.context.close()
        server.close()
    assert "request to another host: https://img.example.com/remote.png" in problems
    assert "no-such-picture.png: HTTP 404" in problems
    assert "console error: planted console error" in problems
    assert "image does not decode: " + server.url("not-a-picture.svg") in problems
