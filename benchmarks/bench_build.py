"""Whole-site builds measured side by side in one run: cold, warm, plain-Material baseline, warm Zensical,
one edited page, one edited diagram; engine work on the warm build from the build log; peak memory; site
weight.

Every build runs in a child process on a private copy of the sources, so edits never touch the working
tree. The baseline is the same docs/ built by plain Material: a generated ``mkdocs.baseline.yml`` without
the engine (no ``kubenotes`` plugin, no ``kubenotes.extension``, no executed-fence formatters) and with
missing-link validation at info level (the diagram images it no longer generates), built non-strict. It
skips all generated content, so it is a lower bound for any build of the same pages. The Zensical row is
``make build-zensical`` (a clean Zensical build through the same engine, with the same warm cache). Timed
builds alternate (warm, baseline, Zensical, warm, ...) so background load hits them alike; each row
reports the median of the repetitions.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from source_copy import copy_sources
from table import Row

REPEATS = int(os.environ.get("KUBENOTES_BENCH_REPEATS", "5"))
COLD_REPEATS = int(os.environ.get("KUBENOTES_BENCH_COLD_REPEATS", "2"))
# Build-log lines in which the engine counts its work (the diagrams and execution capabilities' summaries).
DIAGRAM_COUNT = re.compile(r"diagrams: (\d+) rendered, (\d+) from cache")
KUBECTL_COUNT = re.compile(r"kubectl blocks \([^)]*\): (\d+) ran, (\d+) from cache")
BASELINE_NOTE = "no engine plugin, extension or fence formatters; same docs/"
ENGINE_BLOCKS = (
    re.compile(r"^  - kubenotes\n", re.MULTILINE),  # the MkDocs adapter plugin
    re.compile(r"^  - kubenotes\.extension:\n(?:    .*\n|\n)*", re.MULTILINE),  # the engine's extension
    re.compile(r"^(  - pymdownx\.superfences):\n(?:    .*\n|\n)*", re.MULTILINE),  # its fence formatters
)


@dataclass(frozen=True)
class Build:
    """One finished ``mkdocs build``: wall time, the child's peak RSS, its log, where it wrote the site."""

    seconds: float
    max_rss_kib: int
    log: str
    site_dir: Path


class MissingCount(RuntimeError):
    """An engine's count line is absent from the build log: the benchmark cannot vouch for 0 work."""


def measure(root: Path) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="kubenotes-bench-") as scratch:
        work = Path(scratch)
        project = copy_sources(root, work / "project")
        baseline_config = write_baseline_config(project)
        cache = work / "cache"

        def site(name: str) -> Build:
            """The real site, strict, with the benchmark's own cache."""
            return build(project, project / "mkdocs.yml", work / name, cache=cache, strict=True)

        colds = []
        for _ in range(COLD_REPEATS):
            shutil.rmtree(cache, ignore_errors=True)
            colds.append(site("site-cold"))

        warms, baselines, zensicals = [], [], []
        for _ in range(REPEATS):  # side by side: the same background load lands on all three
            warms.append(site("site-warm"))
            baselines.append(build(project, baseline_config, work / "site-base", cache=work / "unused"))
            zensicals.append(zensical(project, cache=cache))
        warm_diagrams = [count(DIAGRAM_COUNT, b.log, "diagrams") for b in warms]
        warm_kubectl = [count(KUBECTL_COUNT, b.log, "kubectl blocks") for b in warms]

        page_edits = []
        page = edited_page(project)
        for n in range(REPEATS):
            with page.open("a", encoding="utf-8") as handle:
                handle.write(f"\nBenchmark edit {n}: one more sentence.\n")
            page_edits.append(site("site-edit"))

        script = edited_diagram(project)
        with script.open("a", encoding="utf-8") as handle:
            handle.write("\n# benchmark edit: a changed script must render again\n")
        diagram_edit = site("site-diagram")
        diagram_renders = count(DIAGRAM_COUNT, diagram_edit.log, "diagrams")

        cold_s = median(colds)
        warm_s = median(warms)
        base_s = median(baselines)
        zensical_s = median(zensicals)
        total, heaviest, heaviest_bytes = site_weight(colds[-1].site_dir)
        peak_kib = max(b.max_rss_kib for b in (*colds, *warms, *page_edits, diagram_edit))
        reps = f"median of {REPEATS}"
        return [
            Row("build", "cold build (empty caches)", f"{cold_s:.2f} s (median of {COLD_REPEATS})"),
            Row("build", "warm build (nothing changed)", f"{warm_s:.2f} s ({reps})"),
            Row("build", "baseline: plain Material, same pages", f"{base_s:.2f} s ({reps}; {BASELINE_NOTE})"),
            Row("build", "ratio warm / baseline", f"{warm_s / base_s:.2f}", "<= 1.10"),
            Row(
                "build",
                "Zensical build, same cache (make build-zensical)",
                f"{zensical_s:.2f} s ({reps}; {zensical_s / base_s:.2f} x baseline, clean Zensical build)",
            ),
            Row("build", "diagram renders on the warm build", spread(warm_diagrams), "0"),
            Row("build", "kubectl runs on the warm build", spread(warm_kubectl), "0"),
            Row(
                "build",
                f"edit one page ({page.relative_to(project)}) -> rebuild",
                f"{median(page_edits):.2f} s ({reps})",
            ),
            Row(
                "build",
                f"edit one diagram ({script.name}) -> renders",
                f"{diagram_renders} ({diagram_edit.seconds:.2f} s)",
                "1",
            ),
            Row("build", "peak memory of a build (ru_maxrss of the child)", f"{peak_kib / 1024:.0f} MiB"),
            Row("build", "total site size", f"{total / 1024 / 1024:.1f} MiB"),
            Row("build", "heaviest page (HTML + its images)", f"{heaviest} {heaviest_bytes / 1024:.0f} KiB"),
        ]


