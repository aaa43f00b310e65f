"""Executed shell blocks: client-side kubectl on every build, cluster commands in a guarded live mode.

Public API used by ``hooks/kubectl_blocks.py`` and the tests; the modules below hold one stage each
(commands: parse and classify; guard: live-mode context check; runner: isolated bash with timeout;
redact: secrets out of live output; cache: output cache; fences: block lines in a page;
render: Markdown for an outcome; engine: the per-build orchestrator).
"""

from kubenotes.execution.cache import OutputCache
from kubenotes.execution.commands import BlockKind, CommandError, parse_block
from kubenotes.execution.engine import Block, BlockEngine, Outcome
from kubenotes.execution.guard import KubeContext, LiveRefused, check_live_context, is_local_context
from kubenotes.execution.redact import redact
from kubenotes.execution.settings import Settings

__all__ = [
    "Block",
    "BlockEngine",
    "BlockKind",
    "CommandError",
    "KubeContext",
    "LiveRefused",
    "Outcome",
    "OutputCache",
    "Settings",
    "check_live_context",
    "is_local_context",
    "parse_block",
    "redact",
]
