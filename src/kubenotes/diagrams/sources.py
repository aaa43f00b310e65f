"""Which scripts are pictures, and everything a picture's bytes depend on (for its cache key).

Every ``diagrams/*.py`` is one picture except shared modules, named ``kn_*.py``. A script's key covers
its own bytes, every local module it imports (found by reading its imports, recursively), the
``diagrams``, Graphviz and Pillow versions, and the engine's diagram code (house style, theme, icons,
post-processing).
"""

from __future__ import annotations

import ast
import functools
import re
import subprocess
from importlib.metadata import version
from pathlib import Path

from kubenotes.cache import digest

SHARED_MODULE_PREFIX = "kn_"
# The engine code every rendered picture passes through (a change here renders every picture again);
# manifest drawings add DRAWING_MODULES. The cache keys of other modules' changes do not move.
RENDER_MODULES = ("style", "theme", "webify", "icons", "traced", "render")
DRAWING_MODULES = ("draw_manifest", "manifest_graph", "policy_graph")
INSTALL_GRAPHVIZ = (
    "install Graphviz: `make bootstrap` does it (apt-get install graphviz; macOS: brew install graphviz)"
)


class ToolMissing(RuntimeError):
    """A tool every picture needs (Graphviz's dot) is missing or broken."""


NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def find_scripts(scripts_dir: Path) -> list[Path]:
    """The picture scripts in ``scripts_dir``, sorted by name."""
    if not scripts_dir.is_dir():
        return []
    return sorted(p for p in scripts_dir.glob("*.py") if not p.name.startswith((SHARED_MODULE_PREFIX, "_")))


def local_imports(script: Path) -> list[Path]:
    """Modules next to ``script`` that it imports, directly or through each other, sorted."""
    found: set[Path] = set()
    pending = [script]
    while pending:
        current = pending.pop()
        for name in _imported_names(current.read_bytes()):
            candidate = script.parent / f"{name}.py"
            if candidate.is_file() and candidate not in found:
                found.add(candidate)
                pending.append(candidate)
    return sorted(found)


@functools.lru_cache(maxsize=1024)
def _imported_names(source: bytes) -> frozenset[str]:
    """Top-level names a module's source imports, by content: the shared modules every script imports are
    parsed once per build, not once per script."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()  # the render reports it with its line; the key still covers the bytes
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return frozenset(names)


@functools.cache
def toolchain_fingerprint() -> str:
    """The diagrams and Graphviz versions and the engine's own code (style, theme, post-processing).

    Raises ToolMissing when Graphviz cannot run, so the build says what to install instead of a traceback.
    """
    try:
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        raise ToolMissing(f"Graphviz cannot run ({error})") from None
    return digest(
        version("diagrams"),
        version("pillow"),
        dot.stderr.strip() or dot.stdout.strip(),
        modules_digest(*RENDER_MODULES),
    )


@functools.cache
def modules_digest(*names: str) -> str:
    """The source of the engine's diagram modules that shape a picture's bytes."""
    here = Path(__file__).parent
    return digest(*(part for name in names for part in (name, (here / f"{name}.py").read_bytes())))


def script_key(script: Path) -> str:
    """Cache key of one script's render."""
    parts: list[str | bytes] = ["script", script.stem, script.read_bytes()]
    for module in local_imports(script):
        parts += [module.name, module.read_bytes()]
    return digest(*parts, toolchain_fingerprint())
