"""Executed shell blocks: every page of the site converted through the engine (Python-Markdown with the
site's extensions, the real fence formatter), cold cache then warm, with only the execution and manifest
capabilities in the build so the numbers are the blocks' own."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import markdown
from table import Row

from kubenotes.execution.capability import ExecutionCapability
from kubenotes.manifests.site import ManifestsCapability
from kubenotes.project import EXTENSION_NAME, Project
from kubenotes.settings import load_settings
from kubenotes.site import session
from kubenotes.site.build import Build
from kubenotes.site.standalone import markdown_options


def measure(root: Path) -> list[Row]:
    config = root / "mkdocs.yml"
    with tempfile.TemporaryDirectory() as folder:
        cold = _timed_pass(root, config, Path(folder))
        warm = _timed_pass(root, config, Path(folder))
    ran = cold[1]["ran"]
    per_block = f"{1000 * cold[0] / ran:.0f} ms" if ran else "-"
    return [
        Row(
            "kubectl",
            "exec blocks on the site (client / not run)",
            f"{ran + cold[1]['failed']} / {cold[1]['shown']}",
            ">= 12 client",
        ),
        Row(
            "kubectl",
            "cold pass, empty cache (every page converted)",
            f"{cold[0]:.2f} s ({per_block} per client block)",
        ),
        Row("kubectl", "warm pass", f"{warm[0]:.2f} s"),
        Row("kubectl", "kubectl runs in the warm pass", str(warm[1]["ran"]), "0"),
        Row("kubectl", "failed blocks", str(cold[1]["failed"] + warm[1]["failed"]), "0"),
    ]


def _timed_pass(root: Path, config: Path, cache: Path) -> tuple[float, Counter[str]]:
    project = replace(Project.from_config_file(config), cache_dir=cache)
    names, options = markdown_options(config)
    build = Build(
        project, load_settings(options.get(EXTENSION_NAME)), defer=True, reporter=lambda found: None
    )
    for kind in (ExecutionCapability, ManifestsCapability):
        build.capabilities[kind.name] = kind(build)
    session.activate(build)
    started = time.perf_counter()
    for src_uri, path in project.pages():
        text = path.read_text(encoding="utf-8")
        build.begin_page(src_uri, text)
        markdown.Markdown(extensions=names, extension_configs=options).convert(text)
    elapsed = time.perf_counter() - started
    counts = Counter(build.capability("execution").engine.counts)
    build.close()
    session.deactivate(build)
    return elapsed, counts
