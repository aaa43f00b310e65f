"""Page speed as a phone sees it: Lighthouse (mobile profile) on every page of a fresh strict build, served
with gzip as GitHub Pages serves it (scripts/lighthouse_report.py, the same run as `make lighthouse`).

Summarised as the worst page and the median per category, the heaviest page and the slowest LCP and TBT.
Pages run one after another (~15 s each); `KUBENOTES_BENCH_LIGHTHOUSE_PAGES` (space-separated page paths)
narrows the run while iterating, `KUBENOTES_BENCH_LIGHTHOUSE_RUNS` (default 1) keeps each page's median of
that many runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from lighthouse_report import GOAL_KB, GOAL_OTHERS, GOAL_PERFORMANCE, PageScore, score_site
from table import Row


def measure(root: Path) -> list[Row]:
    pages = os.environ.get("KUBENOTES_BENCH_LIGHTHOUSE_PAGES", "").split()
    runs = int(os.environ.get("KUBENOTES_BENCH_LIGHTHOUSE_RUNS", "1"))
    with tempfile.TemporaryDirectory(prefix="kubenotes-bench-lighthouse-") as scratch:
        site = Path(scratch) / "site"
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
            cwd=root,
            check=True,
            env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        )
        scores = score_site(site, pages, runs=runs)
    where = f"{len(scores)} pages" if not pages else f"{len(scores)} chosen pages"
    where += f", median of {runs} runs" if runs > 1 else ""
    return [
        _worst_and_median(
            scores, "performance", f"performance ({where}, mobile, gzip)", f">= {GOAL_PERFORMANCE}"
        ),
        _worst_and_median(scores, "accessibility", "accessibility", f"{GOAL_OTHERS}"),
        _worst_and_median(scores, "best_practices", "best practices", f"{GOAL_OTHERS}"),
        _worst_and_median(scores, "seo", "SEO", f"{GOAL_OTHERS}"),
        _worst_and_median(scores, "transferred_kb", "transferred KB", f"<= {GOAL_KB}", highest=True),
        _worst_and_median(scores, "lcp_ms", "largest contentful paint, ms", "", highest=True),
        _worst_and_median(scores, "tbt_ms", "total blocking time, ms", "", highest=True),
    ]


def _worst_and_median(
    scores: list[PageScore], field: str, metric: str, target: str, *, highest: bool = False
) -> Row:
    """``worst (page) / median`` of one field; worst is the lowest score or the highest cost."""
    pick = max if highest else min
    worst = pick(scores, key=lambda s: getattr(s, field))
    median = statistics.median(getattr(s, field) for s in scores)
    where = "every page" if all(getattr(s, field) == getattr(worst, field) for s in scores) else worst.page
    return Row(
        "lighthouse",
        f"{metric}: worst page / median",
        f"{getattr(worst, field):.0f} ({where}) / {median:.0f}",
        target,
    )
