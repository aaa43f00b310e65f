"""The validation engine on the bad and good catalogs in tests/manifests/, plus its building blocks.

Real schemas (kubernetes-validate's bundled JSON), real libyaml parsing, no doubles.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from kubenotes.manifests import Finding, Source, validate_paths, validate_sources, validate_text
from kubenotes.manifests.loader import YamlSyntaxError, load_documents
from kubenotes.manifests.registry import schemas
from kubenotes.manifests.removed import REMOVED
from kubenotes.manifests.sources import markdown_blocks
from kubenotes.manifests.versions import (
    TARGET_VERSION,
    bundled_versions,
    normalize,
    sort_key,
    supported_versions,
)
from kubenotes.project import tool_path

CATALOG = Path(__file__).parent / "manifests"
BAD = sorted((CATALOG / "bad").glob("*.yaml"))
GOOD = sorted(p for p in (CATALOG / "good").rglob("*.yaml") if p.name != "kustomization.yaml")
EXPECT = re.compile(r"^# expect: (?P<line>\d+): (?P<fragment>.+)$", re.MULTILINE)


def expectation(path: Path) -> tuple[int, str]:
    match = EXPECT.search(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: declare '# expect: LINE: message fragment' in a leading comment"
    return int(match["line"]), match["fragment"]


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_bad_manifest_is_reported_at_its_line(path: Path) -> None:
    line, fragment = expectation(path)
    report = validate_paths([path])
    assert not report.ok
    errors = [f for f in report.findings if f.severity == "error"]
    matching = [f for f in errors if fragment in f.format()]
    assert matching, f"no error containing {fragment!r}; got:\n" + "\n".join(f.format() for f in errors)
    assert matching[0].line == line, matching[0].format()


@pytest.fixture(scope="module")
def good_report():
    """The whole good catalog in one run, so a custom resource can find its CRD in another file."""
    return validate_paths([CATALOG / "good"], matrix=supported_versions())


@pytest.mark.parametrize("path", GOOD, ids=[p.name for p in GOOD])
def test_tricky_valid_manifest_passes(path: Path, good_report) -> None:
    results = [r for r in good_report.results if Path(r.path).resolve() == path.resolve()]
    assert results, f"{path.name}: no objects found"
    for result in results:
        assert result.status == "valid", [f.format() for f in result.findings]
        assert not result.findings, [f.format() for f in result.findings]
        assert result.valid_versions == (supported_versions()[0], supported_versions()[-1])


def test_kustomization_is_skipped_not_valid(good_report) -> None:
    skipped = [r for r in good_report.results if r.status == "skipped"]
    assert [Path(r.path).name for r in skipped] == ["kustomization.yaml"]
    assert "kustomize" in skipped[0].note
    assert good_report.summary().endswith(", 1 skipped")


def test_validate_text_api_gives_formatted_findings_with_offset() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n"
        "    image: nginx\n"
    )
    findings = validate_text(text, "kubectl-output", first_line=40)
    assert findings == [
        Finding("warning", "kubectl-output", 47, 5, "Pod/p", "spec.containers[0].image", findings[0].message)
    ]
    assert findings[0].format().startswith("kubectl-output:47:5: Pod/p: spec.containers[0].image: warning: ")
    assert "has no tag" in findings[0].message


def test_latest_tag_is_a_warning_and_digest_is_fine() -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n"
        "  - {name: a, image: 'nginx:latest'}\n  containers:\n"
        "  - {name: b, image: 'registry.example.com:5000/app@sha256:" + "0" * 64 + "'}\n"
    )
    findings = validate_text(pod, "pod.yaml")
    assert [(f.severity, f.field) for f in findings] == [("warning", "spec.initContainers[0].image")]
    assert ":latest" in findings[0].message


def test_loader_keeps_dates_as_strings_and_records_positions() -> None:
    (document,) = load_documents("a:\n  when: 2024-05-01\n  hex: 0x10\n  b: [1, 2]\n")
    assert document.data == {"a": {"when": "2024-05-01", "hex": 16, "b": [1, 2]}}
    assert document.keys[("a", "hex")] == (3, 3)
    assert document.values[("a", "b", 1)] == (4, 10)


def test_loader_reports_duplicates_and_syntax_errors() -> None:
    (document,) = load_documents("a: 1\nb: 2\na: 3\n")
    assert document.duplicates == [(("a",), (3, 1), (1, 1))]
    with pytest.raises(YamlSyntaxError) as caught:
        list(load_documents("a: [1, 2\nb: 3\n"))
    assert caught.value.line >= 2


def test_removed_table_agrees_with_bundled_schemas() -> None:
    """Where the bundled schemas reach back far enough, an API is served before its removal, not after,
    and every replacement is served by the target version."""
    for (api_version, kind), removal in REMOVED.items():
        served = [v for v in bundled_versions() if schemas(v).definition_for(api_version, kind)]
        removed_in = sort_key(removal.removed_in)
        assert all(sort_key(v) < removed_in for v in served), (api_version, kind, served)
        if removed_in > sort_key(bundled_versions()[0]):  # the schemas reach back before the removal
            assert served, f"{api_version} {kind} should be in the {bundled_versions()[0]} schemas"
        if removal.replacement:
            assert schemas(TARGET_VERSION).definition_for(removal.replacement, kind), (api_version, kind)


def test_versions_cover_at_least_three_newest_minors() -> None:
    supported = supported_versions()
    assert len(supported) >= 3 and supported[-1] == TARGET_VERSION == bundled_versions()[-1]
    assert normalize("v1.36.2") == "1.36"
    with pytest.raises(ValueError, match=r"choose 1\.25 to"):
        normalize("1.20")


def test_matrix_finds_the_range_an_api_is_served() -> None:
    """flowcontrol v1beta3 FlowSchema is in the 1.26-1.31 schemas and gone from 1.32."""
    text = (
        "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\n"
        "spec:\n  priorityLevelConfiguration: {name: low}\n"
    )
    report = validate_sources([Source(text, "f.yaml")], version="1.30", matrix=bundled_versions())
    assert report.results[0].status == "valid"
    assert report.results[0].valid_versions == ("1.26", "1.31")


def test_markdown_blocks_keep_page_lines_and_skip_fragments() -> None:
    page = (
        '# Title\n\n```yaml\ncontainers:\n- name: a\n```\n\n!!! note\n\n    ```yaml title="x.yaml"\n'
        "    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n    data: {a: 1}\n    ```\n"
    )
    (block,) = markdown_blocks(page, "docs/page.md")
    assert (block.first_line, block.column_offset) == (11, 4)
    (finding,) = validate_text(block.text, block.origin, block.first_line)
    assert (finding.line, finding.field) == (14, "data.a")
    assert "expected string, got integer 1" in finding.message


KUBECTL_CREATES = [
    "create deployment web --image=nginx:1.27 --replicas=3",
    "create secret generic db --from-literal=password=s3cr3t",
    "create cronjob nightly --image=busybox:1.36 --schedule=0 2 * * *",
    "create service clusterip api --tcp=80:8080",
    "create ingress web --rule=example.com/*=web:80",
    "create job once --image=busybox:1.36",
    "create poddisruptionbudget pdb --selector=app=web --min-available=1",
]


@pytest.mark.parametrize("command", KUBECTL_CREATES, ids=[c.split(" --")[0] for c in KUBECTL_CREATES])
def test_what_real_kubectl_prints_is_valid(command: str) -> None:
    """kubectl's own client-side output (empty ``status: {}``, ``resources: {}``) must pass unchanged."""
    words = command.split(" --")
    args = [*words[0].split(), *(f"--{w}" for w in words[1:]), "--dry-run=client", "-o", "yaml"]
    kubectl = tool_path("kubectl")
    proc = subprocess.run([str(kubectl), *args], capture_output=True, text=True, check=True, timeout=60)
    assert proc.stdout.startswith("apiVersion:")
    assert validate_text(proc.stdout, f"kubectl {words[0]}") == []
