"""The site's side of validation: check every manifest a page shows, render ``kn:manifest`` includes,
and publish the snippets as downloadable files under ``examples/``.

Used by ``hooks/manifest_checks.py``; knows nothing about MkDocs (pages are paths and text).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from kubenotes.manifests.crds import CrdCatalog, is_crd
from kubenotes.manifests.engine import validate_sources
from kubenotes.manifests.findings import Finding, ObjectResult
from kubenotes.manifests.loader import YamlSyntaxError, load_documents
from kubenotes.manifests.sources import YAML_SUFFIXES, Source, markdown_blocks
from kubenotes.manifests.verdicts import VerdictCache
from kubenotes.manifests.versions import TARGET_VERSION, sort_key, supported_versions

EXAMPLES_DIR = "examples"
EN_DASH = "\u2013"
_INCLUDE = re.compile(r"^(?P<indent>[ \t]*)<!--\s*kn:manifest\s+(?P<path>\S+)\s*-->[ \t]*$")


@dataclass
class SiteManifests:
    """Validation for one site: its snippets folder, its cache, the CRDs its snippets define."""

    root: Path
    cache: VerdictCache
    snippets_dir: Path = field(init=False)
    crds: CrdCatalog = field(init=False)
    _crd_key: str = field(init=False)

    def __post_init__(self) -> None:
        self.snippets_dir = self.root / "snippets"
        self.crds = CrdCatalog()
        for file in self.snippet_files():
            try:
                documents = list(load_documents(file.read_text(encoding="utf-8")))
            except YamlSyntaxError:
                continue  # reported when a page includes the file or `kubenotes validate` runs
            for document in documents:
                if isinstance(document.data, dict) and is_crd(document.data):
                    self.crds.add(document.data)
        in_scope = sorted(["/".join(gvk), schema] for gvk, schema in self.crds.schemas.items())
        self._crd_key = json.dumps(in_scope, sort_keys=True)

    def snippet_files(self) -> list[Path]:
        if not self.snippets_dir.is_dir():
            return []
        return sorted(p for p in self.snippets_dir.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())

    def results(self, source: Source) -> list[ObjectResult]:
        """Verdicts for one source on every supported version (cached by content)."""
        versions = supported_versions()
        key = self.cache.key(source.text, source.origin, str(source.first_line), str(source.column_offset),
                             TARGET_VERSION, ",".join(versions), self._crd_key)

        def compute() -> list[ObjectResult]:
            catalog = CrdCatalog(schemas=dict(self.crds.schemas))
            return validate_sources([source], matrix=versions, crds=catalog).results

        return self.cache.get_or_compute(key, compute)

    def page_findings(self, markdown: str, page_path: str) -> list[Finding]:
        """Problems in the page's inline manifest blocks, on any supported version."""
        return [finding for block in markdown_blocks(markdown, page_path)
                for result in self.results(block) for finding in _all_problems(result)]

    def render_includes(self, markdown: str, page_path: str, page_uri: str) -> tuple[str, list[Finding]]:
        """Expand every ``<!-- kn:manifest PATH -->`` line; return the page and the problems found."""
        problems: list[Finding] = []
        lines = markdown.split("\n")
        for number, line in enumerate(lines, start=1):
            match = _INCLUDE.match(line)
            if match:
                rendered, found = self._render_one(match["path"], page_path, number, page_uri)
                problems.extend(found)
                lines[number - 1] = "\n".join(match["indent"] + part if part else part
                                              for part in rendered.split("\n"))
        return "\n".join(lines), problems

    def _render_one(self, relative: str, page_path: str, line: int, page_uri: str
                    ) -> tuple[str, list[Finding]]:
        file = (self.snippets_dir / relative).resolve()
        if not file.is_relative_to(self.snippets_dir.resolve()) or not file.is_file():
            missing = Finding("error", page_path, line, 1, "", "kn:manifest",
                              f"no snippet {relative!r}: the path is relative to snippets/ "
                              f"(e.g. workloads/web-deployment.yaml)")
            return "", [missing]
        text = file.read_text(encoding="utf-8")
        results = self.results(Source(text, f"snippets/{relative}"))
        problems = [_at_include(finding, page_path, line) for result in results
                    for finding in _all_problems(result)]
        return render_manifest(relative, text, results, page_uri), problems

    def published_examples(self) -> dict[str, str]:
        """Site path -> text: every snippet under examples/, plus one file per top-level folder."""
        published: dict[str, str] = {}
        folders: dict[str, list[str]] = {}
        for file in self.snippet_files():
            relative = file.relative_to(self.snippets_dir).as_posix()
            text = file.read_text(encoding="utf-8")
            published[f"{EXAMPLES_DIR}/{relative}"] = text
            if "/" in relative and self._applicable(text, relative):
                folders.setdefault(relative.split("/", 1)[0], []).append(relative)
        for folder, members in folders.items():
            published[f"{EXAMPLES_DIR}/{folder}.yaml"] = combined_file(
                folder, [(member, published[f"{EXAMPLES_DIR}/{member}"]) for member in members])
        return published

    def _applicable(self, text: str, relative: str) -> bool:
        """Whether ``kubectl apply -f`` could take the file: only valid objects, nothing skipped."""
        results = self.results(Source(text, f"snippets/{relative}"))
        return bool(results) and all(result.status == "valid" for result in results)


