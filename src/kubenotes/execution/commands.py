"""Read a shell block the way bash would (shlex) and decide where it may run.

These are friendly early errors and a routing decision, not the defence: a shell has too many ways to
hide a command (``$(...)``, ``env``, ``bash -c``, aliases) for text to decide safety. What a block can
reach is decided by the sandbox it runs in (``kubenotes.sandbox``).

A block is *client* when every command in it works without a cluster (kubectl with
``--dry-run=client``, ``kubectl kustomize``, ``kubectl version --client``, text tools); such blocks
run on every build, offline. A block that needs a cluster is *cluster* and runs only in live mode.
A block that uses a local-cluster tool (``minikube start``, ``minikube status``, ``kind get clusters``)
is *setup*: a build never runs it, because it starts, inspects or deletes a cluster on the reader's
machine (the sandbox hides that machine's Docker socket and ``~/.minikube`` anyway); so are
``kubectl config use-context`` and the other kubeconfig edits.
"""

from __future__ import annotations

import enum
import re
import shlex
from dataclasses import dataclass

# Programs that only transform text or read files: safe to run offline in any block.
TEXT_TOOLS = frozenset(
    {
        "echo",
        "printf",
        "base64",
        "cat",
        "grep",
        "head",
        "tail",
        "sort",
        "uniq",
        "cut",
        "tr",
        "wc",
        "sed",
        "awk",
        "diff",
        "true",
        "false",
        "jq",
        "yq",
    }
)
# kubectl subcommands that never contact an API server.
CLIENT_SUBCOMMANDS = frozenset({"kustomize", "completion", "help", "options"})
# Local-cluster tools: these subcommands create, stop or delete the cluster itself.
CLUSTER_TOOLS = frozenset({"minikube", "kind", "k3d"})
# `kubectl config` subcommands that edit the reader's kubeconfig rather than print something.
CONFIG_EDITS = frozenset(
    {
        "use-context",
        "use",
        "set-context",
        "delete-context",
        "rename-context",
        "set-cluster",
        "delete-cluster",
        "set-credentials",
        "delete-user",
        "set",
        "unset",
    }
)
# kubectl flags that would point a command at another cluster or identity than the guarded one.
CONNECTION_FLAGS = frozenset(
    {
        "--kubeconfig",
        "--context",
        "--cluster",
        "--user",
        "--server",
        "-s",
        "--token",
        "--as",
        "--insecure-skip-tls-verify",
    }
)
# Global kubectl flags that take a separate value (so the value is not mistaken for the subcommand).
VALUE_FLAGS = CONNECTION_FLAGS | {"-n", "--namespace", "--request-timeout", "-v", "--v"}
SEPARATORS = frozenset({";", "&&", "||", "|", "&", "|&", "(", ")"})
OUTPUT_REDIRECTIONS = frozenset({">", ">>", ">&", ">|", "&>", "&>>"})
# Where a redirection may point: nowhere, the terminal's streams, or another descriptor (`2>&1`, `>&-`).
HARMLESS_TARGETS = re.compile(r"/dev/(null|stdout|stderr)|&?\d+|&?-")
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
HEREDOC = re.compile(r"<<-?\s*['\"]?(?P<word>[A-Za-z_][\w-]*)['\"]?")


class BlockKind(enum.Enum):
    """Where a block may run: every build, live builds only, or never (shown only)."""

    CLIENT = "client"
    CLUSTER = "cluster"
    SETUP = "setup"


class CommandError(ValueError):
    """A block the engine refuses to run; the message says what to change."""


@dataclass(frozen=True)
class SimpleCommand:
    """One command of a pipeline or list: its words, and the block line it starts on (1-based)."""

    words: tuple[str, ...]
    line: int

    @property
    def program(self) -> str:
        return self.words[0] if self.words else ""


@dataclass(frozen=True)
class ParsedBlock:
    """A block's commands, every word in it (for finding files it reads) and where it may run."""

    commands: tuple[SimpleCommand, ...]
    words: tuple[str, ...]
    kind: BlockKind


def parse_block(script: str) -> ParsedBlock:
    """Split ``script`` into simple commands and classify it; raise CommandError on unsafe forms."""
    commands: list[SimpleCommand] = []
    words: list[str] = []
    for line_number, text in _logical_lines(script):
        try:
            lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()<>")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            tokens = list(lexer)
        except ValueError as error:
            raise CommandError(f"line {line_number}: cannot parse the command ({error})") from None
        words.extend(tokens)
        segments = _segments(tokens, line_number)
        commands.extend(SimpleCommand(tuple(seg), line_number) for seg in segments if seg)
    if not commands:
        raise CommandError("the block holds no command")
    return ParsedBlock(tuple(commands), tuple(words), _classify(commands))


