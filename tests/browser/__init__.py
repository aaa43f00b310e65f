"""Real-browser tests: the built site served on 127.0.0.1 and driven in headless Chromium.

A package (not a bare folder) so its conftest and helpers never collide with tests/conftest.py.
"""
