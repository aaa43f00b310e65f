"""Check a built site's external links: cached successes, LinkChecker for the rest, an honest report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from kubenotes.links.cache import ResultsCache
from kubenotes.links.extract import Place, external_links
from kubenotes.links.probe import run_linkchecker

EXIT_OK, EXIT_BROKEN, EXIT_UNCHECKED = 0, 1, 3


@dataclass(frozen=True)
class Verdict:
    """One external URL: ok / broken / unchecked, why, where it appears, and whether it came from cache."""

    url: str
    status: str
    detail: str
    places: tuple[Place, ...]
    cached: bool = False


@dataclass
class LinkReport:
    verdicts: list[Verdict] = field(default_factory=list)
    offline: bool = False

    def with_status(self, status: str) -> list[Verdict]:
        return [verdict for verdict in self.verdicts if verdict.status == status]

    def summary(self) -> str:
        ok = self.with_status("ok")
        cached = sum(verdict.cached for verdict in ok)
        unchecked = self.with_status("unchecked")
        line = (
            f"external links: {len(self.verdicts)} found: {len(ok)} ok ({cached} from cache), "
            f"{len(self.with_status('broken'))} broken, {len(unchecked)} unchecked"
        )
        if self.offline:
            return line + " (offline mode: nothing was checked now)"
        if unchecked and len(unchecked) == len(self.verdicts) - cached:
            return line + " (no host could be reached: offline?)"
        return line


def check_site(
    site_dir: Path,
    *,
    cache: ResultsCache,
    docs_dir: Path | None = None,
    offline: bool = False,
    timeout: int = 15,
    now: float | None = None,
) -> LinkReport:
    """Check every external link of the built site in ``site_dir``; save new successes to ``cache``.

    ``offline`` checks nothing: links with a fresh cached success are ok, every other one is unchecked.
    """
    now = time.time() if now is None else now
    links = external_links(site_dir, docs_dir)
    report = LinkReport(offline=offline)
    to_check = []
    for url, places in links.items():
        remembered = cache.fresh(url, now)
        if remembered:
            detail = remembered.get("detail", "ok")
            report.verdicts.append(Verdict(url, "ok", detail, tuple(places), cached=True))
        elif offline:
            report.verdicts.append(Verdict(url, "unchecked", "offline mode: not checked", tuple(places)))
        else:
            to_check.append(url)
    for answer in run_linkchecker(to_check, timeout=timeout):
        report.verdicts.append(Verdict(answer.url, answer.status, answer.detail, tuple(links[answer.url])))
        if answer.status == "ok":
            cache.remember(answer.url, answer.detail, now)
        else:
            cache.forget(answer.url)
    report.verdicts.sort(key=lambda verdict: verdict.url)
    return report


def exit_code(report: LinkReport) -> int:
    """0 every link ok; 1 some link broken; 3 nothing broken but some link could not be checked."""
    if report.with_status("broken"):
        return EXIT_BROKEN
    if report.with_status("unchecked"):
        return EXIT_UNCHECKED
    return EXIT_OK
