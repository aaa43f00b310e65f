"""Pages include manifests with ``<!-- kn:manifest FILE -->``; each is checked as a reader uses it (copy
button, download link) by the one-load-per-page test in test_pages.py."""

from __future__ import annotations

from browser.manifest_checks import INCLUDES


def test_pages_include_manifests() -> None:
    """The site promises downloadable manifests; the per-page test must have something to check."""
    assert INCLUDES, "no page in docs/ includes a manifest with <!-- kn:manifest FILE -->"
