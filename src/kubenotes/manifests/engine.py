"""One validation run: sources -> documents -> verdicts, streamed, on one core or on several.

CRDs come first: files that mention ``CustomResourceDefinition`` are read once for them (a byte
scan finds those), so a custom resource may sit in a different file from its definition. Then every
file is read in blocks of whole documents and each document is validated and let go, so memory
stays flat whatever the input size. Big inputs are shared between this process and forked ones
(``workers``), which start with the CRDs and schemas known; results come back in input order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from kubenotes.manifests.crds import CRD_KIND, CrdCatalog, is_crd
from kubenotes.manifests.findings import Finding, ObjectResult, Report, Tally
from kubenotes.manifests.loader import Document, YamlSyntaxError, read_documents, read_json_documents
from kubenotes.manifests.sources import (
    MARKDOWN_SUFFIXES,
    YAML_SUFFIXES,
    InputFile,
    Source,
    Unreadable,
    sources_of,
)
from kubenotes.manifests.validator import Validator
from kubenotes.manifests.versions import TARGET_VERSION, sort_key

# Below this much input, a second process costs more than it saves (measured: benchmarks/).
PARALLEL_BYTES = 1 << 20
BATCH_CHARS = 64 << 10  # work handed out at once (whole small files, or blocks of a big one)
READ_AHEAD_BYTES = 8 << 20  # small files kept in memory from the CRD scan to their validation


class Options(NamedTuple):
    """What to check: the target version, the matrix of versions, kinds to skip, a required PSS level."""

    version: str = TARGET_VERSION
    matrix: tuple[str, ...] = ()
    skip_kinds: frozenset[str] = frozenset()
    pod_security: str | None = None  # objects whose Pod template is below this level are invalid


DEFAULT_OPTIONS = Options()


class Checker:
    """Validates sources against the target version (and the matrix); knows the run's CRDs."""

    def __init__(self, options: Options, crds: CrdCatalog | None = None) -> None:
        self.options = options
        self.crds = crds if crds is not None else CrdCatalog()
        skip = self.options.skip_kinds
        self._target = Validator(self.options.version, self.crds, skip, self.options.pod_security)
        others = sorted(set(self.options.matrix), key=sort_key)
        self._others = [Validator(version, self.crds, skip) for version in others]

    def load_schemas(self) -> None:
        """Read the schemas of every version checked now (the first object would otherwise)."""
        from kubenotes.manifests.registry import load_version

        for version in {self.options.version, *self.options.matrix}:
            load_version(version)

    def add_crds(self, source: Source) -> None:
        """Register the CRDs in ``source`` (before anything is validated)."""
        for document in _documents(source):
            if not isinstance(document, YamlSyntaxError) and is_crd(document.data):
                self.crds.add(document.data)

    def check(self, source: Source) -> list[ObjectResult]:
        """One verdict per object in ``source``; never raises (a bug becomes an error result)."""
        results: list[ObjectResult] = []
        try:
            for document in _documents(source):
                if isinstance(document, YamlSyntaxError):
                    results.append(_syntax_error(source, document))
                    continue
                if is_crd(document.data):
                    self.crds.add(document.data)  # a stream (stdin) may define a kind before using it
                verdicts = self._target.check(document, source)
                if self._others:
                    per_version = [other.check(document, source) for other in self._others]
                    _add_valid_range(verdicts, per_version, self._others)
                results.extend(verdicts)
        except Exception as exc:
            results.append(
                ObjectResult(
                    source.origin,
                    source.first_line,
                    "",
                    "error",
                    [
                        Finding(
                            "error",
                            source.origin,
                            source.first_line,
                            0,
                            "",
                            "",
                            f"internal error while validating this file: {type(exc).__name__}: {exc}",
                            "please report it with the file",
                        )
                    ],
                )
            )
        return results


class _Item(NamedTuple):
    """One piece of work: a small file (read by whoever does the work) or one block of a big file."""

    file: InputFile
    source: Source | Unreadable | None  # None: the whole file, not read yet
    size: int
    first: bool = True  # the file's first piece (it counts the file)


