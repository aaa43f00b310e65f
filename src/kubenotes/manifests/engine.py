"""One validation run over many sources: parse all, collect CRDs from all, validate each object.

CRDs are gathered first from every input, so a custom resource may sit in a different file from
its definition. Matrix mode re-checks the already parsed documents on each version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kubenotes.manifests.crds import CrdCatalog, is_crd
from kubenotes.manifests.findings import Finding, ObjectResult, Report
from kubenotes.manifests.loader import Document, YamlSyntaxError, load_documents
from kubenotes.manifests.sources import Source
from kubenotes.manifests.validator import Validator
from kubenotes.manifests.versions import TARGET_VERSION, sort_key


def validate_sources(sources: Iterable[Source], *, version: str = TARGET_VERSION,
                     matrix: Sequence[str] = (), skip_kinds: Iterable[str] = (),
                     crds: CrdCatalog | None = None) -> Report:
    """Validate every object in ``sources`` for ``version``; ``matrix`` adds the range each is valid on."""
    report = Report(versions=(version, *[v for v in matrix if v != version]))
    parsed: list[tuple[Source, list[Document]]] = []
    for source in sources:
        report.files.add(source.origin)
        try:
            parsed.append((source, list(load_documents(source.text))))
        except YamlSyntaxError as exc:
            report.results.append(_syntax_error(source, exc))
    catalog = crds if crds is not None else CrdCatalog()
    for _, documents in parsed:
        for document in documents:
            if isinstance(document.data, dict) and is_crd(document.data):
                catalog.add(document.data)
    skip = frozenset(skip_kinds)
    target = Validator(version, catalog, skip)
    others = [Validator(v, catalog, skip) for v in sorted(set(matrix), key=sort_key)]
    for source, documents in parsed:
        for document in documents:
            results = target.check(document, source)
            if others:
                _add_valid_range(results, [other.check(document, source) for other in others], others)
            report.results.extend(results)
    return report


def _add_valid_range(results: list[ObjectResult], per_version: list[list[ObjectResult]],
                     validators: list[Validator]) -> None:
    for index, result in enumerate(results):
        valid_on = [validator.version
                    for validator, version_results in zip(validators, per_version, strict=True)
                    if version_results[index].status == "valid"]
        result.valid_versions = (valid_on[0], valid_on[-1]) if valid_on else None


def _syntax_error(source: Source, exc: YamlSyntaxError) -> ObjectResult:
    line = source.first_line - 1 + exc.line
    finding = Finding("error", source.origin, line, exc.column + source.column_offset, "", "", str(exc))
    return ObjectResult(source.origin, line, "", "error", [finding])
