"""Serve a built site the way GitHub Pages does: under its published path prefix, text types gzipped.

Python's ``http.server`` sends every file uncompressed, so a page measured through it weighs what no
reader downloads. Pages compresses HTML, CSS, JavaScript, JSON, SVG and XML when the browser asks for
gzip; this does the same, so Lighthouse and the browser budget tests see the bytes a phone receives.

    python scripts/gzip_server.py site --prefix /kubernetes-field-notes/ --port 8000
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import sys
import threading
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

# What GitHub Pages compresses (by Content-Type); images such as PNG are already compressed.
COMPRESSED_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
    "application/manifest+json",
)
COMPRESS_LEVEL = 6  # the usual web-server default (nginx, Fastly); 9 costs time for ~1% less


class GzipSiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files under ``prefix``; text types gzipped for clients that accept gzip."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + url_path[len(self.prefix) :])

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if not (path.is_file() and self._accepts_gzip() and content_type.startswith(COMPRESSED_TYPES)):
            return super().send_head()  # directory redirects, 404s, binaries: as http.server does
        stat = path.stat()
        body = _gzipped(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def _accepts_gzip(self) -> bool:
        codings = self.headers.get("Accept-Encoding", "")
        return any(part.split(";")[0].strip().lower() == "gzip" for part in codings.split(","))

    def log_message(self, format: str, *args: object) -> None:
        """Silent: callers report what went wrong themselves."""


@functools.lru_cache(maxsize=256)
def _gzipped(path: Path, mtime_ns: int, size: int) -> bytes:
    """The compressed bytes of ``path``, once per version of the file (mtime and size are the key)."""
    return gzip.compress(path.read_bytes(), compresslevel=COMPRESS_LEVEL, mtime=0)


class GzipSiteServer:
    """A built site on 127.0.0.1 (a free port unless one is given), served from a daemon thread."""

    def __init__(self, site_dir: Path, prefix: str = "/", port: int = 0) -> None:
        handler = type("Handler", (GzipSiteHandler,), {"prefix": prefix})
        self.prefix = prefix
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(handler, directory=str(site_dir))
        )
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="gzip-site", daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def url(self, page_path: str = "") -> str:
        return f"{self.origin}{self.prefix}{page_path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> GzipSiteServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder (mkdocs build writes site/)")
    parser.add_argument(
        "--prefix", default="/", help="URL path the site lives under, e.g. /kubernetes-field-notes/"
    )
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site}/index.html not found: build the site first (make build)", file=sys.stderr)
        return 2
    with GzipSiteServer(args.site, args.prefix, args.port) as server:
        print(f"serving {args.site} at {server.url()} (gzip for text types); Ctrl-C stops", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
