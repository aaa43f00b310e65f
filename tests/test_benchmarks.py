"""``make bench`` runs every benchmarks/bench_*.py module; each must at least import against today's engine
and offer ``measure(root)``, so an API change cannot leave a benchmark broken until someone runs it."""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
MODULES = sorted(path.stem for path in BENCHMARKS.glob("bench_*.py"))


def test_there_are_benchmarks() -> None:
    assert {"bench_build", "bench_diagrams", "bench_validator"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_imports_and_offers_measure(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    module = importlib.import_module(name)
    try:
        assert list(inspect.signature(module.measure).parameters) == ["root"]
    finally:
        sys.modules.pop(name, None)
