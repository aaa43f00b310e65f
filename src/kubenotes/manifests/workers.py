"""Share a stream of work between this process and forked children, results back in order.

Every process walks the same sequence of batches (forked from the same point, each holds its own copy
of the iterator) and does every ``jobs``-th one; children send their results through a pipe, and this
process yields them in sequence. Nothing is sent out but results: a child reads its own input, so the
parent does not copy it, and a pipe holds only a little, so a child can never run far ahead (memory
stays bounded). No pool, no threads: ``os.fork`` and ``pickle``, a few milliseconds to start. A child
that dies takes nothing with it: its batches are done here instead.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle  # ~15 ms to import: imported by the engine only when it forks
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")


def share(batches: Iterable[Batch], work: Callable[[Batch], Result], jobs: int) -> Iterator[Result]:
    """``work(batch)`` for every batch, in order, spread over this process and ``jobs - 1`` children."""
    batches = iter(batches)
    children = _fork_children(batches, work, jobs) if jobs > 1 and hasattr(os, "fork") else []
    try:
        for index, batch in enumerate(batches):
            owner = index % (len(children) + 1)
            result = _receive(children[owner - 1]) if owner else _NOTHING
            yield work(batch) if result is _NOTHING else result  # type: ignore[misc]
    finally:
        for child in children:
            _stop(child)


_NOTHING = object()


class _Child:
    """A forked worker: its process id and the read end of its result pipe."""

    def __init__(self, pid: int, results: IO[bytes]) -> None:
        self.pid, self.results, self.alive = pid, results, True


def _fork_children(batches: Iterator[Batch], work: Callable[[Batch], Result], jobs: int) -> list[_Child]:
    # Everything loaded so far (schemas, the registry, files read ahead) is kept out of the cycle
    # collector's walks: a walk writes to each object it visits, and in a child each write copies the
    # page it falls on, so the children would soon hold private copies of memory they only read.
    gc.freeze()
    children: list[_Child] = []
    for rank in range(1, jobs):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            for sibling in children:
                sibling.results.close()
            _serve(batches, work, rank, jobs, write_end)
        os.close(write_end)
        children.append(_Child(pid, os.fdopen(read_end, "rb")))
    return children


def _serve(
    batches: Iterator[Batch], work: Callable[[Batch], Result], rank: int, jobs: int, write_end: int
) -> None:
    """In a child: do batches ``rank``, ``rank + jobs``, ... and send each result; then exit at once
    (``os._exit``: no exit handlers, no flushing of buffers copied from the parent)."""
    code = 0
    try:
        with os.fdopen(write_end, "wb") as pipe:
            for index, batch in enumerate(batches):
                if index % jobs == rank:
                    pickle.dump(work(batch), pipe, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent redoes this child's batches
        code = 1
    os._exit(code)


def _receive(child: _Child) -> object:
    """The child's next result, or _NOTHING once it has died (its work is then done here)."""
    if not child.alive:
        return _NOTHING
    try:
        return pickle.load(child.results)
    except (EOFError, OSError, pickle.UnpicklingError):
        child.alive = False
        return _NOTHING


def _stop(child: _Child) -> None:
    child.results.close()  # a child still writing gets EPIPE and exits
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child.pid, 0)
