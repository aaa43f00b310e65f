"""What the browser tests share: the Chromium they drive, a local server for the built site, the pages
to visit, and a watch that records every console error, failed request and request to another host.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gzip_server import GzipSiteServer
from playwright.sync_api import Browser, BrowserContext, CDPSession, ConsoleMessage, Page, Request, Response

from browser import probes

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = Path(os.environ.get("KUBENOTES_CHROMIUM", "/usr/bin/chromium"))
# Keep the browser off the network and quiet: no updates, sync, field trials or QUIC probes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-smooth-scrolling",  # a scroll lands at once: no frames drawn on the way
]
# Each context sends every request, except those to the site's own server (host and port), to a proxy that
# does not exist, where it fails unsent: names, IP addresses and other local ports alike, whatever a page
# asks for. The browser's network settings decide it, not a hook that each request passes through.
DEAD_PROXY = "http://127.0.0.1:1"
INSTALL_HINT = (
    "Chromium is required for the browser tests and was not found at {path}. Install it with "
    "`make chromium` (Debian/Ubuntu: `sudo apt-get install -y chromium`; macOS: "
    "`brew install --cask chromium`, then set KUBENOTES_CHROMIUM to its binary)."
)
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = f"axe-core is missing at {AXE_JS}: run `npm ci` in {ROOT} (make test does it for you)."
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Screenshots written this session; the terminal summary names their folder when there are any.
SAVED_SCREENSHOTS: list[Path] = []
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Pages the sitemap leaves out but readers still see.
EXTRA_PAGES = ("404.html",)


def page_path(source: Path, docs_dir: Path) -> str:
    """URL path (relative to the site root) MkDocs' directory URLs give a Markdown file in docs/."""
    parts = list(source.relative_to(docs_dir).with_suffix("").parts)
    if parts[-1] in ("index", "README"):
        parts.pop()
    return "".join(f"{part}/" for part in parts)


def docs_page_paths(docs_dir: Path) -> list[str]:
    """URL path of every page: known at collection time, so each page gets its own test id.

    test_every_built_page_is_covered checks this list against the built site's sitemap, so no page
    can slip through.
    """
    return [*(page_path(source, docs_dir) for source in sorted(docs_dir.rglob("*.md"))), *EXTRA_PAGES]


def sitemap_page_paths(site_dir: Path) -> tuple[str, list[str]]:
    """The site's URL prefix (path of site_url) and each page path the built sitemap.xml lists."""
    locs = [
        loc.text.strip()
        for loc in ET.parse(site_dir / "sitemap.xml").getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)
    ]
    home = min(locs, key=len)
    return urlsplit(home).path, [loc[len(home) :] for loc in locs]


@dataclass
class PageWatch:
    """Everything that went wrong while a page loaded; requests to other hosts are recorded (the context's
    proxy, :data:`DEAD_PROXY`, makes them fail unsent)."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def attach(self, tab: Tab) -> None:
        tab.on_context("request", self._request)
        tab.on_page("console", self._console)
        tab.on_page("pageerror", self._uncaught)
        tab.on_context("requestfailed", self._failed)
        tab.on_context("response", self._response)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"failed request: {r}" for r in self.failed_requests]
            + [f"request to another host: {u}" for u in self.foreign_requests]
        )

    def _request(self, request: Request) -> None:
        url = request.url
        if not (url.startswith(self.origin + "/") or urlsplit(url).scheme in ("data", "blob")):
            self.foreign_requests.append(url)

    def _uncaught(self, error: Exception) -> None:
        self.console_errors.append(f"uncaught: {error}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '?')})")

    def _failed(self, request: Request) -> None:
        if request.url not in self.foreign_requests:  # already reported, as a foreign request
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.url}: HTTP {response.status}")


@dataclass
class Tab:
    """A browser context with one page, watched from its first request; the listeners it adds are its own,
    so a context that outlives the tab (see :class:`FirstVisits`) keeps none of them."""

    context: BrowserContext
    page: Page
    watch: PageWatch
    listeners: list[tuple[BrowserContext | Page, str, Callable[..., Any]]] = field(default_factory=list)

    def on_context(self, event: str, handler: Callable[..., Any]) -> None:
        self._listen(self.context, event, handler)

    def on_page(self, event: str, handler: Callable[..., Any]) -> None:
        self._listen(self.page, event, handler)

    def remove_listeners(self) -> None:
        for target, event, handler in self.listeners:
            target.remove_listener(event, handler)
        self.listeners.clear()

    def _listen(self, target: BrowserContext | Page, event: str, handler: Callable[..., Any]) -> None:
        target.on(event, handler)
        self.listeners.append((target, event, handler))


def new_context(
    browser: Browser, server: GzipSiteServer, *, viewport: dict[str, int], color_scheme: str, **options: Any
) -> BrowserContext:
    """A context that reaches the site's own server and nothing else (see :data:`DEAD_PROXY`)."""
    only_the_site = {"server": DEAD_PROXY, "bypass": f"<-loopback>,{urlsplit(server.origin).netloc}"}
    context = browser.new_context(
        viewport=viewport,
        color_scheme=color_scheme,
        service_workers="block",
        proxy=only_the_site,
        **options,
    )
    context.set_default_timeout(10_000)  # a reader would have given up long before Playwright's 30 s
    return context


