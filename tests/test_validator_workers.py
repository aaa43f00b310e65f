"""Sharing work with forked processes changes nothing but the time: same results, same order, and a
child that dies has its work done by the parent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kubenotes.manifests.workers import share

KUBENOTES = Path(sys.executable).parent / "kubenotes"
CATALOG = Path(__file__).parent / "manifests"


def test_share_keeps_the_order_with_any_number_of_processes() -> None:
    batches = [list(range(start, start + 5)) for start in range(0, 100, 5)]
    expected = [sum(batch) for batch in batches]
    for jobs in (1, 2, 3):
        assert list(share(iter(batches), sum, jobs)) == expected


def test_the_work_of_a_dead_child_is_done_by_the_parent() -> None:
    parent = os.getpid()

    def work(batch: list[int]) -> int:
        if os.getpid() != parent:
            raise MemoryError("a child that runs out of memory")
        return sum(batch)

    batches = [[n, n] for n in range(12)]
    assert list(share(iter(batches), work, 3)) == [2 * n for n in range(12)]


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_cli_output_is_the_same_with_workers(jobs: str, tmp_path: Path) -> None:
    """The whole catalog (good, bad, Pod Security) plus a big multi-document file cut into blocks."""
    document = (CATALOG / "good" / "int-or-string-ports.yaml").read_text(encoding="utf-8")
    (tmp_path / "many.yaml").write_text("---\n".join([document] * 400), encoding="utf-8")
    args = [str(KUBENOTES), "validate", str(CATALOG), str(tmp_path)]
    serial = subprocess.run([*args, "--jobs", "1"], capture_output=True, text=True, timeout=300)
    shared = subprocess.run([*args, "--jobs", jobs], capture_output=True, text=True, timeout=300)
    assert serial.returncode == shared.returncode == 1
    assert shared.stdout == serial.stdout
    assert serial.stdout.count("many.yaml:") == 400, "each copy of the Deployment notes its level"


def test_children_leave_what_was_loaded_before_the_fork_to_the_cycle_collector_frozen() -> None:
    import gc

    loaded_before = [{"schema": index} for index in range(1000)]
    parent = os.getpid()

    def frozen_in_child(_: int) -> int:
        return gc.get_freeze_count() if os.getpid() != parent else -1

    try:
        counts = list(share(iter(range(4)), frozen_in_child, 2))
    finally:
        gc.unfreeze()
    assert counts[0] == -1 and counts[1] >= len(loaded_before)