def build(project: Path, config: Path, site_dir: Path, *, cache: Path, strict: bool = False) -> Build:
    """Run one ``mkdocs build`` as a child."""
    command = [
        str(Path(sys.executable).parent / "mkdocs"),
        "build",
        "--config-file",
        str(config),
        "--site-dir",
        str(site_dir),
        *(["--strict"] if strict else []),
    ]
    return replace(_timed(command, project, cache, config.name), site_dir=site_dir)


def _timed(command: list[str], project: Path, cache: Path, what: str) -> Build:
    """One child process, timed; ``os.wait4`` gives that child's own peak memory."""
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        KUBENOTES_CACHE_DIR=str(cache),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    # Python caches compiled modules unless told not to; a machine that sets this would make every build
    # recompile the engine's sources (about 0.1 s) while plain Material's were compiled when installed.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        log.seek(0)
        text = log.read()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"benchmark build failed ({what}, exit {code}):\n{text[-4000:]}")
    return Build(seconds, usage.ru_maxrss, text, project / "site-zensical")


def zensical(project: Path, *, cache: Path) -> Build:
    """``make build-zensical`` as a child (the Zensical adapter), with the benchmark's cache."""
    command = [sys.executable, "-m", "kubenotes.adapters.zensical", "--site-dir", "site-zensical"]
    return _timed(command, project, cache, "zensical")


def write_baseline_config(project: Path) -> Path:
    """mkdocs.yml minus the engine (its plugin, extension and fence formatters), with links to images
    that only the engine would have generated logged instead of warned."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    for block in ENGINE_BLOCKS:
        if not block.search(text):
            raise RuntimeError(
                f"mkdocs.yml changed shape: no match for {block.pattern!r}; update the baseline"
            )
        text = block.sub(lambda m: f"{m[1]}\n" if m.groups() else "", text, count=1)
    text = re.sub(
        r"^validation:\n(?:  .*\n)+",
        "validation:\n  links:\n    not_found: info\n    unrecognized_links: info\n",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    path = project / "mkdocs.baseline.yml"
    path.write_text(text, encoding="utf-8")
    return path


def count(pattern: re.Pattern[str], log: str, engine: str) -> int:
    """The first number of the engine's count line; fail loudly when the line is missing."""
    found = pattern.findall(log)
    if not found:
        raise MissingCount(
            f"no '{engine}' count line in the build log (pattern {pattern.pattern!r}); "
            "the engine stopped logging its counts:\n" + log[-2000:]
        )
    return sum(int(match[0]) for match in found)


def edited_page(project: Path) -> Path:
    """A content page to edit: the longest one, so the edit exercises real engine work."""
    return max((project / "docs").rglob("*.md"), key=lambda path: path.stat().st_size)


def edited_diagram(project: Path) -> Path:
    """The diagram script to edit: cluster-architecture (the site's main picture) when present."""
    preferred = project / "diagrams" / "cluster-architecture.py"
    scripts = sorted(p for p in (project / "diagrams").glob("*.py") if not p.name.startswith(("_", "kn_")))
    if preferred.is_file():
        return preferred
    if not scripts:
        raise RuntimeError("no diagram script in diagrams/ to edit")
    return scripts[0]


def site_weight(site_dir: Path) -> tuple[int, str, int]:
    """Total bytes of the built site, and the page whose HTML plus local images weigh most."""
    from selectolax.lexbor import LexborHTMLParser

    total = sum(path.stat().st_size for path in site_dir.rglob("*") if path.is_file())
    weights = {}
    for page in site_dir.rglob("*.html"):
        images = set()
        for img in LexborHTMLParser(page.read_text(encoding="utf-8")).css("img[src]"):
            target = (page.parent / (img.attributes.get("src") or "").split("#")[0]).resolve()
            if target.is_file():
                images.add(target)
        weights[page] = page.stat().st_size + sum(image.stat().st_size for image in images)
    heaviest = max(weights, key=weights.get)
    return total, heaviest.relative_to(site_dir).parent.as_posix() + "/", weights[heaviest]


def median(builds: list[Build]) -> float:
    return statistics.median(b.seconds for b in builds)


def spread(values: list[int]) -> str:
    """A count over repetitions: one number when all agree, else min-max (any nonzero is a finding)."""
    return str(values[0]) if len(set(values)) == 1 else f"{min(values)}-{max(values)}"