def _logical_lines(script: str) -> list[tuple[int, str]]:
    """Lines with backslash continuations joined and heredoc bodies (stdin, not commands) skipped."""
    lines = script.splitlines()
    logical: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        start = index
        text = lines[index]
        while text.endswith("\\") and index + 1 < len(lines):
            index += 1
            text = text[:-1] + " " + lines[index]
        index += 1
        if text.lstrip().startswith("$ "):
            raise CommandError(f"line {start + 1}: drop the `$ ` prompt so readers can copy the command")
        heredoc = HEREDOC.search(text)
        if heredoc:
            while index < len(lines) and lines[index].strip() != heredoc["word"]:
                index += 1
            index += 1
        if text.strip():
            logical.append((start + 1, text))
    return logical


def _segments(tokens: list[str], line_number: int) -> list[list[str]]:
    """Split tokens on shell operators; drop leading VAR=value and redirections, refuse writes to files."""
    segments: list[list[str]] = [[]]
    skip_next = False
    for token in tokens:
        if skip_next:
            skip_next = False
            if not HARMLESS_TARGETS.fullmatch(token):
                raise CommandError(
                    f"line {line_number}: the block writes to '{token}'; a build must not "
                    "write files, pipe the output instead"
                )
            continue
        if token in SEPARATORS:
            segments.append([])
        elif token in OUTPUT_REDIRECTIONS or token == "<&":
            if segments[-1] and segments[-1][-1].isdigit():
                segments[-1].pop()  # the descriptor number of `2>...`, not an argument
            skip_next = True
        elif token in {"<", "<<", "<<<"}:
            continue
        elif not segments[-1] and ASSIGNMENT.match(token):
            if token.startswith("KUBECONFIG="):
                raise CommandError(
                    f"line {line_number}: setting KUBECONFIG in a block is not allowed; "
                    "the build chooses the cluster"
                )
        else:
            segments[-1].append(token)
    return segments


def _classify(commands: list[SimpleCommand]) -> BlockKind:
    kinds = {_command_kind(command) for command in commands}
    for kind in (BlockKind.SETUP, BlockKind.CLUSTER):
        if kind in kinds:
            return kind
    return BlockKind.CLIENT


def _command_kind(command: SimpleCommand) -> BlockKind:
    program = command.program
    if program == "kubectl":
        return _kubectl_kind(command)
    if program in CLUSTER_TOOLS:
        return BlockKind.SETUP
    if program in TEXT_TOOLS:
        return BlockKind.CLIENT
    return BlockKind.CLUSTER


def _kubectl_kind(command: SimpleCommand) -> BlockKind:
    args = list(command.words[1:])
    for word in args:  # every flag first: `--dry-run=client` before `--kubeconfig` must not hide it
        flag = word.split("=", 1)[0]
        if flag in CONNECTION_FLAGS:
            raise CommandError(
                f"line {command.line}: `{flag}` points kubectl elsewhere; the build "
                "chooses the cluster, so leave it out"
            )
    for index, word in enumerate(args):
        flag = word.split("=", 1)[0]
        if flag == "--dry-run":
            following = args[index + 1] if index + 1 < len(args) else ""
            value = word.split("=", 1)[1] if "=" in word else following
            if value == "client":
                return BlockKind.CLIENT
    subcommand = _subcommand(args)
    if subcommand == "config" and CONFIG_EDITS.intersection(args):
        return BlockKind.SETUP
    if subcommand in CLIENT_SUBCOMMANDS or "--help" in args or "-h" in args:
        return BlockKind.CLIENT
    if subcommand == "version" and any(word in {"--client", "--client=true"} for word in args):
        return BlockKind.CLIENT
    return BlockKind.CLUSTER


def _subcommand(args: list[str]) -> str:
    """The first word that is neither a flag nor the value of a global flag."""
    skip = False
    for word in args:
        if skip:
            skip = False
        elif word in VALUE_FLAGS:
            skip = True
        elif not word.startswith("-"):
            return word
    return ""


def strip_prompts(console: str) -> str:
    """The commands of a ``console`` block: lines after a ``$ `` prompt (the rest is sample output)."""
    return "\n".join(line[2:] for line in console.splitlines() if line.startswith(("$ ", "% ")))