class Run:
    """A streaming run over files: iterate it for results in input order, then read :attr:`tally`."""

    def __init__(
        self,
        files: Sequence[InputFile],
        options: Options = DEFAULT_OPTIONS,
        *,
        jobs: int | None = None,
        crds: CrdCatalog | None = None,
    ) -> None:
        self.files = list(files)
        self.checker = Checker(options, crds if crds is not None else CrdCatalog())
        stdin = any(file.path is None for file in self.files)  # read once, by one process
        self.jobs = 1 if stdin else jobs if jobs is not None else _auto_jobs(self.files)
        self.tally = Tally()
        self.origins: list[str] = []

    def __iter__(self) -> Iterator[ObjectResult]:
        budget = READ_AHEAD_BYTES
        for index, file in enumerate(self.files):
            if budget > 0:
                self.files[index] = file = file.read_ahead(min(BATCH_CHARS, budget))
                budget -= len(file.content or b"")
            if file.path is not None and file.mentions(CRD_KIND.encode()):
                for source in sources_of(file):
                    if isinstance(source, Source):
                        self.checker.add_crds(source)
        batches = _batches(self._items())
        done: Iterator[tuple[list[ObjectResult], list[str]]]
        if self.jobs > 1:
            from kubenotes.manifests.workers import share

            self.checker.load_schemas()  # before the fork: the workers share them
            done = share(batches, self._work, self.jobs)
        else:
            done = map(self._work, batches)
        for results, origins in done:
            self.tally.files += len(origins)
            self.origins.extend(origins)
            for result in results:
                self.tally.add(result)
                yield result

    def _items(self) -> Iterator[_Item]:
        for file in self.files:
            size = file.size()
            if size is None or size <= BATCH_CHARS or file.suffix not in YAML_SUFFIXES:
                yield _Item(file, None, size or 0)
                continue
            for index, unit in enumerate(sources_of(file)):
                yield _Item(file, unit, len(unit.text) if isinstance(unit, Source) else 0, index == 0)

    def _work(self, batch: list[_Item]) -> tuple[list[ObjectResult], list[str]]:
        """The results of a batch, and the files it counts (a Markdown page only with a manifest)."""
        results: list[ObjectResult] = []
        origins: list[str] = []
        for item in batch:
            units = list(sources_of(item.file)) if item.source is None else [item.source]
            if item.first and (units or item.file.suffix not in MARKDOWN_SUFFIXES):
                origins.append(item.file.origin)
            for unit in units:
                results.extend(
                    [_unreadable(unit)] if isinstance(unit, Unreadable) else self.checker.check(unit)
                )
        return results, origins


def validate_sources(
    sources: Iterable[Source],
    *,
    version: str = TARGET_VERSION,
    matrix: Sequence[str] = (),
    skip_kinds: Iterable[str] = (),
    crds: CrdCatalog | None = None,
    pod_security: str | None = None,
) -> Report:
    """Validate every object in ``sources`` for ``version``; ``matrix`` adds the range each is valid on."""
    sources = list(sources)
    options = Options(version, tuple(matrix), frozenset(skip_kinds), pod_security)
    checker = Checker(options, crds if crds is not None else CrdCatalog())
    for source in sources:
        if CRD_KIND in source.text:
            checker.add_crds(source)
    report = Report(versions=(version, *[v for v in matrix if v != version]))
    for source in sources:
        report.files.add(source.origin)
        report.results.extend(checker.check(source))
    return report


def _documents(source: Source) -> Iterator[Document | YamlSyntaxError]:
    return read_json_documents(source.text) if source.json else read_documents(source.text)


def _batches(items: Iterator[_Item]) -> Iterator[list[_Item]]:
    """Consecutive items of about BATCH_CHARS together (sending a result per small file costs more
    than checking it)."""
    batch: list[_Item] = []
    size = 0
    for item in items:
        batch.append(item)
        size += item.size
        if size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _auto_jobs(files: Sequence[InputFile]) -> int:
    """One process for small inputs (and stdin, read once); one per core for big ones."""
    if any(file.path is None for file in files):
        return 1
    total = 0
    for file in files:
        try:
            total += file.path.stat().st_size  # type: ignore[union-attr]
        except OSError:
            continue
        if total >= PARALLEL_BYTES:
            return _cores()
    return 1


def _cores() -> int:
    """Cores this process may use (Linux honours CPU affinity; macOS has no such call)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return max(1, len(affinity(0)) if affinity else os.cpu_count() or 1)


def _add_valid_range(
    results: list[ObjectResult], per_version: list[list[ObjectResult]], validators: list[Validator]
) -> None:
    for index, result in enumerate(results):
        valid_on = [
            validator.version
            for validator, version_results in zip(validators, per_version, strict=True)
            if version_results[index].status == "valid"
        ]
        result.valid_versions = (valid_on[0], valid_on[-1]) if valid_on else None


def _syntax_error(source: Source, exc: YamlSyntaxError) -> ObjectResult:
    line = source.first_line - 1 + exc.line
    finding = Finding("error", source.origin, line, exc.column + source.column_offset, "", "", str(exc))
    return ObjectResult(source.origin, line, "", "error", [finding])


def _unreadable(unit: Unreadable) -> ObjectResult:
    finding = Finding("error", unit.origin, unit.line, 0, "", "", unit.message, unit.hint)
    return ObjectResult(unit.origin, unit.line, "", "error", [finding])
