"""The executed-blocks capability: ``bash``/``sh``/``console`` fences with ``exec="on"`` run at build time,
through the engine only (isolated, cached, timed), and cluster commands only in a guarded live build.

The Markdown stage marks each executed fence with its page line (so a failure names ``page:line`` even
after other expansions) and, in a live build, drops the labelled sample output the real output replaces.
The fence itself is rendered by :mod:`kubenotes.execution.fence`, which calls :meth:`render_fence`.
"""

from __future__ import annotations

import os

from markdown import Markdown

from kubenotes.execution.commands import CommandError, parse_block, strip_prompts
from kubenotes.execution.engine import Block, BlockEngine, probe_isolation_early
from kubenotes.execution.guard import LiveRefused, check_live_context
from kubenotes.execution.options import LINE_ATTRIBUTE, FenceOptions, is_executed, read_options
from kubenotes.execution.redact import collect_secret_values
from kubenotes.execution.render import render_block
from kubenotes.markers import Edit, Fence, PageScan
from kubenotes.problems import ProblemsFound, problem
from kubenotes.site.capability import Capability
from kubenotes.site.page import Page

SAMPLE_INTRO = "The output is similar to:"
LITERAL = "--from-literal"


class ExecutionCapability(Capability):
    name = "execution"

    def __init__(self, build) -> None:  # type: ignore[no-untyped-def]
        super().__init__(build)
        settings = build.settings.kubectl_blocks
        live = None
        if build.live_requested:
            try:
                live = check_live_context(os.environ, settings.local_contexts)
            except LiveRefused as error:
                raise ProblemsFound(
                    [problem("live build", 0, str(error), hint="run `make build` for an offline build")]
                ) from None
        self.engine = BlockEngine(build.project.root, build.cache, settings, live)
        probe_isolation_early()
        self._blocks_on_page: dict[str, int] = {}
        self._page_secrets: dict[str, frozenset[str]] = {}

    def page_edits(self, page: Page, scan: PageScan) -> list[Edit]:
        if self.engine.live is not None:
            self._page_secrets[page.display] = self._secrets(scan)
        edits = []
        for index, fence in enumerate(scan.fences):
            if not _executed(fence):
                continue
            line = page.line(fence.line)
            for wrong in read_options(fence.attributes).problems:
                page.problem(line, wrong.message, field=wrong.option, hint=wrong.hint)
            edits.append(Edit.line(fence.line, _with_line(scan.lines[fence.line - 1], line)))
            sample = _sample_after(scan, index)
            if sample and self.engine.runs_live(_commands(fence.language, fence.body)):
                edits.append(Edit(sample[0], sample[1], ""))
        return edits

    def render_fence(self, page: Page, language: str, code: str, options: FenceOptions, md: Markdown) -> str:
        """The HTML of one executed fence; a failure is a problem at the fence's page line."""
        script = _commands(language, code)
        secrets = self._page_secrets.get(page.display, frozenset())
        outcome = self.engine.execute(Block(script, options.returncode, options.timeout, secrets))
        if outcome.error:
            page.problem(options.line, outcome.error, field=f"{language} exec")
        elif outcome.output.strip():
            self.build.capability("manifests").check_output(page, options.line, outcome.output)
        count = self._blocks_on_page[page.display] = self._blocks_on_page.get(page.display, 0) + 1
        return render_block(script, outcome, options.result, self.build.highlighter(md), f"kn{count}")

    def summary(self) -> str:
        return self.engine.summary()

    def _secrets(self, scan: PageScan) -> frozenset[str]:
        """What a live block on this page could print of the Secrets the site creates: the data of every
        Secret in the snippets and in the page's manifests, and every ``--from-literal`` in its blocks."""
        snippets = self.build.capability("manifests").snippets.values()
        documents = [snippet.text for snippet in snippets if "Secret" in snippet.text]
        documents += [f.body for f in scan.fences if f.language in ("yaml", "yml") and "Secret" in f.body]
        literals = [value for fence in scan.fences if _executed(fence) for value in _literals(fence.body)]
        return collect_secret_values(documents=documents, values=literals)

    def close(self) -> None:
        self.engine.close()


def _literals(script: str) -> list[str]:
    """The values of ``--from-literal=key=value`` (or ``--from-literal key=value``) in a block."""
    try:
        words = list(parse_block(script).words)
    except CommandError:
        return []
    found = []
    for index, word in enumerate(words):
        if word.startswith(f"{LITERAL}="):
            found.append(word.split("=", 2)[-1])
        elif word == LITERAL and index + 1 < len(words):
            found.append(words[index + 1].split("=", 1)[-1])
    return [value for value in found if value]


def _executed(fence: Fence) -> bool:
    return is_executed(fence.language, fence.attributes)


def _commands(language: str, code: str) -> str:
    return strip_prompts(code) if language == "console" else code


def _with_line(opening: str, line: int) -> str:
    """The fence's opening line with ``kn_line="N"`` among its attributes."""
    attribute = f' {LINE_ATTRIBUTE}="{line}"'
    stripped = opening.rstrip()
    if stripped.endswith("}"):
        return stripped[:-1].rstrip() + attribute + " }"
    return stripped + attribute


def _sample_after(scan: PageScan, index: int) -> tuple[int, int] | None:
    """The lines of "The output is similar to:" and the fence after it, when they follow fence ``index``."""
    fence = scan.fences[index]
    number = fence.close_line + 1
    while number <= len(scan.lines) and not scan.lines[number - 1].strip():
        number += 1
    if number > len(scan.lines) or scan.lines[number - 1].strip() != SAMPLE_INTRO:
        return None
    following = scan.fences[index + 1] if index + 1 < len(scan.fences) else None
    between = range(number + 1, following.line) if following else range(0)
    if following is None or any(scan.lines[n - 1].strip() for n in between):
        return None
    return number, following.close_line
