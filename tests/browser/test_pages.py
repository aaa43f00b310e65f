"""Every page of the built site, as a reader's browser sees it, in one load per page: served with gzip as
GitHub Pages serves it, it loads cleanly, its pictures draw, it passes the accessibility bar, its manifests
copy and download, and read to the end in both palettes it stays within the page-weight budget."""

from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path

import pytest
from gzip_server import GzipSiteServer

from browser.accessibility import accessibility_problems
from browser.manifest_checks import page_manifest_problems
from browser.support import (
    DESKTOP,
    PHONE,
    ROOT,
    FirstVisits,
    docs_page_paths,
    listing,
    load,
    load_problems,
    open_tab,
    settle_animations,
    sitemap_page_paths,
)
from browser.weight import page_problems, read_in_both_palettes, split_palette_pairs, watch_transfer

pytestmark = [pytest.mark.browser, pytest.mark.build]

LOAD_ONE_PICTURE = """(src) => new Promise((done) => {
  const img = new Image();
  img.onload = img.onerror = done;
  img.src = src;
})"""

PAGES = docs_page_paths(ROOT / "docs")


def test_every_built_page_is_covered(built_site) -> None:
    """The per-page tests visit every page the built sitemap lists (pages come and go with content)."""
    _, built = sitemap_page_paths(built_site.site_dir)
    assert built, "the built sitemap.xml lists no pages"
    missing = sorted(set(built) - set(PAGES))
    assert not missing, listing("pages in the built sitemap that no browser test visits:", missing)


@pytest.mark.parametrize("page_path", PAGES)
def test_page(first_visits: FirstVisits, site_server: GzipSiteServer, page_path: str) -> None:
    """Loaded on a phone: no console error, no failed request, nothing from another host, every image
    decodes. On a desktop: no serious or critical axe-core violation, alt text on every image, no skipped
    heading level; each included manifest's copy button copies it and its download link serves the
    snippet. Read to the end in both palettes: at most 200 KB on the wire, each diagram fetched once, one
    file for both palettes of a picture (the site has no viewport-dependent assets, so the bytes are a
    phone's). One load per page for all of it, in the worker's context cleared as for a first-time
    reader, keeps the run short on a 2-core CI runner.
    """
    with first_visits.visit(viewport=PHONE) as tab:
        transfer = watch_transfer(tab)
        problems = load(tab, site_server.url(page_path))
        tab.page.set_viewport_size(DESKTOP)
        settle_animations(tab)  # the header's tabs fade in: axe must see them settled
        problems += accessibility_problems(tab) + page_manifest_problems(tab, page_path)
        read_in_both_palettes(tab)  # ends when the network is idle: every request of the page is in
        problems += page_problems(transfer, split_palette_pairs(tab)) + tab.watch.problems()
    assert not problems, listing(f"/{page_path} in the browser (gzip served):", problems)


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
    server = GzipSiteServer(site, prefix)
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


def test_a_request_to_another_address_never_leaves_the_browser(chromium, site_server) -> None:
    """Blocking is the browser's, not a list of names: servers that are up on another loopback address
    (127.0.0.2, reachable like any other host) and on another port of the site's own address receive
    nothing when a page asks them for a picture."""
    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_error(404)

    others = [http.server.ThreadingHTTPServer((host, 0), Recorder) for host in ("127.0.0.2", "127.0.0.1")]
    for other in others:
        threading.Thread(target=other.serve_forever, daemon=True).start()
    urls = [f"http://{o.server_address[0]}:{o.server_address[1]}/reached.png" for o in others]
    tab = open_tab(chromium, site_server)
    try:
        tab.page.goto(site_server.url(), wait_until="load")
        for url in urls:
            tab.page.evaluate(LOAD_ONE_PICTURE, url)
        problems = tab.watch.problems()
    finally:
        tab.context.close()
        for other in others:
            other.shutdown()
            other.server_close()
    assert hits == [], f"another server was reached: {hits}"
    for url in urls:
        assert f"request to another host: {url}" in problems
