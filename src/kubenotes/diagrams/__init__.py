"""Diagrams as code: every picture on the site rendered at build from a Python ``diagrams`` script.

Inside this package ``import diagrams`` still means mingrammer's library: imports are absolute, and
nothing here is called ``diagrams.py``. Modules are imported where they are used, so that loading
one (the manifest drawer in its subprocess) does not load the others.
"""
