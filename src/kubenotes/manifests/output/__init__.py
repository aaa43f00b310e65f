"""Report formats, one small module each, chosen by name (``--format``).

Each writes results as they stream past (a run over a 50 MB file holds no list of them) and ends
with the run's counts, which the engine's :class:`~kubenotes.manifests.findings.Tally` has by then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from kubenotes.manifests.findings import ObjectResult, Tally
from kubenotes.manifests.output import github, json_report, junit, text


@dataclass(frozen=True)
class RunInfo:
    """What every format needs besides the results: versions checked, the counts, how much to say."""

    versions: tuple[str, ...]
    tally: Tally
    verbose: bool = False


Writer = Callable[[Iterable[ObjectResult], RunInfo, TextIO], None]

FORMATS: dict[str, Writer] = {
    "text": text.write,
    "json": json_report.write,
    "github": github.write,
    "junit": junit.write,
}
