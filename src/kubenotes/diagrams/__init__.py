"""Diagrams as code: every picture on the site rendered at build from a Python ``diagrams`` script.

Inside this package ``import diagrams`` still means mingrammer's library: imports are absolute, and
nothing here is called ``diagrams.py``.
"""

from kubenotes.diagrams.engine import SITE_DIR, render_project, script_jobs
from kubenotes.diagrams.render import DiagramError, Job, Report, render_jobs
from kubenotes.diagrams.webify import picture_size, webify

__all__ = ["SITE_DIR", "DiagramError", "Job", "Report", "picture_size", "render_jobs", "render_project",
           "script_jobs", "webify"]
