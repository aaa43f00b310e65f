"""Score every page of a built site with Lighthouse (mobile profile), served as GitHub Pages serves it.

    python scripts/lighthouse_report.py site [--runs N] [--json scores.json] [PAGE ...]

Prints one table (page, the four category scores, transferred KB, LCP, TBT), then every page that misses
the goal (performance >= 95, the other categories 100, at most 200 KB) with the audits that cost it, and
the host's speed as Lighthouse measured it (its benchmark index).
Exits 1 when a page misses the goal, 2 when it cannot run. Pages run one after another, each in a fresh
headless Chromium: parallel runs would share two cores and distort each other's timings. Blocking time
depends on how busy the machine is, so ``--runs N`` scores each page N times and keeps its median run
(by performance, as Lighthouse's own guidance does); the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gzip_server import GzipSiteServer

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("KUBENOTES_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
EXTRA_PAGES = ("404.html",)  # not in the sitemap, but readers see it
GOAL_PERFORMANCE = 95
GOAL_OTHERS = 100
GOAL_KB = 200
TIMEOUT_SECONDS = 180


class LighthouseError(RuntimeError):
    """Lighthouse could not score a page (not installed, crashed, or the page did not load)."""


@dataclass(frozen=True)
class PageScore:
    """One page's Lighthouse result, reduced to what the table and the goal need."""

    page: str
    performance: int
    accessibility: int
    best_practices: int
    seo: int
    transferred_kb: float
    lcp_ms: float
    tbt_ms: float
    benchmark_index: float  # Lighthouse's measure of the host's CPU during this run (higher: faster)
    costs: tuple[str, ...]  # failed audits in categories below their goal, worst first

    def misses_goal(self) -> bool:
        return (
            self.performance < GOAL_PERFORMANCE
            or self.transferred_kb > GOAL_KB
            or min(self.accessibility, self.best_practices, self.seo) < GOAL_OTHERS
        )


