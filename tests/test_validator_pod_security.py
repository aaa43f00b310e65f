"""Pod Security levels: held to the upstream conformance fixtures, to our own catalog, and shown by the CLI.

The upstream fixtures (k8s.io/pod-security-admission ``test/testdata/{baseline,restricted}/vX.Y/
{pass,fail}``) are read from a fetched git directory when it is on this machine; they are not copied
into the repository. Our catalog (tests/manifests/pod-security/, one case per check, each saying why)
always runs, so every check is exercised in CI.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kubenotes.manifests import validate_paths
from kubenotes.manifests.findings import ObjectResult
from kubenotes.manifests.loader import load_documents
from kubenotes.manifests.podsecurity import LEVELS, evaluate
from kubenotes.manifests.versions import bundled_versions

CATALOG = Path(__file__).parent / "manifests" / "pod-security"
CASES = sorted(CATALOG.glob("*.yaml"))
UPSTREAM_GIT = Path("/work/.mirror/kubernetes+pod-security-admission/repo")
KUBENOTES = Path(sys.executable).parent / "kubenotes"


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={UPSTREAM_GIT}", *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def _read_blobs(paths: list[str]) -> dict[str, str]:
    """The text of each ``HEAD:path``, read by one ``git cat-file --batch`` (not a process per file)."""
    request = "".join(f"HEAD:{path}\n" for path in paths).encode()
    output = subprocess.run(
        ["git", f"--git-dir={UPSTREAM_GIT}", "cat-file", "--batch"],
        input=request,
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    blobs, offset = {}, 0
    for path in paths:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        blobs[path] = output[header_end + 1 : header_end + 1 + size].decode()
        offset = header_end + 1 + size + 1
    return blobs


def _upstream_fixtures() -> list[str]:
    """``test/testdata/<level>/v1.X/<pass|fail>/<name>.yaml`` for every bundled Kubernetes version."""
    if not UPSTREAM_GIT.is_dir():
        return []
    wanted = {f"v{version}" for version in bundled_versions()}
    return [
        path
        for path in _git("ls-tree", "-r", "--name-only", "HEAD", "test/testdata").split()
        if len(parts := path.split("/")) == 6 and parts[3] in wanted
    ]


UPSTREAM = _upstream_fixtures()


@pytest.mark.skipif(
    not UPSTREAM,
    reason=f"pod-security-admission fixtures not fetched ({UPSTREAM_GIT} "
    "missing): fetch github:kubernetes/pod-security-admission to run this check",
)
def test_every_upstream_fixture_agrees() -> None:
    """Every ``fail`` fixture is below its level, every ``pass`` fixture meets it, on its own version."""
    disagreements, seen = [], set()
    for path, text in _read_blobs(UPSTREAM).items():
        _, _, level, version, outcome, _ = path.split("/")
        (document,) = load_documents(text)
        result = evaluate(document.data, version.removeprefix("v"))
        assert result is not None, path
        seen.add(version)
        if result.meets(level) != (outcome == "pass"):
            failed = [v.check for v in result.failures(level)]
            disagreements.append(f"{path}: got {result.level}, failed {failed}")
    assert not disagreements, "\n".join(disagreements)
    assert "v1.37" in seen
    assert sum("/v1.37/" in path for path in UPSTREAM) == 148, "the v1.37 set has 148 fixtures"


def _expected(path: Path) -> tuple[str, list[str]]:
    text = path.read_text(encoding="utf-8")
    level = re.search(r"^# level: (\w+)$", text, re.MULTILINE)
    fails = re.search(r"^# fails: (.+)$", text, re.MULTILINE)
    assert level, f"{path.name}: say '# level: LEVEL' (and '# fails: check, ...' when below restricted)"
    return level[1], sorted(name.strip() for name in fails[1].split(",")) if fails else []


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_catalog_case_has_its_level_and_failing_checks(path: Path) -> None:
    level, fails = _expected(path)
    (document,) = load_documents(path.read_text(encoding="utf-8"))
    result = evaluate(document.data, "1.37")
    assert result is not None
    assert result.level == level
    stricter = LEVELS[LEVELS.index(level) + 1] if level != "restricted" else None
    assert sorted(v.check for v in result.failures(stricter)) == fails if stricter else not result.restricted


def test_catalog_covers_every_check() -> None:
    from kubenotes.manifests.podsecurity import BASELINE, RESTRICTED

    named = {name for path in CASES for name in _expected(path)[1]}
    assert named == {check.__name__ for check in (*BASELINE, *RESTRICTED)}


def test_checks_follow_the_target_version() -> None:
    """The policy changes between releases: a sysctl allowed from 1.37, probe hosts checked from 1.34,
    user-namespace relaxations from 1.35."""

    def pod(spec: dict) -> dict:
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "i:1"}], **spec},
        }

    sysctl = pod({"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_notsent_lowat", "value": "1"}]}})
    assert [evaluate(sysctl, v).level for v in ("1.36", "1.37")] == ["privileged", "baseline"]
    probe = pod(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "i:1",
                    "readinessProbe": {"tcpSocket": {"host": "10.0.0.1", "port": 80}},
                }
            ]
        }
    )
    assert [evaluate(probe, v).level for v in ("1.33", "1.34")] == ["baseline", "privileged"]
    unmasked = pod(
        {
            "hostUsers": False,
            "containers": [{"name": "c", "image": "i:1", "securityContext": {"procMount": "Unmasked"}}],
        }
    )
    assert [evaluate(unmasked, v).level for v in ("1.34", "1.35")] == ["privileged", "baseline"]


def test_field_paths_point_into_the_workload_template() -> None:
    (document,) = load_documents((CATALOG / "baseline-deployment.yaml").read_text(encoding="utf-8"))
    result = evaluate(document.data, "1.37")
    fields = {v.check: v.to_dict()["fields"] for v in result.restricted}
    assert fields["runAsNonRoot"][0] == "spec.template.spec.securityContext.runAsNonRoot"
    assert fields["allowPrivilegeEscalation"] == [
        "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation"
    ]
    assert evaluate({"kind": "Service", "spec": {}}, "1.37") is None


def test_object_result_holds_the_level_and_survives_the_verdict_cache() -> None:
    report = validate_paths([CATALOG / "baseline-deployment.yaml", CATALOG / "restricted-cronjob.yaml"])
    deployment, cronjob = report.results
    assert (deployment.pod_security.level, cronjob.pod_security.level) == ("baseline", "restricted")
    again = ObjectResult.from_dict(json.loads(json.dumps(deployment.to_dict())))
    assert again.pod_security.level == "baseline"
    assert again == deployment


def test_pod_security_option_fails_objects_below_the_level_naming_check_and_line() -> None:
    case = CATALOG / "baseline-run-as-root-allowed.yaml"
    relaxed = subprocess.run(
        [str(KUBENOTES), "validate", "--pod-security", "baseline", str(case)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert relaxed.returncode == 0, relaxed.stdout
    strict = subprocess.run(
        [str(KUBENOTES), "validate", "--pod-security", "restricted", str(case)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert strict.returncode == 1
    line = next(n for n, text in enumerate(case.read_text().splitlines(), 1) if text == "  securityContext:")
    assert (
        f"{case.name}:{line}:3: Pod/may-be-root: spec.securityContext.runAsNonRoot: Pod Security "
        'restricted: runAsNonRoot: the pod or container "app" must set securityContext.runAsNonRoot=true'
    ) in strict.stdout
    assert strict.stdout.strip().endswith("0 valid, 1 invalid, 0 errors")


def test_text_output_names_the_level_of_workloads_below_restricted() -> None:
    proc = subprocess.run(
        [str(KUBENOTES), "validate", str(CATALOG)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout
    assert (
        "baseline-nfs-volume.yaml:4:1: Pod/nfs: pod security: baseline (restricted fails: "
        "restrictedVolumes at spec.volumes[0].nfs)"
    ) in proc.stdout
    assert "restricted-pod.yaml" not in proc.stdout, "restricted objects print nothing unless -v"
    assert "Pod Security (Kubernetes 1.37): 5 restricted, 8 baseline, 12 privileged" in proc.stdout
