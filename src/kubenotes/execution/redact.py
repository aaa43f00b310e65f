"""Remove secrets from live output before it is cached or published.

Live blocks talk to a real (local) cluster, whose output can carry bearer tokens, client
certificates and keys, and Secret values. Client-side output is left alone: its Secret values are
the literals the author wrote on the page, shown on purpose to explain base64.
"""

from __future__ import annotations

import json
import re
from typing import Any

MASK = "REDACTED"
PEM_BLOCK = re.compile(
    r"(-----BEGIN (?P<label>[A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE))-----)[\s\S]*?(-----END (?P=label)-----)"
)
JWT = re.compile(r"\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}")
SECRET_FIELD = re.compile(
    r"""(?P<key>["']?(?:token|id-token|refresh-token|access-token|client-certificate-data|client-key-data|"""
    r"""client-secret|password)["']?\s*:\s*)(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s,}\n]+)""",
    re.IGNORECASE,
)
YAML_LINE = re.compile(r"^(?P<indent>\s*)(?P<dash>- )?(?P<key>[\w.-]+):(?P<rest>.*)$")
SECRET_VALUE_KEYS = ("data", "stringData")


def redact(text: str) -> str:
    """Mask PEM blocks, JWTs, credential fields and the values of every Secret's data/stringData."""
    text = _redact_json_secrets(text)
    text = _redact_yaml_secrets(text)
    text = PEM_BLOCK.sub(lambda m: f"{m[1]}\n{MASK}\n{m[3]}", text)
    text = JWT.sub(MASK, text)
    return SECRET_FIELD.sub(_mask_field, text)


def _mask_field(match: re.Match[str]) -> str:
    """Keep the value's quotes, so JSON output stays JSON."""
    quote = match["value"][0] if match["value"][0] in "\"'" else ""
    return f"{match['key']}{quote}{MASK}{quote}"


def _redact_json_secrets(text: str) -> str:
    """JSON output (``-o json``): walk the objects, mask Secret values, re-print as kubectl does."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return text
    try:
        data = json.loads(stripped)
    except ValueError:
        return text
    if not _mask_json(data):
        return text
    return json.dumps(data, indent=4) + "\n"


def _mask_json(node: Any) -> bool:
    changed = False
    if isinstance(node, dict):
        if node.get("kind") == "Secret":
            for key in SECRET_VALUE_KEYS:
                if isinstance(node.get(key), dict):
                    node[key] = dict.fromkeys(node[key], MASK)
                    changed = True
        for value in node.values():
            changed |= _mask_json(value)
    elif isinstance(node, list):
        for value in node:
            changed |= _mask_json(value)
    return changed


def _redact_yaml_secrets(text: str) -> str:
    """YAML output: for a data/stringData key whose sibling is ``kind: Secret``, mask the nested values."""
    lines = text.split("\n")
    parsed = [None if line.startswith("---") else YAML_LINE.match(line) for line in lines]
    for index, match in enumerate(parsed):
        if not match or match["key"] not in SECRET_VALUE_KEYS or match["rest"].strip():
            continue
        column = _key_column(match)
        if not _sibling_is_secret(lines, parsed, index, column):
            continue
        for child in range(index + 1, len(lines)):
            child_match = parsed[child]
            if not lines[child].strip():
                continue
            if child_match is None or _key_column(child_match) <= column:
                break
            lines[child] = f"{lines[child][:child_match.start('rest')]} {MASK}"
    return "\n".join(lines)


def _key_column(match: re.Match[str]) -> int:
    return len(match["indent"]) + (2 if match["dash"] else 0)


def _sibling_is_secret(lines: list[str], parsed: list[re.Match[str] | None], index: int, column: int) -> bool:
    """Look up and down the mapping that holds line ``index`` (within one document) for ``kind: Secret``."""
    for step in (-1, 1):
        position = index
        while 0 <= position + step < len(parsed):
            position += step
            match = parsed[position]
            if lines[position].startswith("---"):
                break
            if match is None:
                continue
            key_column = _key_column(match)
            if key_column < column or (match["dash"] and key_column == column and step == 1):
                break
            if key_column == column and match["key"] == "kind" and match["rest"].strip() == "Secret":
                return True
            if match["dash"] and key_column == column:  # first key of this list item: stop going up
                break
    return False
