"""The site's manifests capability: every manifest the site shows or publishes is validated in the build.

- Every snippet under the snippets folder is validated when the build prepares (each is published under
  ``examples/``, whether or not a page includes it), its problems named at the snippet's own lines.
- ``<!-- kn:manifest PATH -->`` shows a snippet: titled YAML, download links, the versions it is valid on.
- Inline ``yaml`` fences holding Kubernetes objects are validated at the page's lines; a fence that
  includes a file with ``--8<--`` has that file validated (snippets are covered by the first rule).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from kubenotes.cache import CacheStore, code_digest, digest
from kubenotes.manifests.crds import CRD_KIND, CrdCatalog, is_crd
from kubenotes.manifests.findings import Finding, ObjectResult
from kubenotes.manifests.loader import YamlSyntaxError, load_documents
from kubenotes.manifests.podsecurity import LEVELS
from kubenotes.manifests.sources import YAML_SUFFIXES, Source
from kubenotes.manifests.versions import TARGET_VERSION, schema_package_version, sort_key, supported_versions
from kubenotes.markers import Edit, Fence, Marker, PageScan
from kubenotes.problems import Problem, problem
from kubenotes.site.capability import Capability, MarkerHandler
from kubenotes.site.page import Page

EXAMPLES_DIR = "examples"
EN_DASH = "\u2013"
CACHE_AREA = "manifests"
YAML_LANGUAGES = frozenset({"yaml", "yml"})
MANIFEST_LINE = re.compile(r"^(apiVersion|kind)[ \t]*:", re.MULTILINE)
SNIPPET_INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+(?P<quote>["'])(?P<path>[^"']+)(?P=quote)\s*$""")


@dataclass(frozen=True)
class Snippet:
    """One manifest file under the snippets folder, read once per build."""

    relative: str  # under the snippets folder, e.g. "workloads/web-app.yaml"
    display: str  # as messages name it, e.g. "snippets/workloads/web-app.yaml"
    text: str


class ManifestsCapability(Capability):
    name = "manifests"

    def __init__(self, build) -> None:  # type: ignore[no-untyped-def]
        super().__init__(build)
        self.snippets: dict[str, Snippet] = {}
        self.crds = CrdCatalog()
        self._crd_key = ""
        self._verdicts: dict[str, list[ObjectResult]] = {}

    # --- whole build -----------------------------------------------------------------------------

    def prepare(self) -> list[Problem]:
        project = self.build.project
        found: list[Problem] = []
        for path in snippet_files(project.snippets_dir):
            relative = path.relative_to(project.snippets_dir).as_posix()
            display = project.display(path)
            try:
                text = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as error:
                found.append(
                    problem(display, 0, f"not UTF-8 text (byte {error.start})", hint="save the file as UTF-8")
                )
                continue
            self.snippets[relative] = Snippet(relative, display, text)
        for snippet in self.snippets.values():
            if CRD_KIND not in snippet.text:
                continue  # no CustomResourceDefinition in it: no need to parse it on every build
            try:
                documents = list(load_documents(snippet.text))
            except YamlSyntaxError:
                continue  # reported below with the snippet's other problems
            for document in documents:
                if isinstance(document.data, dict) and is_crd(document.data):
                    self.crds.add(document.data)
        in_scope = sorted(["/".join(gvk), schema] for gvk, schema in self.crds.schemas.items())
        self._crd_key = json.dumps(in_scope, sort_keys=True)
        for snippet in self.snippets.values():
            found += [
                p
                for result in self.results(Source(snippet.text, snippet.display))
                for p in all_problems(result)
            ]
        return found

    def published(self) -> dict[str, bytes]:
        """Every snippet under ``examples/``, plus one file per top-level folder of applicable objects."""
        published: dict[str, bytes] = {}
        folders: dict[str, list[Snippet]] = {}
        for snippet in self.snippets.values():
            published[f"{EXAMPLES_DIR}/{snippet.relative}"] = snippet.text.encode("utf-8")
            if "/" in snippet.relative and self._applicable(snippet):
                folders.setdefault(snippet.relative.split("/", 1)[0], []).append(snippet)
        for folder, members in folders.items():
            combined = combined_file(folder, [(m.relative, m.text) for m in members])
            published[f"{EXAMPLES_DIR}/{folder}.yaml"] = combined.encode("utf-8")
        return published

    def results(self, source: Source) -> list[ObjectResult]:
        """Verdicts for one source on every supported version, from the cache when nothing changed."""
        versions = supported_versions()
        key = digest(
            "manifests/2",
            schema_package_version(),
            code_digest(Path(__file__).parent),
            source.text,
            source.origin,
            str(source.first_line),
            str(source.column_offset),
            TARGET_VERSION,
            ",".join(versions),
            self._crd_key,
        )
        if key in self._verdicts:
            return self._verdicts[key]
        cache: CacheStore = self.build.cache
        stored = cache.get_json(CACHE_AREA, key)
        results = _results_from_json(stored) if stored is not None else None
        if results is None:
            from kubenotes.manifests.engine import validate_sources  # the validator: only on a cache miss

            catalog = CrdCatalog(schemas=dict(self.crds.schemas))
            results = validate_sources([source], matrix=versions, crds=catalog).results
            cache.put_json(CACHE_AREA, key, [result.to_dict() for result in results])
        self._verdicts[key] = results
        return results

    # --- pages -----------------------------------------------------------------------------------

    def markers(self) -> dict[str, MarkerHandler]:
        return {"manifest": self.include}

    def include(self, page: Page, marker: Marker) -> str:
        """The Markdown that shows snippet ``marker.args`` (an error when there is no such snippet)."""
        snippet = self.snippets.get(posixpath.normpath(marker.args)) if marker.args else None
        if snippet is None:
            page.problem(
                marker.line,
                f"no snippet {marker.args!r}",
                column=1,
                field="kn:manifest",
                hint="the path is relative to the snippets folder (e.g. workloads/web-deployment.yaml)",
            )
            return ""
        results = self.results(Source(snippet.text, snippet.display))
        name = posixpath.basename(snippet.relative)
        if page.converter is None:
            raise RuntimeError(f"{page.display}: kn:manifest expanded outside a Markdown conversion")
        code = self.build.highlighter(page.converter)(snippet.text.rstrip("\n"), "yaml", name)
        return render_manifest(snippet.relative, page.raw_html(code), results, page.src_uri)

    def page_edits(self, page: Page, scan: PageScan) -> list[Edit]:
        for fence in scan.fences:
            if fence.language in YAML_LANGUAGES:
                self._check_fence(page, fence)
        return []

    def _check_fence(self, page: Page, fence: Fence) -> None:
        includes = [m["path"] for line in fence.body.splitlines() if (m := SNIPPET_INCLUDE.match(line))]
        for included in includes:
            self._check_included(page, fence, included)
        if not includes and MANIFEST_LINE.search(fence.body):
            source = Source(fence.body + "\n", page.display, page.line(fence.line + 1), len(fence.indent))
            for result in self.results(source):
                page.report(all_problems(result))

    def _check_included(self, page: Page, fence: Fence, included: str) -> None:
        """A ``--8<--`` include in a yaml fence: snippets are validated already; other files here."""
        name = included.split(":", 1)[0]
        if posixpath.normpath(name) in self.snippets:
            return
        project = self.build.project
        for folder in (project.snippets_dir, project.includes_dir):
            path = folder / name
            if path.is_file():
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as error:
                    page.problem(fence.line, f"cannot read included {name!r}: {error}", field="--8<--")
                    return
                if MANIFEST_LINE.search(text):
                    for result in self.results(Source(text, project.display(path))):
                        page.report(all_problems(result))
                return

    def check_output(self, page: Page, line: int, output: str) -> None:
        """Objects a command printed (YAML or JSON, whatever the fence shows it as) must be valid too."""
        if not _prints_objects(output):
            return
        for result in self.results(Source(output, "output")):
            for found in all_problems(result):
                page.problem(
                    line,
                    f"the command printed an invalid manifest (output line {found.line}): {found.message}",
                    object=found.object,
                    field=found.field,
                    severity=found.severity,
                    hint=found.hint or "fix the command or the files it reads",
                )

    def _applicable(self, snippet: Snippet) -> bool:
        """Whether ``kubectl apply -f`` could take the file: only valid objects, nothing skipped."""
        results = self.results(Source(snippet.text, snippet.display))
        return bool(results) and all(result.status == "valid" for result in results)


