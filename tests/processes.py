"""Watching processes without timing them: find a test's children by name, and call something that must
return with a watchdog, so a regression fails the test instead of hanging it. How fast is ``make bench``'s
business, never an assertion's."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
# How long a call that must not wait for its children may take before the test calls it hung. The children
# such a test leaves sleep CHILD_SLEEP seconds, ten times as long, so waiting for them can never pass.
WATCHDOG = 60.0
CHILD_SLEEP = 600


def processes(marker: str) -> dict[int, str]:
    """Pid and command line of each running process whose argv[0] is ``marker`` (set with ``exec -a``)."""
    found = {}
    for entry in os.listdir("/proc"):
        try:
            line = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if line.split(b"\0", 1)[0] == marker.encode():
            found[int(entry)] = line.decode(errors="replace")
    return found


def gone(marker: str, within: float = 10.0) -> bool:
    """No process named ``marker`` is left, given ``within`` seconds to be reaped."""
    deadline = time.monotonic() + within
    while processes(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not processes(marker)


def returns(call: Callable[[], T], within: float = WATCHDOG) -> T:
    """``call()``'s result; an AssertionError if it has not returned within ``within`` seconds."""
    outcome: list[T] = []
    thread = threading.Thread(target=lambda: outcome.append(call()), name="watched-call", daemon=True)
    thread.start()
    thread.join(within)
    assert outcome, f"the call did not return within {within:.0f} s (it waits for something it must not)"
    return outcome[0]
