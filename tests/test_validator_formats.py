"""``--format github`` (workflow annotations), ``junit`` (XML) and ``json``, from the real console script."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

CATALOG = Path(__file__).parent / "manifests"
KUBENOTES = Path(sys.executable).parent / "kubenotes"
BAD = CATALOG / "bad" / "unknown-field-did-you-mean.yaml"
GOOD = CATALOG / "good" / "int-or-string-ports.yaml"


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KUBENOTES), "validate", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=CATALOG.parents[1],
    )


def test_github_format_annotates_the_line_of_each_problem() -> None:
    proc = validate("--format", "github", str(BAD.relative_to(CATALOG.parents[1])), str(GOOD))
    assert proc.returncode == 1
    errors = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    header, _, message = errors[0][len("::error ") :].partition("::")
    properties = dict(item.split("=", 1) for item in header.split(","))
    assert properties["file"] == "tests/manifests/bad/unknown-field-did-you-mean.yaml"
    assert properties["line"].isdigit() and properties["col"].isdigit()
    assert "did you mean" in message
    notices = [line for line in proc.stdout.splitlines() if line.startswith("::notice ")]
    expected = "title=Pod Security%3A baseline::Deployment/api: baseline (restricted fails"
    assert any(expected in notice for notice in notices)
    assert proc.stdout.strip().splitlines()[-1].endswith("1 invalid, 0 errors")


def test_github_format_escapes_what_would_break_a_command() -> None:
    from kubenotes.manifests.output.github import command

    line = command("error", {"file": "a,b:c.yaml", "line": "3"}, "50% done\nnext")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3::50%25 done%0Anext"


def test_junit_format_is_xml_with_a_case_per_object(tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x00\x01\x02 not yaml")
    kustomize = CATALOG / "good" / "kustomize"
    proc = validate("--format", "junit", str(BAD), str(GOOD), str(kustomize), str(binary))
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    suites = {Path(suite.get("name")).name: suite for suite in root.iter("testsuite")}
    assert set(suites) == {BAD.name, GOOD.name, "kustomization.yaml", "binary.yaml"}
    assert suites[BAD.name].get("failures") == "1"
    assert suites["binary.yaml"].get("errors") == "1"
    assert suites["kustomization.yaml"].get("skipped") == "1"
    cases = {case.get("name"): case for case in suites[GOOD.name].iter("testcase")}
    assert set(cases) == {"Service/api", "Deployment/api"}
    level = cases["Deployment/api"].find("properties/property[@name='pod-security']")
    assert level is not None and level.get("value") == "baseline"
    note = cases["Deployment/api"].find("properties/property[@name='pod-security-note']")
    assert note is not None
    assert "runAsNonRoot at spec.template.spec.securityContext.runAsNonRoot" in note.get("value")
    failure = suites[BAD.name].find("testcase/failure")
    assert failure is not None and "did you mean" in failure.get("message")


def test_json_format_streams_one_document() -> None:
    proc = validate("--format", "json", str(CATALOG / "pod-security"))
    document = json.loads(proc.stdout)
    assert document["summary"]["pod_security"] == {"restricted": 5, "baseline": 8, "privileged": 12}
    assert len(document["objects"]) == 25
