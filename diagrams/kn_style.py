"""The house style for the scripts in this folder: ``from kn_style import diagram, cluster, edge, step``.

It lives in the engine (``kubenotes.diagrams.style``) so manifest drawings share it; this module only
re-exports it. Files here named ``kn_*.py`` are shared modules; every other script is one picture.
"""

from kubenotes.diagrams.style import cluster, diagram, edge, step, text_box

__all__ = ["cluster", "diagram", "edge", "step", "text_box"]
