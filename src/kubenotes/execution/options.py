"""The options of an executed fence, read the same way by the Markdown stage and by the formatter.

The syntax is markdown-exec's (```` ```bash exec="on" result="yaml" returncode="1" ````) plus
``timeout="60"``. Only what the engine honours is accepted: an option markdown-exec knows but the engine
would ignore (``html``, ``session``, ``source``, ``tabs``, ...) or a malformed value is a problem at the
fence's line, never a silently different block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES = ("bash", "sh", "console")
LINE_ATTRIBUTE = "kn_line"  # added to executed fences by the Markdown stage, read by the formatter
FALSE_VALUES = frozenset({"", "no", "off", "false", "0"})
SUPPORTED = ("exec", "result", "returncode", "timeout")
SUPPORTED_HINT = 'an executed fence takes exec="on", result="LANGUAGE", returncode="N" and timeout="SECONDS"'


@dataclass(frozen=True)
class OptionProblem:
    """One wrong option: which, what is wrong, what to write."""

    option: str
    message: str
    hint: str


@dataclass(frozen=True)
class FenceOptions:
    """What an executed fence asks for; ``problems`` lists the options that were refused."""

    result: str = ""  # the output's highlighting language; plain text when empty
    returncode: int = 0  # the exit code the block is meant to end with
    timeout: float | None = None  # seconds; None: the setting for its kind of block
    line: int = 0  # the fence's page line, once the Markdown stage has written it
    problems: tuple[OptionProblem, ...] = ()


def is_executed(language: str, attributes: Mapping[str, str]) -> bool:
    """Whether the fence runs at build time (``exec`` set to anything but a false value)."""
    return language in LANGUAGES and attributes.get("exec", "").lower() not in FALSE_VALUES


def read_options(attributes: Mapping[str, str]) -> FenceOptions:
    """The options of an executed fence's ``key="value"`` attributes."""
    problems: list[OptionProblem] = []
    returncode = _whole(attributes.get("returncode", "0"))
    if returncode is None:
        problems.append(
            OptionProblem("returncode", "returncode= is not a whole number", 'write returncode="1"')
        )
    timeout = None
    if "timeout" in attributes:
        timeout = _seconds(attributes["timeout"])
        if timeout is None:
            problems.append(
                OptionProblem(
                    "timeout",
                    "timeout= is not a number of seconds above 0",
                    'write timeout="60" on the fence',
                )
            )
    for name in attributes:
        if name not in SUPPORTED and name != LINE_ATTRIBUTE:
            problems.append(
                OptionProblem(name, f"{name}= is not an option the build honours", SUPPORTED_HINT)
            )
    return FenceOptions(
        result=attributes.get("result", ""),
        returncode=returncode or 0,
        timeout=timeout,
        line=_whole(attributes.get(LINE_ATTRIBUTE, "0")) or 0,
        problems=tuple(problems),
    )


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _seconds(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 else None