def watched_tab(context: BrowserContext, page: Page, origin: str) -> Tab:
    tab = Tab(context, page, PageWatch(origin))
    tab.watch.attach(tab)
    return tab


def open_tab(
    browser: Browser,
    server: GzipSiteServer,
    *,
    viewport: dict[str, int] = DESKTOP,
    color_scheme: str = "light",
    **options: Any,
) -> Tab:
    """A new context of its own, for a test that needs options a reused one cannot change."""
    context = new_context(browser, server, viewport=viewport, color_scheme=color_scheme, **options)
    return watched_tab(context, context.new_page(), server.origin)


class FirstVisits:
    """One context and page per worker, handed to one test after another as a first-time reader's browser:
    its cache is off, and before each visit the tab leaves the site and its cookies and storage are
    cleared, so every visit downloads what a new reader would. A new context per test costs a renderer
    process and a fresh compile of every script; this one stays. A visit that fails closes the context
    (the next one starts clean)."""

    def __init__(self, browser: Browser, server: GzipSiteServer, **options: Any) -> None:
        self._browser, self._server, self._options = browser, server, options
        self._open: tuple[BrowserContext, Page, CDPSession] | None = None
        self._visiting = False

    @contextmanager
    def visit(self, *, viewport: dict[str, int] = DESKTOP, color_scheme: str = "light") -> Iterator[Tab]:
        if self._visiting:
            raise RuntimeError("one visit at a time: a test holding a visit asked for another")
        context, page = self._cleared()
        page.set_viewport_size(viewport)
        page.emulate_media(color_scheme=color_scheme)
        page.mouse.move(0, 0)  # where a new context's pointer starts: nothing hovered from the last visit
        tab = watched_tab(context, page, self._server.origin)
        self._visiting = True
        try:
            yield tab
        except BaseException:
            self.close()
            raise
        finally:
            tab.remove_listeners()
            self._visiting = False

    def close(self) -> None:
        if self._open is not None:
            self._open[0].close()
        self._open = None

    def _cleared(self) -> tuple[BrowserContext, Page]:
        """The context and page, new or emptied of the last visit."""
        if self._open is None:
            context = new_context(
                self._browser, self._server, viewport=DESKTOP, color_scheme="light", **self._options
            )
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            # No HTTP cache and no renderer memory cache: cleared caches kept files that every page shares
            # (the favicon) in the reused renderer's memory now and then.
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            self._open = (context, page, cdp)
            return context, page
        context, page, cdp = self._open
        if page.url.startswith(self._server.origin + "/"):
            page.evaluate("() => { sessionStorage.clear(); localStorage.clear(); }")
        page.goto("about:blank")
        context.clear_cookies()
        cdp.send("Storage.clearDataForOrigin", {"origin": self._server.origin, "storageTypes": "all"})
        return context, page


def listing(title: str, items: list[object]) -> str:
    """An assertion message that lists every offending item on its own line."""
    return "\n".join([title, *(f"  - {item}" for item in items)])


def load_problems(tab: Tab, url: str) -> list[str]:
    """Load ``url`` and wait for the network to settle; list everything that went wrong, images included."""
    undecodable = load(tab, url)
    tab.page.wait_for_load_state("networkidle")
    return tab.watch.problems() + undecodable


def load(tab: Tab, url: str) -> list[str]:
    """Load ``url`` (to its load event) and decode every image; the images that do not decode.

    The caller waits for ``networkidle`` and reads ``tab.watch`` when its own checks are done: Playwright
    reaches that state in the background meanwhile, so the wait is then usually over already.
    """
    tab.page.goto(url, wait_until="load")
    return [
        f"image does not decode: {img['src']}: {img['error'] or 'naturalWidth is 0'}"
        for img in tab.page.evaluate(probes.IMAGES)
        if img["error"] or img["naturalWidth"] <= 0
    ]


def settle_animations(tab: Tab) -> None:
    """Let the page react to a resize (one frame), then jump every finite animation and transition to its
    end: checks such as axe's contrast see the settled page without waiting for the fade."""
    tab.page.evaluate(probes.FINISH_ANIMATIONS)
    tab.page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