def site_pages(site_dir: Path) -> tuple[str, list[str]]:
    """The site's URL prefix (path of site_url) and every page: the sitemap's, plus the 404 page."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        raise LighthouseError(f"{sitemap} not found: build the site first (make build)")
    locs = [
        loc.text.strip()
        for loc in ET.parse(sitemap).getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)
        if loc.text
    ]
    home = min(locs, key=len)
    return urlsplit(home).path, [loc[len(home) :] for loc in locs] + list(EXTRA_PAGES)


def run_lighthouse(url: str) -> dict[str, Any]:
    """Lighthouse's JSON report for ``url``: mobile form factor and simulated throttling (its defaults)."""
    if not LIGHTHOUSE.is_file():
        raise LighthouseError(
            f"{LIGHTHOUSE} not found: run `npm ci` in {LIGHTHOUSE.parents[2]} (make lighthouse does it)"
        )
    with tempfile.TemporaryDirectory(prefix="kubenotes-lighthouse-") as scratch:
        out = Path(scratch) / "report.json"
        cmd = [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        env = os.environ | {"CHROME_PATH": CHROMIUM}
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        if proc.returncode != 0 or not out.is_file():
            raise LighthouseError(
                f"lighthouse failed on {url} (exit {proc.returncode}): "
                f"{proc.stderr.strip()[-800:] or 'no output'}"
            )
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise LighthouseError(f"lighthouse could not load {url}: {report['runtimeError'].get('message')}")
    return report


def page_score(page: str, report: dict[str, Any]) -> PageScore:
    """Reduce a Lighthouse report to a :class:`PageScore`."""
    categories, audits = report["categories"], report["audits"]
    scores = {name: round((categories[name]["score"] or 0) * 100) for name in CATEGORIES}
    return PageScore(
        page=page or "(home)",
        performance=scores["performance"],
        accessibility=scores["accessibility"],
        best_practices=scores["best-practices"],
        seo=scores["seo"],
        transferred_kb=round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
        lcp_ms=round(audits["largest-contentful-paint"]["numericValue"]),
        tbt_ms=round(audits["total-blocking-time"]["numericValue"]),
        benchmark_index=round(report["environment"]["benchmarkIndex"]),
        costs=tuple(_costs(categories, audits, scores)),
    )


def _costs(categories: dict[str, Any], audits: dict[str, Any], scores: dict[str, int]) -> list[str]:
    """Failed audits of every category below its goal, heaviest first, as ``audit-id (value)``."""
    costs: list[tuple[float, str]] = []
    for name in CATEGORIES:
        goal = GOAL_PERFORMANCE if name == "performance" else GOAL_OTHERS
        if scores[name] >= goal:
            continue
        for ref in categories[name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue") or f"score {audit['score']:.2f}"
                costs.append((ref["weight"] * (1 - audit["score"]), f"{name}: {ref['id']} ({value})"))
    return [text for _, text in sorted(costs, reverse=True)]


def score_site(
    site_dir: Path,
    pages: list[str] | None = None,
    *,
    runs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> list[PageScore]:
    """Score ``pages`` (default: every page) of the built site, served with gzip under its prefix.

    With ``runs`` > 1 each page is scored that many times and its median run (by performance) is kept.
    """
    prefix, every_page = site_pages(site_dir)
    chosen = pages if pages else every_page
    scores = []
    with GzipSiteServer(site_dir, prefix) as server:
        for page in chosen:
            if progress:
                progress(page)
            results = sorted(
                (page_score(page, run_lighthouse(server.url(page))) for _ in range(runs)),
                key=lambda score: score.performance,
            )
            scores.append(results[len(results) // 2])
    return scores


def render_table(scores: list[PageScore]) -> str:
    """One Markdown table, a row per page, then the medians."""
    header = ("page", "perf", "a11y", "best pr.", "SEO", "transferred KB", "LCP ms", "TBT ms")
    rows: list[tuple[object, ...]] = [
        (
            s.page,
            s.performance,
            s.accessibility,
            s.best_practices,
            s.seo,
            f"{s.transferred_kb:.0f}",
            f"{s.lcp_ms:.0f}",
            f"{s.tbt_ms:.0f}",
        )
        for s in scores
    ]
    if scores:
        rows.append(
            (
                "median",
                *(
                    f"{statistics.median(getattr(s, f) for s in scores):.0f}"
                    for f in (
                        "performance",
                        "accessibility",
                        "best_practices",
                        "seo",
                        "transferred_kb",
                        "lcp_ms",
                        "tbt_ms",
                    )
                ),
            )
        )
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in (header, *rows)
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def render_host(scores: list[PageScore]) -> str:
    """The host's speed as Lighthouse measured it: its 4x CPU slowdown assumes a host near 1500, so the
    blocking time of a slower or busier host counts for more than a phone's would."""
    if not scores:
        return "host benchmark index: no run"
    indexes = [s.benchmark_index for s in scores]
    return (
        f"host benchmark index (Lighthouse's CPU measure, higher is faster): median "
        f"{statistics.median(indexes):.0f}, lowest {min(indexes):.0f}, highest {max(indexes):.0f}"
    )


def render_misses(scores: list[PageScore]) -> str:
    missed = [s for s in scores if s.misses_goal()]
    if not missed:
        return (
            f"every page meets the goal: performance >= {GOAL_PERFORMANCE}, the others {GOAL_OTHERS}, "
            f"at most {GOAL_KB} KB"
        )
    lines = [
        f"{len(missed)} of {len(scores)} pages miss the goal (performance >= {GOAL_PERFORMANCE}, "
        f"the others {GOAL_OTHERS}, at most {GOAL_KB} KB):"
    ]
    for score in missed:
        over = " (over budget)" if score.transferred_kb > GOAL_KB else ""
        weight = f"{score.transferred_kb:.0f} KB{over}"
        lines.append(f"  {score.page}: {weight}")
        lines.extend(f"    - {cost}" for cost in score.costs[:6])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("pages", nargs="*", help="page paths (e.g. architecture/cluster/); default: all")
    parser.add_argument("--runs", type=int, default=1, help="score each page N times, keep the median run")
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    try:
        scores = score_site(
            args.site,
            args.pages,
            runs=max(1, args.runs),
            progress=lambda page: print(f"  lighthouse /{page}", file=sys.stderr, flush=True),
        )
    except (LighthouseError, subprocess.TimeoutExpired) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps([asdict(s) for s in scores], indent=2) + "\n", encoding="utf-8")
    print(render_table(scores))
    print(
        f"Lighthouse 12 mobile profile, gzip-served, median of {max(1, args.runs)} run(s) per page; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)"
    )
    print(render_host(scores))
    print(render_misses(scores))
    return 1 if any(s.misses_goal() for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
