"""The site as CI builds it: the strict build passes, and broken links or anchors fail it."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BuildResult, run_build


def append_to_page(site: Path, page: str, text: str) -> None:
    path = site / "docs" / page
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def test_strict_build_passes(built_site: BuildResult) -> None:
    assert (built_site.site_dir / "index.html").is_file()
    assert "WARNING" not in built_site.log


def test_broken_link_fails_strict_build(site_copy: Path) -> None:
    append_to_page(site_copy, "index.md", "See [a page that does not exist](no-such-page.md).")
    result = run_build(site_copy, site_copy / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.log


def test_broken_anchor_fails_strict_build(site_copy: Path) -> None:
    link = "foundations/why-kubernetes.md#no-such-heading"
    append_to_page(site_copy, "index.md", f"See [a missing section]({link}).")
    result = run_build(site_copy, site_copy / "site")
    assert result.returncode != 0
    assert "no-such-heading" in result.log


def test_absolute_link_fails_strict_build(site_copy: Path) -> None:
    append_to_page(site_copy, "index.md", "See [the home page](/index.md).")
    result = run_build(site_copy, site_copy / "site")
    assert result.returncode != 0
    assert "/index.md" in result.log


def test_broken_link_is_only_a_warning_without_strict(site_copy: Path) -> None:
    """`mkdocs serve` must keep serving while an author fixes a link, so strict lives on the command line."""
    assert not re.search(r"^strict\s*:", (site_copy / "mkdocs.yml").read_text(), re.MULTILINE)
    append_to_page(site_copy, "index.md", "See [a page that does not exist](no-such-page.md).")
    result = run_build(site_copy, site_copy / "site", strict=False)
    assert result.returncode == 0
    assert "no-such-page.md" in result.log


def test_build_works_from_any_working_directory(tmp_path: Path, site_copy: Path) -> None:
    """Paths in mkdocs.yml (snippets base path, hooks) resolve against the config file, not the cwd."""
    (site_copy / "snippets" / "probe.txt").write_text("included from snippets/\n")
    append_to_page(site_copy, "index.md", '--8<-- "probe.txt"')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_build(site_copy, site_copy / "site", cwd=elsewhere)
    assert result.returncode == 0, result.log
    assert "included from snippets/" in (site_copy / "site" / "index.html").read_text()
