"""HTML for one block, kubernetes.io style: the copyable command, then its output, kept apart.

The highlighter is passed in (the capability gives the site's own pymdownx.highlight settings), so this
module stays free of any Markdown or generator import.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from kubenotes.execution.commands import BlockKind
from kubenotes.execution.engine import Outcome

Highlight = Callable[[str, str], str]  # (code, language) -> the HTML of a highlighted code block


def render_block(
    command: str, outcome: Outcome, result_language: str, highlight: Highlight, anchor: str
) -> str:
    """The command block, a line saying where the output came from, and the output block.

    ``anchor`` makes line anchors unique (were line numbers on): the highlighter numbers its blocks from 0,
    which would repeat the page's own ``__codelineno-0-1`` ids.
    """
    parts = [highlight(command, "bash")]
    if outcome.status in {"ran", "cached"}:
        parts.append(_label(_provenance(outcome)))
        if outcome.output.strip():
            parts.append(highlight(outcome.output.rstrip("\n"), result_language or "text"))
    elif outcome.status == "shown":
        parts.append(_not_run_note(outcome.kind))
    else:
        parts.append(_label("This block failed when the site was built:"))
        parts.append(highlight(outcome.error or outcome.output, "text"))
    kind = outcome.kind.value if outcome.kind else "invalid"
    attributes = f'class="kn-exec" data-kn-exec="{outcome.status}" data-kn-kind="{kind}"'
    body = "\n".join(parts).replace("__codelineno-", f"__codelineno-{anchor}-")
    return f"<div {attributes}>{body}</div>"


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
