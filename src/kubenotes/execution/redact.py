"""Remove secrets from live output before it is cached or published.

Live blocks talk to a real (local) cluster, whose output can carry bearer tokens, client
certificates and keys, and Secret values. Two layers: structural rules (PEM blocks, JWTs, credential
fields, every Secret's ``data``) for output whose shape says "secret", and masking by value for output
whose shape says nothing — ``-o jsonpath='{.data.password}'``, custom columns, ``| base64 -d``. The
values come from :func:`collect_secret_values` (the kubeconfig's credentials, the Secret objects a page
created) and are masked as stored, base64-encoded and base64-decoded. Client-side output is left alone:
its Secret values are the literals the author wrote on the page, shown on purpose to explain base64.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

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
# Credential fields of a kubeconfig's users and clusters (auth-provider config included).
KUBECONFIG_SECRET_FIELDS = (
    "token",
    "password",
    "client-key-data",
    "client-certificate-data",
    "certificate-authority-data",
    "id-token",
    "refresh-token",
    "access-token",
    "client-secret",
)
SHORTEST_VALUE = 4  # shorter values would mask ordinary words; the structural rules still cover them
SUBSTRING_VALUE = 8  # from this length a value is masked wherever it occurs, shorter ones as whole tokens
BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
TOKEN_CHARS = r"[\w+/=]"


def collect_secret_values(
    *,
    kubeconfigs: Iterable[Mapping[str, Any]] = (),
    objects: Iterable[Any] = (),
    documents: Iterable[str] = (),
    values: Iterable[str] = (),
) -> frozenset[str]:
    """Every secret a live block could print: kubeconfig credentials, Secret ``data``/``stringData``.

    ``objects`` are parsed Kubernetes objects (Lists are walked), ``documents`` YAML or JSON text holding
    them (a page's manifests; unparsable text is skipped), ``values`` anything else (a token).
    """
    found = {value for value in values if isinstance(value, str)}
    for config in kubeconfigs:
        for section, field in (("users", "user"), ("clusters", "cluster")):
            for entry in config.get(section) or []:
                _credential_values(entry.get(field) if isinstance(entry, dict) else None, found)
    parsed = list(objects)
    for text in documents:
        try:
            parsed += list(yaml.safe_load_all(text))
        except yaml.YAMLError:
            continue
    for item in parsed:
        _secret_object_values(item, found)
    return frozenset(found)


def redact(text: str, values: Iterable[str] = ()) -> str:
    """Mask every known secret value (in each encoding), then PEM blocks, JWTs, credential fields and
    the values of every Secret's data/stringData."""
    text = _redact_values(text, values)
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
            lines[child] = f"{lines[child][: child_match.start('rest')]} {MASK}"
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


def _credential_values(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in KUBECONFIG_SECRET_FIELDS and isinstance(value, str):
                found.add(value)
            else:
                _credential_values(value, found)
    elif isinstance(node, list):
        for value in node:
            _credential_values(value, found)


def _secret_object_values(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("kind") == "Secret":
            for key in SECRET_VALUE_KEYS:
                if isinstance(node.get(key), dict):
                    found.update(str(value) for value in node[key].values() if value is not None)
        for value in node.values():
            _secret_object_values(value, found)
    elif isinstance(node, list):
        for value in node:
            _secret_object_values(value, found)


def _redact_values(text: str, values: Iterable[str]) -> str:
    forms = {form for value in values for form in _encodings(value) if len(form) >= SHORTEST_VALUE}
    if not forms:
        return text
    alternatives = [
        re.escape(form)
        if len(form) >= SUBSTRING_VALUE
        else rf"(?<!{TOKEN_CHARS}){re.escape(form)}(?!{TOKEN_CHARS})"
        for form in sorted(forms, key=len, reverse=True)
    ]
    return re.sub("|".join(alternatives), MASK, text)


def _encodings(value: str) -> set[str]:
    """The value as stored, base64-encoded and base64-decoded, each also line by line and JSON-escaped."""
    value = value.strip()
    forms = {value, base64.b64encode(value.encode()).decode()}
    if BASE64.fullmatch(value) and len(value) % 4 == 0:
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):
            forms.add(base64.b64decode(value, validate=True).decode("utf-8").strip())
    for form in list(forms):
        if "\n" in form:
            forms.update(line.strip() for line in form.splitlines() if len(line.strip()) >= SUBSTRING_VALUE)
        forms.add(json.dumps(form)[1:-1])
    return {form for form in forms if form}
