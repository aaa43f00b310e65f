"""The site as CI builds it: the real site's strict build passes; on one-page sites, broken links and
anchors fail a strict build, a plain build only warns, and paths resolve against the config file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BuildResult, run_build
from sites import make_site

pytestmark = pytest.mark.build


def test_strict_build_passes(built_site: BuildResult) -> None:
    assert (built_site.site_dir / "index.html").is_file()
    assert "WARNING" not in built_site.log


# One page per kind of broken link, in one site: a strict build reports every warning before it fails.
BROKEN_LINKS = {
    "missing-page.md": ("[a page that does not exist](no-such-page.md)", "no-such-page.md"),
    "missing-section.md": ("[a missing section](other.md#no-such-heading)", "no-such-heading"),
    "absolute.md": ("[the home page](/index.md)", "/index.md"),
}


def test_broken_links_fail_the_strict_build(tmp_path: Path) -> None:
    pages = {name: f"# {name}\n\nSee {link}.\n" for name, (link, _) in BROKEN_LINKS.items()}
    site = make_site(tmp_path, {"index.md": "# Home\n", "other.md": "# Other\n", **pages})
    result = run_build(site, site / "site")
    assert result.returncode != 0
    for name, (_, named) in BROKEN_LINKS.items():
        assert any(name in line and named in line for line in result.log.splitlines()), (name, result.log)


def test_broken_link_is_only_a_warning_without_strict(tmp_path: Path) -> None:
    """`mkdocs serve` must keep serving while an author fixes a link, so strict lives on the command line."""
    from conftest import ROOT

    assert not re.search(r"^strict\s*:", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    site = make_site(tmp_path, {"index.md": "# Home\n\nSee [a page that does not exist](no-such-page.md).\n"})
    result = run_build(site, site / "site", strict=False)
    assert result.returncode == 0
    assert "no-such-page.md" in result.log


def test_build_works_from_any_working_directory(tmp_path: Path) -> None:
    """Paths in mkdocs.yml (snippets base path) resolve against the config file, not the working directory."""
    site = make_site(
        tmp_path / "site",
        {"index.md": '# Home\n\n--8<-- "probe.txt"\n'},
        snippets={"probe.txt": "included from snippets/\n"},
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_build(site, site / "site", cwd=elsewhere)
    assert result.returncode == 0, result.log
    assert "included from snippets/" in (site / "site" / "index.html").read_text()
