"""Executed shell blocks: every exec fence of the site through the engine, cold cache then warm."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from table import Row

from kubenotes.execution import Block, BlockEngine, OutputCache
from kubenotes.execution.commands import strip_prompts
from kubenotes.execution.fences import scan


def measure(root: Path) -> list[Row]:
    blocks = [
        Block(strip_prompts(f.body) if f.language == "console" else f.body, f"{page}:{f.line}",
              int(f.attributes.get("returncode", "0")))
        for page in sorted((root / "docs").rglob("*.md"))
        for f in scan(page.read_text(encoding="utf-8"))
    ]
    with tempfile.TemporaryDirectory() as folder:
        cache = OutputCache(Path(folder))
        cold = _timed_pass(root, cache, blocks)
        warm = _timed_pass(root, cache, blocks)
    ran = cold[1]["ran"]
    per_block = f"{1000 * cold[0] / ran:.0f} ms" if ran else "-"
    return [
        Row("kubectl", "exec blocks on the site (client / not run)",
            f"{ran + cold[1]['failed']} / {cold[1]['shown']}", ">= 12 client"),
        Row("kubectl", "cold pass, empty cache", f"{cold[0]:.2f} s ({per_block} per client block)"),
        Row("kubectl", "warm pass", f"{1000 * warm[0]:.0f} ms"),
        Row("kubectl", "kubectl runs in the warm pass", str(warm[1]["ran"]), "0"),
    ]


def _timed_pass(root: Path, cache: OutputCache, blocks: list[Block]) -> tuple[float, Counter[str]]:
    engine = BlockEngine(root, cache)
    started = time.perf_counter()
    for block in blocks:
        engine.execute(block)
    elapsed = time.perf_counter() - started
    engine.close()
    return elapsed, engine.counts
