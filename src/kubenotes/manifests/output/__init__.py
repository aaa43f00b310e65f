"""Report formats, one small module each, chosen by name (``--format``) and imported only when chosen.

Each writes results as they stream past (a run over a 50 MB file holds no list of them) and ends
with the run's counts, which the engine's :class:`~kubenotes.manifests.findings.Tally` has by then.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import NamedTuple, TextIO

from kubenotes.manifests.findings import ObjectResult, Tally

# name -> module with ``write(results, info, out)``
FORMATS: dict[str, str] = {
    "text": "kubenotes.manifests.output.text",
    "json": "kubenotes.manifests.output.json_report",
    "github": "kubenotes.manifests.output.github",
    "junit": "kubenotes.manifests.output.junit",
}


class RunInfo(NamedTuple):
    """What every format needs besides the results: versions checked, the counts, how much to say."""

    versions: tuple[str, ...]
    tally: Tally
    verbose: bool = False


Writer = Callable[[Iterable[ObjectResult], RunInfo, TextIO], None]


def writer(name: str) -> Writer:
    """The ``write`` function of format ``name`` (one of FORMATS)."""
    write: Writer = importlib.import_module(FORMATS[name]).write
    return write
