"""Every workload example on the site meets the Pod Security ``restricted`` level, on every supported
Kubernetes version, unless it is named in ``BELOW_RESTRICTED`` with the reason its page gives.

A new snippet below restricted fails here until someone either fixes it or decides it may stay below,
adds it to the list and explains it next to its box with a link to the section on the Pod security page
that explains the level shown on examples. An entry that no longer needs to be there fails too, so the
list cannot go stale.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from kubenotes.manifests.engine import validate_sources
from kubenotes.manifests.loader import format_path
from kubenotes.manifests.podsecurity import TEMPLATE_PATHS, PodSecurity
from kubenotes.manifests.sources import Source
from kubenotes.manifests.versions import supported_versions

SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
LEVEL_SECTION = "security/pod-security.md#level-on-examples"

# snippet (relative to snippets/) -> why it cannot meet restricted; its page must say so next to the box
BELOW_RESTRICTED = {
    "workloads/daemonset-node-exporter.yaml": (
        "a node agent: node-exporter reads the node's /proc and /sys through hostPath volumes, which "
        "baseline and restricted forbid"
    ),
}


def workload_snippets() -> list[str]:
    """Snippets holding at least one Pod or Pod template (the objects that get a Pod Security level)."""
    found = []
    for path in sorted(SNIPPETS.rglob("*.y*ml")):
        documents = yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if any(isinstance(doc, dict) and doc.get("kind") in TEMPLATE_PATHS for doc in documents):
            found.append(path.relative_to(SNIPPETS).as_posix())
    return found


WORKLOADS = workload_snippets()


def levels(snippet: str, version: str) -> list[tuple[str, PodSecurity]]:
    """Each workload object in the snippet with its Pod Security verdict for ``version``."""
    text = (SNIPPETS / snippet).read_text(encoding="utf-8")
    report = validate_sources([Source(text, f"snippets/{snippet}")], version=version)
    assert report.ok, report.summary()
    return [(r.object, r.pod_security) for r in report.results if r.pod_security is not None]


def below_restricted(verdicts: list[tuple[str, PodSecurity]]) -> list[str]:
    """``Kind/name: level (check at field, ...)`` for each object below restricted."""
    return [
        f"{obj}: {security.level} ("
        + ", ".join(f"{v.check} at {', '.join(map(format_path, v.fields))}" for v in security.restricted)
        + ")"
        for obj, security in verdicts
        if not security.meets("restricted")
    ]


def test_the_scan_finds_the_sites_workloads() -> None:
    assert len(WORKLOADS) >= 30, WORKLOADS
    assert set(BELOW_RESTRICTED) <= set(WORKLOADS), "an exception names a snippet that is not a workload"


@pytest.mark.parametrize("snippet", WORKLOADS)
def test_workload_snippet_meets_restricted_unless_named(snippet: str) -> None:
    for version in supported_versions():
        verdicts = levels(snippet, version)
        assert verdicts, f"{snippet}: no Pod Security level computed"
        below = below_restricted(verdicts)
        if snippet in BELOW_RESTRICTED:
            assert below, (
                f"{snippet} meets restricted on Kubernetes {version}: remove it from BELOW_RESTRICTED "
                "and the explanation from its page"
            )
        else:
            assert not below, (
                f"{snippet} is below Pod Security restricted on Kubernetes {version}: {'; '.join(below)} "
                "— fix it (see security/pod-security.md), or add it to BELOW_RESTRICTED with the reason "
                "and explain it on its page"
            )


def pages_including(snippet: str) -> list[tuple[Path, int, list[str]]]:
    """(page, marker line index, page lines) for every page that shows the snippet's box."""
    marker = re.compile(rf"^<!-- kn:manifest {re.escape(snippet)} -->$")
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        found += [(page, i, lines) for i, line in enumerate(lines) if marker.match(line)]
    return found


def next_to(lines: list[str], index: int, reach: int = 10) -> str:
    """The text around line ``index``: up to ``reach`` lines either side, not crossing a heading."""
    start = index
    while start > 0 and index - start < reach and not lines[start - 1].startswith("#"):
        start -= 1
    end = index + 1
    while end < len(lines) and end - index <= reach and not lines[end].startswith("#"):
        end += 1
    return "\n".join(lines[start:end])


@pytest.mark.parametrize("snippet", sorted(BELOW_RESTRICTED))
def test_each_exception_is_explained_next_to_its_box(snippet: str) -> None:
    pages = pages_including(snippet)
    assert pages, f"no page shows {snippet}"
    for page, index, lines in pages:
        around = next_to(lines, index)
        assert LEVEL_SECTION in around, (
            f"{page.relative_to(ROOT)}:{index + 1}: say next to the box why {snippet} is below restricted "
            f"({BELOW_RESTRICTED[snippet]}) and link to {LEVEL_SECTION}"
        )
