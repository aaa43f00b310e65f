"""`make bench`: run every benchmarks/bench_*.py module side by side in one process run, print one table.

Each module exposes ``measure(root: Path) -> list[Row]``. Run from the project root; module names as
arguments run only those (the table then compares only what they measure side by side).
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The helper scripts the benchmarks import (the source copy, the Lighthouse table), as the tests do.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from table import Row, render


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    rows: list[Row] = []
    failed = []
    chosen = set(sys.argv[1:])  # e.g. `python benchmarks/run.py bench_build`: only those modules
    for module_path in sorted(Path(__file__).parent.glob("bench_*.py")):
        if chosen and module_path.stem not in chosen:
            continue
        print(f"==> {module_path.stem}", file=sys.stderr, flush=True)
        try:
            rows.extend(importlib.import_module(module_path.stem).measure(root))
        except Exception:  # one broken benchmark must not throw away the others' measurements
            traceback.print_exc()
            failed.append(module_path.stem)
            rows.append(Row(module_path.stem.removeprefix("bench_"), "FAILED (traceback above)", "-"))
    print(render(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
