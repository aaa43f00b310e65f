"""HTML for one block, kubernetes.io style: the copyable command, then its output, kept apart.

The Markdown-to-HTML conversion is passed in (the hook gives markdown-exec's converter), so this
module stays free of any Markdown or MkDocs import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from kubenotes.execution.commands import BlockKind
from kubenotes.execution.engine import Outcome

Convert = Callable[[str], str]
BACKTICK_RUN = re.compile(r"`{3,}")


def render_block(command: str, outcome: Outcome, result_language: str, convert: Convert, anchor: str) -> str:
    """The command block, a line saying where the output came from, and the output block.

    ``anchor`` makes the line anchors unique: each nested conversion numbers its code blocks from 0,
    which would repeat the page's own ``__codelineno-0-1`` ids.
    """
    parts = [code_fence("bash", command)]
    if outcome.status in {"ran", "cached"}:
        parts.append(_label(_provenance(outcome)))
        if outcome.output.strip():
            parts.append(code_fence(result_language or "text", outcome.output.rstrip("\n")))
    elif outcome.status == "shown":
        parts.append(_not_run_note(outcome.kind))
    else:
        parts.append(_label("This block failed when the site was built:"))
        parts.append(code_fence("text", outcome.error or outcome.output))
    kind = outcome.kind.value if outcome.kind else "invalid"
    attributes = f'class="kn-exec" data-kn-exec="{outcome.status}" data-kn-kind="{kind}"'
    body = convert("\n\n".join(parts)).replace("__codelineno-", f"__codelineno-{anchor}-")
    return f"<div {attributes}>{body}</div>"


def code_fence(language: str, text: str) -> str:
    """A fenced block longer than any backtick run inside ``text``."""
    longest = max((len(run) for run in BACKTICK_RUN.findall(text)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _provenance(outcome: Outcome) -> str:
    context = html.escape(outcome.context or "")
    where = f" against the local cluster <code>{context}</code>" if context else ""
    notes = [f"kubectl {html.escape(outcome.kubectl_version)}"] if outcome.kubectl_version else []
    if outcome.returncode:
        notes.append(f"exit code {outcome.returncode} as intended")
    details = f" ({', '.join(notes)})" if notes else ""
    return f"Output, produced by running the command{where} when this site was built{details}:"


def _label(text: str) -> str:
    return f'<p class="kn-exec-label">{text}</p>'


def _not_run_note(kind: BlockKind | None) -> str:
    if kind is BlockKind.SETUP:
        title, text = (
            "Runs on your machine",
            "The site build never runs this command: it starts, inspects "
            "or changes a local cluster or your kubeconfig. Run it yourself.",
        )
    else:
        title, text = (
            "Needs a cluster",
            "This command was not run when the site was built; run it against "
            "a local cluster (minikube or kind) to see your own output.",
        )
    return (
        f'<div class="admonition info kn-exec-not-run"><p class="admonition-title">{title}</p>'
        f"<p>{text}</p></div>"
    )
