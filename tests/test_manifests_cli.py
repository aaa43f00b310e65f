"""``kubenotes validate`` as a user runs it: messages, summary line, exit codes, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kubenotes.manifests.versions import bundled_versions, supported_versions

CATALOG = Path(__file__).parent / "manifests"
BAD = sorted((CATALOG / "bad").glob("*.yaml"))
KUBENOTES = Path(sys.executable).parent / "kubenotes"


def validate(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KUBENOTES), "validate", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_bad_catalog_fails_with_exit_1_naming_every_file() -> None:
    proc = validate(str(CATALOG / "bad"))
    assert proc.returncode == 1, proc.stderr
    for path in BAD:
        assert f"{path.name}:" in proc.stdout, path.name
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.endswith("invalid, 4 errors"), summary
    assert f" objects in {len(BAD)} files: " in summary


def test_good_catalog_passes_with_exit_0_and_reports_the_skip() -> None:
    proc = validate(str(CATALOG / "good"))
    assert proc.returncode == 0, proc.stdout
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary == "13 objects in 10 files: 13 valid, 0 invalid, 0 errors, 1 skipped"
    assert "kustomization.yaml:2:1: Kustomization: -: skipped: kustomize configuration" in proc.stdout


def test_skip_kind_lets_a_users_tree_pass_without_the_crd() -> None:
    target = CATALOG / "bad" / "custom-resource-without-crd.yaml"
    assert validate(str(target)).returncode == 1
    proc = validate("--skip-kind", "Certificate", str(target))
    assert proc.returncode == 0, proc.stdout
    assert "skipped on request" in proc.stdout


def test_usage_and_io_errors_exit_2(tmp_path: Path) -> None:
    missing = validate(str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "nope.yaml: no such file or folder" in missing.stderr
    old = validate("--kubernetes-version", "1.19", str(CATALOG / "good"))
    assert old.returncode == 2 and "choose 1.25 to" in old.stderr
    (tmp_path / "latin1.yaml").write_bytes(b"kind: ConfigMap\ndata: caf\xe9\n")
    latin1 = validate(str(tmp_path / "latin1.yaml"))
    assert latin1.returncode == 1, "an unreadable file is a per-file error, not a usage error"
    assert "latin1.yaml:2: not UTF-8 text (byte 0xe9) — save the file as UTF-8" in latin1.stdout


def test_json_format_and_matrix(tmp_path: Path) -> None:
    proc = validate("--format", "json", "--matrix", str(CATALOG / "good" / "generate-name.yaml"))
    assert proc.returncode == 0
    document = json.loads(proc.stdout)
    expected = {
        "objects": 1,
        "files": 1,
        "valid": 1,
        "invalid": 0,
        "errors": 0,
        "skipped": 0,
        "pod_security": {"baseline": 1},
    }
    assert document["summary"] == expected
    (job,) = document["objects"]
    supported = supported_versions()  # the default matrix
    assert job["object"] == "Job/db-migrate-*" and job["valid_versions"] == [supported[0], supported[-1]]
    assert job["pod_security"]["level"] == "baseline"
    failed = {v["check"] for v in job["pod_security"]["restricted"]}
    assert failed >= {"runAsNonRoot", "allowPrivilegeEscalation"}


def test_older_target_version_rejects_newer_api(tmp_path: Path) -> None:
    """A kind that only newer schemas serve fails for an older --kubernetes-version."""
    manifest = tmp_path / "vap.yaml"
    manifest.write_text(
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n"
        "metadata: {name: p}\nspec:\n  validations:\n  - expression: 'true'\n",
        encoding="utf-8",
    )
    assert validate(str(manifest)).returncode == 0
    proc = validate("--kubernetes-version", "1.29", str(manifest))
    assert proc.returncode == 1
    newest = bundled_versions()[-1]
    assert f"not served by Kubernetes 1.29 (bundled schemas have it in 1.30 to {newest})" in proc.stdout


def test_default_paths_are_snippets_and_docs(project_root: Path) -> None:
    proc = validate(cwd=project_root)
    assert proc.returncode == 0, proc.stdout
    assert " 0 invalid, 0 errors" in proc.stdout.strip().splitlines()[-1]


def test_the_quick_exit_loses_no_output_on_two_cores(tmp_path: Path) -> None:
    """The console script ends without interpreter teardown: every line must still be written, the
    forked worker's included (1,500 small files make several batches, so both processes work)."""
    for n in range(1500):
        documents = [f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{n}-{k}}}\n" for k in (1, 2)]
        (tmp_path / f"file-{n:04}.yaml").write_text("---\n".join(documents), encoding="utf-8")
    proc = validate("--jobs", "2", "-v", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert sum(line.endswith(": valid") for line in lines) == 3000
    assert lines[-1] == "3000 objects in 1500 files: 3000 valid, 0 invalid, 0 errors"
