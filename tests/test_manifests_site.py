"""Every manifest the site shows is valid, and the build proves it: one test per snippet file and per
manifest block in docs/, the include rendering, the verdict cache, and the strict build failing on
an invalid manifest in a page.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuildResult, run_build
from kubenotes.manifests.engine import validate_sources
from kubenotes.manifests.findings import ObjectResult
from kubenotes.manifests.site import ManifestsCapability, render_manifest
from kubenotes.manifests.sources import Source, markdown_blocks
from kubenotes.manifests.versions import supported_versions
from sites import Converted, convert, make_site, start_build

# The range every manifest box promises, from the project's own version settings.
VALIDATED_ON = f"Validated on Kubernetes {supported_versions()[0]}\u2013{supported_versions()[-1]}"
SNIPPETS = sorted(p for p in (ROOT / "snippets").rglob("*") if p.suffix in (".yaml", ".yml"))
DOC_BLOCKS = [
    block
    for page in sorted((ROOT / "docs").rglob("*.md"))
    for block in markdown_blocks(page.read_text(encoding="utf-8"), page.relative_to(ROOT).as_posix())
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> ManifestsCapability:
    """The real site's snippets (and the CRDs they define), prepared, with a throwaway verdict cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path_factory.mktemp("verdicts")))
        build, _ = start_build(ROOT)
    manifests: ManifestsCapability = build.capability("manifests")
    assert manifests.prepare() == []
    return manifests


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
def test_snippet_is_valid_on_every_supported_version(path: Path, site: ManifestsCapability) -> None:
    source = Source(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert_valid_everywhere(site.results(source))


@pytest.mark.parametrize("block", DOC_BLOCKS, ids=[f"{b.origin}:{b.first_line}" for b in DOC_BLOCKS])
def test_page_manifest_block_is_valid_on_every_supported_version(
    block: Source, site: ManifestsCapability
) -> None:
    assert_valid_everywhere(site.results(block))


def test_warm_cache_does_not_revalidate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    text = (ROOT / "tests/manifests/good/int-or-string-ports.yaml").read_text(encoding="utf-8")
    site = make_site(tmp_path / "site", {"index.md": "# Home\n"})
    cold, _ = start_build(site)
    first = cold.capability("manifests").results(Source(text, "x.yaml"))
    warm, _ = start_build(site)

    def must_not_run(*args, **kwargs):
        raise AssertionError("validated again although the content did not change")

    monkeypatch.setattr("kubenotes.manifests.engine.validate_sources", must_not_run)
    assert warm.capability("manifests").results(Source(text, "x.yaml")) == first
    with pytest.raises(AssertionError, match="validated again"):
        warm.capability("manifests").results(Source(text.replace("name: api", "name: api2"), "x.yaml"))
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def include_one_snippet(tmp_path: Path, monkeypatch, snippet: str, text: str, page: str) -> Converted:
    """``page`` (which includes ``snippet``) converted in a one-page site holding that snippet, with no
    problem reported."""
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path / "site", {"index.md": "# Home\n"}, snippets={snippet: text})
    converted = convert(site, page, f"{posixpath.dirname(snippet)}/page.md")
    assert converted.messages == []
    return converted


def test_include_renders_title_download_links_and_versions(tmp_path: Path, monkeypatch) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}  # *not* Markdown\n"
    page = "Intro\n\n<!-- kn:manifest configuration/c.yaml -->\n\nAfter.\n"
    converted = include_one_snippet(tmp_path, monkeypatch, "configuration/c.yaml", text, page)
    box = LexborHTMLParser(converted.html).css_first("div.kn-manifest")
    assert box is not None, converted.html
    assert box.css_first(".highlight .filename").text() == "c.yaml"
    code = box.css_first(".highlight pre code")
    assert code.text() == text  # the YAML exactly, untouched by any Markdown stage
    assert code.css_first("span.nt").text() == "apiVersion"  # highlighted as the site's fences are
    hrefs = [a.attributes["href"] for a in box.css("a")]
    assert hrefs == ["../examples/configuration/c.yaml", "../examples/configuration.yaml"]
    assert VALIDATED_ON in box.text()
    assert "kn-raw-html" not in converted.html


def test_include_inside_an_admonition_is_highlighted_in_place(tmp_path: Path, monkeypatch) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    page = '!!! example "A ConfigMap"\n\n    <!-- kn:manifest a/c.yaml -->\n\nAfter.\n'
    converted = include_one_snippet(tmp_path, monkeypatch, "a/c.yaml", text, page)
    box = LexborHTMLParser(converted.html).css_first(".admonition .kn-manifest .highlight pre code")
    assert box is not None and box.text() == text, converted.html
    assert "kn-raw-html" not in converted.html


