"""One validation run: sources -> documents -> verdicts, streamed, on one core or on several.

CRDs come first: files that mention ``CustomResourceDefinition`` are read once for them (a byte
scan finds those), so a custom resource may sit in a different file from its definition. Then every
file is read in blocks of whole documents and each document is validated and let go, so memory
stays flat whatever the input size. Big inputs are shared between worker processes (forked, so
they start with the CRDs known); results come back in input order.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from kubenotes.manifests.crds import CRD_KIND, CrdCatalog, is_crd
from kubenotes.manifests.findings import Finding, ObjectResult, Report, Tally
from kubenotes.manifests.loader import YamlSyntaxError, read_documents, read_json_documents
from kubenotes.manifests.sources import MARKDOWN_SUFFIXES, InputFile, Source, Unreadable, sources_of
from kubenotes.manifests.validator import Validator
from kubenotes.manifests.versions import TARGET_VERSION, sort_key

# Below this much input, starting workers costs more than it saves (measured: benchmarks/).
PARALLEL_BYTES = 512 << 10
BATCH_CHARS = 128 << 10  # text sent to a worker at once


@dataclass(frozen=True)
class Options:
    """What to check: the target version, the matrix of versions, kinds to skip, a required PSS level."""

    version: str = TARGET_VERSION
    matrix: tuple[str, ...] = ()
    skip_kinds: frozenset[str] = frozenset()
    pod_security: str | None = None  # objects whose Pod template is below this level are invalid


@dataclass
class Checker:
    """Validates sources against the target version (and the matrix); knows the run's CRDs."""

    options: Options
    crds: CrdCatalog = field(default_factory=CrdCatalog)

    def __post_init__(self) -> None:
        skip = self.options.skip_kinds
        self._target = Validator(self.options.version, self.crds, skip, self.options.pod_security)
        others = sorted(set(self.options.matrix), key=sort_key)
        self._others = [Validator(version, self.crds, skip) for version in others]

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
            results.append(ObjectResult(source.origin, source.first_line, "", "error", [Finding(
                "error", source.origin, source.first_line, 0, "", "",
                f"internal error while validating this file: {type(exc).__name__}: {exc}",
                "please report it with the file")]))
        return results


class Run:
    """A streaming run over files: iterate it for results in input order, then read :attr:`tally`."""

    def __init__(self, files: Sequence[InputFile], options: Options = Options(), *,
                 jobs: int | None = None, crds: CrdCatalog | None = None) -> None:
        self.files = list(files)
        self.checker = Checker(options, crds if crds is not None else CrdCatalog())
        self.jobs = jobs if jobs is not None else _auto_jobs(self.files)
        self.tally = Tally()
        self.origins: list[str] = []

    def __iter__(self) -> Iterator[ObjectResult]:
        for file in self.files:
            if file.path is not None and file.mentions(CRD_KIND.encode()):
                for source in sources_of(file):
                    if isinstance(source, Source):
                        self.checker.add_crds(source)
        parallel = self.jobs > 1 and hasattr(os, "fork")  # workers are forked (not on Windows)
        batches = _parallel(self._units(), self.checker, self.jobs) if parallel else _serial(
            self._units(), self.checker)
        for batch in batches:
            for result in batch:
                self.tally.add(result)
                yield result

    def _units(self) -> Iterator[Source | Unreadable]:
        for file in self.files:
            counted = file.suffix not in MARKDOWN_SUFFIXES
            if counted:
                self._count(file)
            for unit in sources_of(file):
                if not counted:
                    self._count(file)
                    counted = True
                yield unit

    def _count(self, file: InputFile) -> None:
        self.tally.files += 1
        self.origins.append(file.origin)


def validate_sources(sources: Iterable[Source], *, version: str = TARGET_VERSION,
                     matrix: Sequence[str] = (), skip_kinds: Iterable[str] = (),
                     crds: CrdCatalog | None = None, pod_security: str | None = None) -> Report:
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


def _documents(source: Source) -> Iterator:
    return read_json_documents(source.text) if source.json else read_documents(source.text)


def _serial(units: Iterator[Source | Unreadable], checker: Checker) -> Iterator[list[ObjectResult]]:
    for unit in units:
        yield [_unreadable(unit)] if isinstance(unit, Unreadable) else checker.check(unit)


# The checker of a worker process: set in the parent just before the workers are forked.
_WORKER_CHECKER: Checker | None = None


def _check_batch(batch: list[Source | Unreadable]) -> list[ObjectResult]:
    assert _WORKER_CHECKER is not None
    return [result for unit in batch for result in (
        [_unreadable(unit)] if isinstance(unit, Unreadable) else _WORKER_CHECKER.check(unit))]


def _parallel(units: Iterator[Source | Unreadable], checker: Checker, jobs: int
              ) -> Iterator[list[ObjectResult]]:
    """Batches of sources shared by ``jobs`` processes: this one and ``jobs - 1`` forked workers (one
    process less to hold in memory, and none waiting idle on the others). A few batches in flight per
    worker bound the memory; results come in input order. The schemas are read before the fork, so
    the workers share them."""
    import multiprocessing  # ~25 ms to import: only big inputs pay it

    from kubenotes.manifests.registry import schemas

    global _WORKER_CHECKER
    _WORKER_CHECKER = checker
    for version in {checker.options.version, *checker.options.matrix}:
        schemas(version)
    pending: deque = deque()
    with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
        for index, batch in enumerate(_batches(units)):
            if index % jobs == jobs - 1:
                pending.append(_check_batch(batch))  # this process's share
            else:
                pending.append(pool.apply_async(_check_batch, (batch,)))
            while len(pending) > 2 * jobs:
                yield _collect(pending.popleft())
        while pending:
            yield _collect(pending.popleft())
    _WORKER_CHECKER = None


def _collect(item: object) -> list[ObjectResult]:
    return item if isinstance(item, list) else item.get()  # type: ignore[attr-defined]


def _batches(units: Iterator[Source | Unreadable]) -> Iterator[list[Source | Unreadable]]:
    """Consecutive units of about BATCH_CHARS of text together (a message per small file costs more
    than checking it)."""
    batch: list[Source | Unreadable] = []
    size = 0
    for unit in units:
        batch.append(unit)
        size += len(unit.text) if isinstance(unit, Source) else 0
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


def _unreadable(unit: Unreadable) -> ObjectResult:
    finding = Finding("error", unit.origin, unit.line, 0, "", "", unit.message, unit.hint)
    return ObjectResult(unit.origin, unit.line, "", "error", [finding])
