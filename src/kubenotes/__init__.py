"""Kubernetes Field Notes engine: diagrams as code, manifest validation and executed kubectl.

The engine never imports MkDocs; the thin hooks in ``hooks/`` adapt MkDocs events to it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kubenotes")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