def test_include_of_a_missing_snippet_names_page_and_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path / "site", {"index.md": "# Home\n"})
    page = "Intro\n\n<!-- kn:manifest workloads/no-such-file.yaml -->\n"
    assert convert(site, page, "p.md").messages == [
        "docs/p.md:3:1: -: kn:manifest: no snippet 'workloads/no-such-file.yaml' — "
        "the path is relative to the "
        "snippets folder (e.g. workloads/web-deployment.yaml)"
    ]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "x <!-- kn:manifest a.yaml --> y\n",
            "docs/index.md:1: -: kn:manifest: kn:manifest must be on a line of its own",
        ),
        ("\n\n<!-- kn:manfest a.yaml -->\n", "docs/index.md:3: -: kn:manfest: unknown marker kn:manfest"),
    ],
)
def test_marker_mistakes_are_named_at_the_authors_line(
    tmp_path: Path, monkeypatch, page: str, expected: str
) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(
        tmp_path / "site",
        {"index.md": page},
        snippets={"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"},
    )
    [message] = convert(site, page).messages
    assert message.startswith(expected)


def test_markers_inside_code_are_shown_not_expanded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    page = "```markdown\n<!-- kn:manifest a.yaml -->\n```\n\nWrite `<!-- kn:nothing -->` on its own line.\n"
    site = make_site(tmp_path / "site", {"index.md": page})
    converted = convert(site, page)
    assert converted.messages == [] and converted.html.count("kn:") == 2


def test_an_invalid_snippet_no_page_includes_is_a_problem(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    bad = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old}\n"
    site = make_site(tmp_path / "site", {"index.md": "# Home\n"}, snippets={"area/old.yaml": bad})
    [message] = convert(site, "# Home\n").messages
    assert message.startswith(
        "snippets/area/old.yaml:1:1: Deployment/old: apiVersion: extensions/v1beta1 "
        "Deployment was removed in Kubernetes 1.16: use apiVersion: apps/v1"
    )


def test_an_include_inside_a_yaml_fence_is_validated(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "site" / "includes").mkdir(parents=True)
    (tmp_path / "site" / "includes" / "bad.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  replicas: '3'\n"
    )
    page = '```yaml\n--8<-- "bad.yaml"\n```\n'
    site = make_site(tmp_path / "site", {"index.md": page})
    messages = convert(site, page).messages
    expected = "includes/bad.yaml:5:13: Deployment/w: spec.replicas: wrong type"
    assert any(m.startswith(expected) for m in messages), messages


def test_a_snippet_that_is_not_utf8_is_named(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path / "site", {"index.md": "# Home\n"})
    (site / "snippets" / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert convert(site, "# Home\n").messages == [
        "snippets/latin1.yaml: not UTF-8 text (byte 9) — save the file as UTF-8"
    ]


def test_combined_folder_file_holds_only_applicable_objects(site: ManifestsCapability) -> None:
    published = {path: data.decode("utf-8") for path, data in site.published().items()}
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
    assert 'class="filename"' in html and VALIDATED_ON in html
    for snippet in SNIPPETS:
        relative = snippet.relative_to(ROOT / "snippets").as_posix()
        assert (built_site.site_dir / "examples" / relative).read_bytes() == snippet.read_bytes()


@pytest.mark.build
def test_strict_build_fails_on_invalid_manifest_in_a_page(tmp_path: Path) -> None:
    lines = ["# Home", "", "Some text."]
    bad_block = [
        "",
        "```yaml",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: web",
        "spec:",
        "  replica: 3",
    ]
    site = make_site(tmp_path, {"index.md": "\n".join([*lines, *bad_block, "```", ""])})
    result = run_build(site, site / "site", KUBENOTES_CACHE_DIR=str(tmp_path / "cache"))
    assert result.returncode != 0
    expected_line = len(lines) + 8
    assert "problem(s), listed above" in result.log
    assert (
        f"docs/index.md:{expected_line}:3: Deployment/web: spec.replica: unknown field "
        '— did you mean "replicas"?'
    ) in result.log, result.log[-3000:]


def test_a_box_names_the_pod_security_level_every_template_in_the_file_meets() -> None:
    restricted = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: r}\nspec:\n  securityContext:\n"
        "    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n"
        "    - name: c\n      image: registry.k8s.io/pause:3.10\n      securityContext:\n"
        "        allowPrivilegeEscalation: false\n        capabilities: {drop: [ALL]}\n"
    )
    baseline = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers:\n    - {name: c, image: x:1}\n"
    )
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"

    def box(text: str) -> str:
        results = validate_sources([Source(text, "snippets/a/x.yaml")], matrix=supported_versions()).results
        return render_manifest("a/x.yaml", text, results, "a/page.md")

    assert "Pod Security: **restricted**" in box(restricted)
    assert "Pod Security: **baseline**" in box(f"{restricted}---\n{baseline}")
    assert "Pod Security" not in box(config)
