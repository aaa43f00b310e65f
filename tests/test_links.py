"""`kubenotes links` on a tiny generated site: real LinkChecker against a local server for ok and broken,
an unreachable port and offline mode for links it cannot check, which are never reported as success.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kubenotes.cache import CacheStore
from kubenotes.cli import main
from kubenotes.links import check_site, exit_code
from kubenotes.links.cache import CACHE_AREA, ResultsCache
from kubenotes.links.extract import Place, external_links
from kubenotes.links.probe import classify

SITE_URL = "https://notes.example.org/field-notes/"


class _Server(http.server.BaseHTTPRequestHandler):
    """/ok answers 200, everything else 404; every path asked for is recorded."""

    requested: list[str]

    def do_GET(self) -> None:
        self.requested.append(self.path)
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>hello</body></html>")

    do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def remote() -> Iterator[tuple[str, list[str]]]:
    """A stand-in for another website, on 127.0.0.1: its base URL and the paths requested from it."""
    requested: list[str] = []
    handler = type("Handler", (_Server,), {"requested": requested})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requested
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound and never listened on, held for the whole test: connecting is refused, and no other
    process can start listening there meanwhile (a port bound and released could be taken at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def make_site(root: Path, links: list[str]) -> tuple[Path, Path]:
    """docs/guide.md writes the links; site/guide/index.html is what MkDocs would build from it."""
    docs, site = root / "docs", root / "site"
    (docs).mkdir(parents=True)
    (site / "guide").mkdir(parents=True)
    (docs / "guide.md").write_text("# Guide\n\n" + "".join(f"See [this]({url}).\n" for url in links))
    anchors = "".join(f'<a href="{url}#part">this</a>' for url in links)
    own = (
        f'<a href="{SITE_URL}guide/">ourselves</a><a href="../other/">relative</a>'
        '<a href="mailto:a@b.c">mail</a>'
    )
    (site / "guide" / "index.html").write_text(f"<html><body>{anchors}{own}</body></html>")
    (site / "index.html").write_text(
        '<html><body><a href="https://theme.example.com/">theme</a></body></html>'
    )
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{SITE_URL}</loc></url><url><loc>{SITE_URL}guide/</loc></url></urlset>"
    )
    return docs, site


def test_extraction_finds_outbound_links_with_their_source_line(tmp_path: Path) -> None:
    docs, site = make_site(tmp_path, ["https://kubernetes.io/docs/home/", "http://example.net/a"])
    found = external_links(site, docs)
    assert found == {
        "http://example.net/a": [Place("docs/guide.md", 4)],
        "https://kubernetes.io/docs/home/": [Place("docs/guide.md", 3)],
        "https://theme.example.com/": [Place("site/index.html")],
    }


def test_offline_mode_reports_every_link_unchecked_and_fails(tmp_path: Path) -> None:
    docs, site = make_site(tmp_path, ["https://kubernetes.io/docs/home/"])
    cache = ResultsCache(CacheStore(tmp_path / "cache"))
    report = check_site(site, cache=cache, docs_dir=docs, offline=True)
    assert {v.status for v in report.verdicts} == {"unchecked"}
    assert exit_code(report) == 3
    assert "0 ok" in report.summary() and "2 unchecked" in report.summary()
    assert not (tmp_path / "cache").exists()  # nothing learnt, nothing written


def test_real_check_sorts_ok_broken_and_unreachable(
    tmp_path: Path, remote: tuple[str, list[str]], closed_port: int
) -> None:
    base, _ = remote
    unreachable = f"http://127.0.0.1:{closed_port}/gone"
    docs, site = make_site(tmp_path, [f"{base}/ok", f"{base}/missing", unreachable])
    (site / "index.html").unlink()  # keep the check to the local servers
    cache = ResultsCache(CacheStore(tmp_path / "cache"))
    report = check_site(site, cache=cache, docs_dir=docs, timeout=5)
    status = {verdict.url: verdict.status for verdict in report.verdicts}
    assert status == {f"{base}/ok": "ok", f"{base}/missing": "broken", unreachable: "unchecked"}
    assert report.with_status("unchecked")[0].detail.startswith("could not reach the host (")
    assert exit_code(report) == 1  # broken wins over unchecked
    remembered = [p for p in (tmp_path / "cache" / CACHE_AREA).rglob("*") if p.is_file()]
    assert len(remembered) == 1 and cache.fresh(f"{base}/ok")  # only successes are remembered


def test_cached_success_is_not_rechecked_until_it_expires(
    tmp_path: Path,
    remote: tuple[str, list[str]],
) -> None:
    base, requested = remote
    docs, site = make_site(tmp_path, [f"{base}/ok"])
    (site / "index.html").unlink()
    store = CacheStore(tmp_path / "cache")
    first = check_site(site, cache=ResultsCache(store), docs_dir=docs, timeout=5, now=1_000_000)
    assert exit_code(first) == 0 and requested.count("/ok") >= 1
    requested.clear()

    day = 86400
    second = check_site(
        site, cache=ResultsCache(store, max_age=7 * day), docs_dir=docs, offline=True, now=1_000_000 + 6 * day
    )
    assert [(v.status, v.cached) for v in second.verdicts] == [("ok", True)] and exit_code(second) == 0
    assert requested == []

    expired = check_site(
        site, cache=ResultsCache(store, max_age=7 * day), docs_dir=docs, offline=True, now=1_000_000 + 8 * day
    )
    assert [v.status for v in expired.verdicts] == ["unchecked"] and exit_code(expired) == 3


def test_cli_offline_lists_what_it_could_not_check(tmp_path: Path, monkeypatch, capsys) -> None:
    _, site = make_site(tmp_path, ["https://kubernetes.io/docs/home/"])
    (tmp_path / "mkdocs.yml").write_text("site_name: tiny\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["links", "--site", str(site), "--offline"]) == 3
    out = capsys.readouterr().out
    assert "NOT checked" in out
    assert "docs/guide.md:3: https://kubernetes.io/docs/home/: offline mode: not checked" in out
    assert "site/index.html: https://theme.example.com/" in out
    assert out.rstrip().endswith("2 unchecked (offline mode: nothing was checked now)")


@pytest.mark.parametrize(
    ("row", "status"),
    [
        ({"urlname": "u", "valid": "True", "result": "200 OK"}, "ok"),
        ({"urlname": "u", "valid": "False", "result": "404 Not Found"}, "broken"),
        ({"urlname": "u", "valid": "False", "result": "429 Too Many Requests"}, "unchecked"),
        (
            {"urlname": "u", "valid": "False", "result": "ConnectionError: ... NameResolutionError"},
            "unchecked",
        ),
        ({"urlname": "u", "valid": "True", "infostring": "Access denied by robots.txt"}, "unchecked"),
    ],
)
def test_classification_of_linkchecker_results(row: dict[str, str], status: str) -> None:
    assert classify(row).status == status
