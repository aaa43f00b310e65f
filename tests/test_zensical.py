"""The same sources built by Zensical give the same site: the same pages, diagrams, published examples and
executed outputs as the MkDocs build, every difference named. The Zensical build runs with a
"production" kubeconfig (context prod-eu) and stub kubectl, minikube and kind first on PATH: the stubs
stand in for tools that would reach a real cluster, and must record nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import BuildResult, ZensicalBuild, zensical_build
from sites import make_site

pytestmark = pytest.mark.build


def test_zensical_build_runs_no_cluster_command_with_a_production_context(
    zensical_site: ZensicalBuild,
) -> None:
    assert zensical_site.stub_calls == ""


def test_zensical_builds_the_same_site_as_mkdocs(
    built_site: BuildResult, zensical_site: ZensicalBuild
) -> None:
    assert differences(built_site.site_dir, zensical_site.site_dir) == []


def test_zensical_fails_on_bad_input_naming_file_and_line(tmp_path: Path) -> None:
    page = (
        "# Home\n\n```yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        'spec:\n  replica: 3\n```\n\n```bash exec="on"\nkubectl create deployment x --dry-run=client\n```\n'
    )
    site = make_site(tmp_path / "site", {"index.md": page})
    result = zensical_build(site, tmp_path, KUBENOTES_CACHE_DIR=str(tmp_path / "cache"))
    assert result.returncode == 1
    assert (
        'docs/index.md:8:3: Deployment/web: spec.replica: unknown field — did you mean "replicas"?'
        in result.log
    )
    assert "docs/index.md:11: -: bash exec: the block exited with code 1" in result.log
    assert "Traceback" not in result.log
    assert not (site / ".cache").exists()  # no page with a problem left for the next build to reuse


def differences(mkdocs: Path, zensical: Path) -> list[str]:
    """Every way the Zensical site differs from the MkDocs one in what the engine produces."""
    found: list[str] = []
    found += _compare("page", _pages(mkdocs), _pages(zensical))
    for folder in ("assets/diagrams", "examples"):
        found += _compare(f"{folder} file", _files(mkdocs / folder), _files(zensical / folder))
    for page in sorted(set(_pages(mkdocs)) & set(_pages(zensical))):
        ours = _engine_output(mkdocs / page)
        theirs = _engine_output(zensical / page)
        for what in ours.keys() | theirs.keys():
            if ours.get(what) != theirs.get(what):
                found.append(
                    f"{page}: {what} differ: MkDocs {ours.get(what)!r:.200} / Zensical "
                    f"{theirs.get(what)!r:.200}"
                )
    return found


def _compare(what: str, ours: dict[str, bytes], theirs: dict[str, bytes]) -> list[str]:
    found = [f"{what} only in the MkDocs site: {name}" for name in sorted(ours.keys() - theirs.keys())]
    found += [f"{what} only in the Zensical site: {name}" for name in sorted(theirs.keys() - ours.keys())]
    found += [
        f"{what} differs: {name}"
        for name in sorted(ours.keys() & theirs.keys())
        if ours[name] != theirs[name]
    ]
    return found


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): b"" for p in site.rglob("index.html")}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _engine_output(page: Path) -> dict[str, list[str]]:
    """What the engine put on a page: executed blocks (run or cached alike), manifest boxes, diagram
    images and glossary links, as text a reader sees."""
    article = LexborHTMLParser(page.read_text(encoding="utf-8")).css_first("article")
    if article is None:
        return {}
    return {
        "executed blocks": [b.text(separator="\n").strip() for b in article.css("div.kn-exec")],
        "manifest boxes": [b.text(separator="\n").strip() for b in article.css("div.kn-manifest")],
        "diagram images": [
            f"{i.attributes.get('src')} {i.attributes.get('alt')}"
            for i in article.css("img")
            if "assets/diagrams/" in (i.attributes.get("src") or "")
        ],
        "glossary links": [a.attributes.get("href") or "" for a in article.css("a.kn-glossary")],
    }


def test_the_comparison_names_each_kind_of_difference(tmp_path: Path) -> None:
    page = (
        '<article><div class="kn-exec">kubectl version</div><a class="kn-glossary" href="g/#pod">Pod</a>'
        '<img src="../assets/diagrams/x.svg" alt="x"></article>'
    )
    for name, html in (("one", page), ("two", page.replace("version", "version --client"))):
        (tmp_path / name / "a").mkdir(parents=True)
        (tmp_path / name / "a" / "index.html").write_text(html)
        (tmp_path / name / "examples").mkdir()
        (tmp_path / name / "examples" / "e.yaml").write_text(name)
    (tmp_path / "two" / "b").mkdir()
    (tmp_path / "two" / "b" / "index.html").write_text("<article></article>")
    assert differences(tmp_path / "one", tmp_path / "two") == [
        "page only in the Zensical site: b/index.html",
        "examples file differs: e.yaml",
        "a/index.html: executed blocks differ: MkDocs ['kubectl version'] / "
        "Zensical ['kubectl version --client']",
    ]
