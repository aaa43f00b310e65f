"""Agreement with kubeconform on real manifests: every document accepted or rejected alike.

Runs when ``../shared`` holds the peer (kubeconform, strict, the same 1.37 schemas) and the corpus
(kubernetes/examples, microservices-demo); skipped with the reason otherwise (a user's machine).
Both tools really run; only their verdicts are compared, messages are ours to improve.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PEER = SHARED / "peers" / "kubeconform" / "kc"
CORPUS = SHARED / "corpus" / "manifests"
KUBENOTES = Path(sys.executable).parent / "kubenotes"

pytestmark = pytest.mark.skipif(
    not (PEER.exists() and CORPUS.is_dir()),
    reason=f"no kubeconform peer or corpus in {SHARED} (a user's machine)",
)


def _verdicts_kubeconform() -> Counter[tuple[str, str, bool]]:
    proc = subprocess.run(
        [str(PEER), "-strict", "-verbose", "-output", "json", str(CORPUS)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).parents[1],
    )
    resources = json.loads(proc.stdout)["resources"]
    return Counter(
        (
            Path(r["filename"]).name,
            f"{r['kind']}/{r['name']}" if r["name"] else r["kind"],
            r["status"] == "statusValid",
        )
        for r in resources
        if r["kind"]
    )


def _verdicts_ours() -> Counter[tuple[str, str, bool]]:
    proc = subprocess.run(
        [str(KUBENOTES), "validate", "--format", "json", str(CORPUS)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, "the corpus holds removed APIs and duplicate keys on purpose"
    return Counter(
        (Path(r["path"]).name, r["object"], r["status"] == "valid")
        for r in json.loads(proc.stdout)["objects"]
    )


def test_every_document_gets_kubeconforms_verdict() -> None:
    theirs, ours = _verdicts_kubeconform(), _verdicts_ours()
    assert sum(ours.values()) >= 430
    assert theirs - ours == Counter(), "kubeconform's verdicts we do not share"
    assert ours - theirs == Counter(), "our verdicts kubeconform does not share"
    assert 0 < sum(n for (_, _, valid), n in ours.items() if not valid) < sum(ours.values())
