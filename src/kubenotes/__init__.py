"""Kubernetes Field Notes engine: diagrams as code, manifest validation and executed kubectl.

The engine knows no generator; ``kubenotes.adapters`` wires it into MkDocs and Zensical.
``__version__`` is looked up on first use (importlib.metadata costs ~30 ms, every command would pay it).
"""

from __future__ import annotations

import functools

__all__ = ["__version__"]


@functools.cache  # not `from functools import cache`: that name would hide kubenotes.cache
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