def snippet_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def render_manifest(relative: str, code: str, results: list[ObjectResult], page_uri: str) -> str:
    """Markdown for one included snippet: its highlighted YAML (``code``, raw HTML or a stash placeholder),
    download links, validated versions, and the Pod Security level of its workloads."""
    name = posixpath.basename(relative)
    here = posixpath.dirname(page_uri)
    download = posixpath.relpath(f"{EXAMPLES_DIR}/{relative}", here or ".")
    links = [f'[:material-download: Download `{name}`]({download}){{ download="{name}" }}']
    if "/" in relative:
        folder = relative.split("/", 1)[0]
        whole = posixpath.relpath(f"{EXAMPLES_DIR}/{folder}.yaml", here or ".")
        links.append(f'[the whole `{folder}` folder]({whole}){{ download="{folder}.yaml" }}')
    footer = " · ".join([*links, validated_on(results), *pod_security_level(results)])
    return f'<div class="kn-manifest" markdown>\n\n{code}\n\n{footer}\n\n</div>\n'


def pod_security_level(results: list[ObjectResult]) -> list[str]:
    """``Pod Security: restricted``: the strictest standard every Pod template in the file meets (none
    when the file has no Pod template)."""
    levels = [result.pod_security.level for result in results if result.pod_security is not None]
    if not levels:
        return []
    return [f"Pod Security: **{min(levels, key=LEVELS.index)}**"]


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


def all_problems(result: ObjectResult) -> list[Finding]:
    """Findings, plus an error when the object is not valid on every supported version."""
    problems = list(result.findings)
    supported = supported_versions()
    if result.status == "valid" and result.valid_versions != (supported[0], supported[-1]):
        shown = " to ".join(result.valid_versions) if result.valid_versions else "no supported version"
        problems.append(
            Finding(
                "error",
                result.path,
                result.line,
                1,
                result.object,
                "apiVersion",
                f"valid on {shown} only; the site promises Kubernetes {supported[0]} to {supported[-1]}",
                "use an API every one of them serves",
            )
        )
    return problems


def _prints_objects(output: str) -> bool:
    """Whether command output is YAML or JSON holding at least one object with apiVersion and kind."""
    if "apiVersion" not in output or "kind" not in output:
        return False
    try:
        documents = list(load_documents(output))
    except YamlSyntaxError:
        return False
    return any(isinstance(d.data, dict) and "apiVersion" in d.data and "kind" in d.data for d in documents)


def _results_from_json(data: object) -> list[ObjectResult] | None:
    """Stored verdicts, or None when the entry has another layout (it is then recomputed)."""
    try:
        return [ObjectResult.from_dict(item) for item in data]  # type: ignore[attr-defined]
    except (KeyError, TypeError):
        return None
