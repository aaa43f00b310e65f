"""The console script is installed in the venv and answers --version."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kubenotes import __version__


def test_console_script_prints_version() -> None:
    script = Path(sys.executable).parent / "kubenotes"
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == f"kubenotes {__version__}"
    assert __version__ != "0+unknown"
