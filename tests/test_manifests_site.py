"""Every manifest the site shows is valid, and the build proves it: one test per snippet file and per
manifest block in docs/, the include rendering, the verdict cache, and the strict build failing on
an invalid manifest in a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, BuildResult, run_build
from kubenotes.manifests import Source, validate_sources
from kubenotes.manifests.findings import ObjectResult
from kubenotes.manifests.site import SiteManifests, render_manifest
from kubenotes.manifests.sources import markdown_blocks
from kubenotes.manifests.verdicts import VerdictCache
from kubenotes.manifests.versions import supported_versions

SNIPPETS = sorted(p for p in (ROOT / "snippets").rglob("*") if p.suffix in (".yaml", ".yml"))
DOC_BLOCKS = [block for page in sorted((ROOT / "docs").rglob("*.md"))
              for block in markdown_blocks(page.read_text(encoding="utf-8"),
                                           page.relative_to(ROOT).as_posix())]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteManifests:
    """The real site's snippets (and the CRDs they define), with a throwaway verdict cache."""
    return SiteManifests(ROOT, VerdictCache(tmp_path_factory.mktemp("verdicts")))


def assert_valid_everywhere(results: list[ObjectResult]) -> None:
    supported = supported_versions()
    assert results, "no Kubernetes objects found"
    for result in results:
        if result.status == "skipped":
            continue
        problems = [f.format() for f in result.findings]
        assert result.status == "valid" and not problems, problems
        assert result.valid_versions == (supported[0], supported[-1]), (result.object, result.valid_versions)


@pytest.mark.parametrize("path", SNIPPETS, ids=[p.relative_to(ROOT).as_posix() for p in SNIPPETS])
def test_snippet_is_valid_on_every_supported_version(path: Path, site: SiteManifests) -> None:
    source = Source(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert_valid_everywhere(site.results(source))


@pytest.mark.parametrize("block", DOC_BLOCKS, ids=[f"{b.origin}:{b.first_line}" for b in DOC_BLOCKS])
def test_page_manifest_block_is_valid_on_every_supported_version(block: Source, site: SiteManifests) -> None:
    assert_valid_everywhere(site.results(block))


def test_warm_cache_does_not_revalidate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "tests/manifests/good/int-or-string-ports.yaml").read_text(encoding="utf-8")
    cold = SiteManifests(ROOT, VerdictCache(tmp_path))
    first = cold.results(Source(text, "x.yaml"))
    warm = SiteManifests(ROOT, VerdictCache(tmp_path))

    def must_not_run(*args, **kwargs):
        raise AssertionError("validated again although the content did not change")

    monkeypatch.setattr("kubenotes.manifests.site.validate_sources", must_not_run)
    assert warm.results(Source(text, "x.yaml")) == first
    assert (warm.cache.hits, warm.cache.misses) == (1, 0)
    with pytest.raises(AssertionError, match="validated again"):
        warm.results(Source(text.replace("name: api", "name: api2"), "x.yaml"))
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_include_renders_title_download_links_and_versions() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"
    source = Source(text, "snippets/configuration/c.yaml")
    results = validate_sources([source], matrix=supported_versions()).results
    markdown = render_manifest("configuration/c.yaml", text, results, "configuration/page.md")
    assert '```yaml title="c.yaml"\n' + text + "```" in markdown
    assert "(../examples/configuration/c.yaml)" in markdown
    assert "(../examples/configuration.yaml)" in markdown
    assert "Validated on Kubernetes 1.35\u20131.37" in markdown


def test_include_of_a_missing_snippet_names_page_and_line(site: SiteManifests) -> None:
    page = "Intro\n\n<!-- kn:manifest workloads/no-such-file.yaml -->\n"
    _, problems = site.render_includes(page, "docs/p.md", "p.md")
    assert [p.format()[:32] for p in problems] == ["docs/p.md:3:1: -: kn:manifest: n"]
    assert "relative to snippets/" in problems[0].message


def test_combined_folder_file_holds_only_applicable_objects(site: SiteManifests) -> None:
    published = site.published_examples()
    for path in SNIPPETS:
        relative = path.relative_to(ROOT / "snippets").as_posix()
        assert published[f"examples/{relative}"] == path.read_text(encoding="utf-8")
    folders = {p.relative_to(ROOT / "snippets").parts[0] for p in SNIPPETS if p.parent != ROOT / "snippets"}
    for folder in folders:
        combined = published[f"examples/{folder}.yaml"]
        report = validate_sources([Source(combined, f"examples/{folder}.yaml")], crds=site.crds)
        assert report.ok and report.count("skipped") == 0, report.summary()


@pytest.mark.build
def test_built_pages_show_download_link_and_validated_versions(built_site: BuildResult) -> None:
    pages = [p for p in built_site.site_dir.rglob("*.html") if 'class="kn-manifest"' in p.read_text("utf-8")]
    assert pages, "no page includes a manifest"
    html = pages[0].read_text(encoding="utf-8")
    assert 'class="filename"' in html and "Validated on Kubernetes 1.35\u20131.37" in html
    for snippet in SNIPPETS:
        relative = snippet.relative_to(ROOT / "snippets").as_posix()
        assert (built_site.site_dir / "examples" / relative).read_bytes() == snippet.read_bytes()


@pytest.mark.build
def test_strict_build_fails_on_invalid_manifest_in_a_page(site_copy: Path) -> None:
    page = site_copy / "docs" / "index.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    bad_block = ["", "```yaml", "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web",
                 "spec:", "  replica: 3"]
    page.write_text("\n".join([*lines, *bad_block, "```", ""]), encoding="utf-8")
    result = run_build(site_copy, site_copy / "site")
    assert result.returncode != 0
    expected_line = len(lines) + 8
    assert (f"docs/index.md:{expected_line}:3: Deployment/web: spec.replica: unknown field "
            '— did you mean "replicas"?') in result.log, result.log[-3000:]