def render_manifest(relative: str, text: str, results: list[ObjectResult], page_uri: str) -> str:
    """Markdown for one included snippet: titled YAML block, download links, validated versions."""
    name = posixpath.basename(relative)
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    here = posixpath.dirname(page_uri)
    download = posixpath.relpath(f"{EXAMPLES_DIR}/{relative}", here or ".")
    links = [f'[:material-download: Download `{name}`]({download}){{ download="{name}" }}']
    if "/" in relative:
        folder = relative.split("/", 1)[0]
        whole = posixpath.relpath(f"{EXAMPLES_DIR}/{folder}.yaml", here or ".")
        links.append(f'[the whole `{folder}` folder]({whole}){{ download="{folder}.yaml" }}')
    footer = " · ".join([*links, validated_on(results)])
    body = text if text.endswith("\n") else text + "\n"
    return (f'<div class="kn-manifest" markdown>\n\n{fence}yaml title="{name}"\n{body}{fence}\n\n'
            f"{footer}\n\n</div>\n")


def validated_on(results: list[ObjectResult]) -> str:
    """``Validated on Kubernetes 1.35-1.37`` (en dash): the range every object in the file is valid on."""
    ranges = [result.valid_versions for result in results if result.status != "skipped"]
    if not ranges:
        return "Not a Kubernetes object (skipped: " + "; ".join(r.note for r in results) + ")"
    if any(r is None for r in ranges):
        return "Not valid on every supported Kubernetes version"
    low = max((r[0] for r in ranges if r), key=sort_key)
    high = min((r[1] for r in ranges if r), key=sort_key)
    return f"Validated on Kubernetes {low if low == high else low + EN_DASH + high}"


def combined_file(folder: str, members: list[tuple[str, str]]) -> str:
    """All of a folder's snippets as one multi-document file that ``kubectl apply -f`` accepts."""
    parts = [f"# Every example in snippets/{folder}/ of Kubernetes Field Notes, one file per section.\n"]
    for relative, text in members:
        parts.append(f"---\n# Source: {relative}\n{text if text.endswith(chr(10)) else text + chr(10)}")
    return "".join(parts)


def _all_problems(result: ObjectResult) -> list[Finding]:
    """Findings, plus an error when the object is not valid on every supported version."""
    problems = list(result.findings)
    supported = supported_versions()
    if result.status == "valid" and result.valid_versions != (supported[0], supported[-1]):
        shown = " to ".join(result.valid_versions) if result.valid_versions else "no supported version"
        problems.append(Finding("error", result.path, result.line, 1, result.object, "apiVersion",
                                f"valid on {shown} only; the site promises Kubernetes "
                                f"{supported[0]} to {supported[-1]}: use an API every one of them serves"))
    return problems


def _at_include(finding: Finding, page_path: str, line: int) -> Finding:
    """A snippet finding as seen from the page that includes it: page:line first, file:line after."""
    message = f"{finding.path}:{finding.line}:{finding.column}: {finding.field}: {finding.message}"
    return Finding(finding.severity, page_path, line, 1, finding.object, "kn:manifest", message)


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)
