"""Run one diagram script and record the project files it opens, so its picture is drawn again when a data
file it reads changes: ``python -m kubenotes.diagrams.traced SCRIPT OUTDIR``.

Python reports every file a script opens to audit hooks (``open`` events: ``open()``, ``Path.read_text``,
csv, json and numpy readers alike). The files under ``KUBENOTES_PROJECT_ROOT`` are written to
``OUTDIR/.kubenotes-inputs.json``; the renderer stores their digests with the picture and renders again
when one changes. The script runs as ``__main__`` with ``sys.argv == [SCRIPT, OUTDIR]``, exactly as when
an author runs ``python diagrams/x.py OUTDIR``.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path

INPUTS_FILE = ".kubenotes-inputs.json"
ROOT_ENV = "KUBENOTES_PROJECT_ROOT"


def main(argv: list[str]) -> int:
    script, outdir = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    root = Path(os.environ.get(ROOT_ENV) or script.parent.parent).resolve()
    opened: set[Path] = set()

    def record(event: str, args: tuple[object, ...]) -> None:
        if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            opened.add(Path(os.fsdecode(args[0])))

    sys.addaudithook(record)
    sys.argv = [str(script), str(outdir)]
    sys.path.insert(0, str(script.parent))
    try:
        runpy.run_path(str(script), run_name="__main__")
    finally:
        inputs = sorted(
            {p.resolve().relative_to(root).as_posix() for p in opened if _is_input(p, root, script, outdir)}
        )
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / INPUTS_FILE).write_text(json.dumps(inputs), encoding="utf-8")
    return 0


def _is_input(path: Path, root: Path, script: Path, outdir: Path) -> bool:
    try:
        resolved = path.resolve()
    except OSError:
        return False
    if resolved == script or resolved.is_relative_to(outdir) or "__pycache__" in resolved.parts:
        return False
    return resolved.is_relative_to(root) and resolved.is_file()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
