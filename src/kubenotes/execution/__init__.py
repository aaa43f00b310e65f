"""Executed shell blocks: client-side kubectl on every build, cluster commands in a guarded live mode.

Modules hold one stage each (commands: parse and classify; guard: live-mode context check; runner:
isolated bash with timeout; redact: secrets out of live output; cache: what a block's key covers;
engine: run, reuse or show one block; capability: the site stage; fence: the superfences formatter;
render: HTML for an outcome). Imported where used, so loading this package costs nothing.
"""
