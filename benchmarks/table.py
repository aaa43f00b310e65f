"""One row of the `make bench` table. Every benchmark module returns a list of these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """A measured quantity: which area, what was measured, the value as measured, the target if any."""

    section: str
    metric: str
    value: str
    target: str = ""


def render(rows: list[Row]) -> str:
    """A Markdown table, so it can go straight into a note or the README."""
    header = ("section", "metric", "value", "target")
    cells = [header, *((r.section, r.metric, r.value, r.target) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
