"""Kubernetes Field Notes engine: diagrams as code, manifest validation and executed kubectl.

The engine never imports MkDocs; the thin hooks in ``hooks/`` adapt MkDocs events to it.
``__version__`` is looked up on first use (importlib.metadata costs ~30 ms, every command would pay it).
"""

from __future__ import annotations

from functools import cache

__all__ = ["__version__"]


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kubenotes")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
