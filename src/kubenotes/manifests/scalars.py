"""What an unquoted YAML scalar means, the way kubectl reads it (go-yaml v2 via sigs.k8s.io/yaml).

PyYAML follows YAML 1.1 to the letter and so disagrees with kubectl on a few plain scalars that occur
in real manifests: ``y``/``n`` are booleans for kubectl, ``1e3`` is a number, ``8080:80`` is a string
(PyYAML reads a base-60 integer), ``0o17`` is octal. Timestamps stay strings, as kubectl keeps them.
Map keys that are numbers or booleans become strings, as kubectl's YAML-to-JSON step does.
"""

from __future__ import annotations

import math
import re
from typing import Any

MERGE = object()  # the ``<<`` merge key

_WORDS: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
    "<<": MERGE,
}
_NUMBER_START = frozenset("0123456789+-.")
_GO_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INT_MIN, _UINT_MAX = -(2**63), 2**64 - 1  # what Go's ParseInt/ParseUint accept; beyond: a float
_CACHE_LIMIT = 50_000
_cache: dict[str, Any] = {}

TAGGED = {
    "tag:yaml.org,2002:null": type(None),
    "tag:yaml.org,2002:bool": bool,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
}


def plain(text: str) -> Any:
    """The value of an unquoted, untagged scalar (memoised: keys and common values repeat a lot)."""
    try:
        return _cache[text]
    except KeyError:
        pass
    value = _resolve(text)
    if len(text) <= 64:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[text] = value
    return value


def tagged(text: str, tag: str) -> Any:
    """The value of a scalar with an explicit ``!!null``/``!!bool``/``!!int``/``!!float`` tag.

    Raises ValueError when the text is not of that type (kubectl refuses it too)."""
    wanted = TAGGED[tag]
    value = _resolve(text)
    if wanted is float and type(value) is int:
        return float(value)
    if type(value) is not wanted or value is MERGE:
        raise ValueError(f'"{text}" is not a valid !!{tag.rsplit(":", 1)[1]}')
    return value


def json_key(key: Any) -> str | None:
    """A map key as kubectl turns it into JSON: strings stay, numbers and booleans become text,
    anything else (null, a list, a map) has no JSON form (None)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float) and math.isfinite(key):
        return go_float(key)
    return None


def go_float(value: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'g', -1, 64)``: shortest digits, exponent form below 1e-4 or from 1e6."""
    from decimal import Decimal  # only for the rare float map key

    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    power = len(digits) - 1 + int(exponent)
    minus = "-" if sign else ""
    if power < -4 or power >= 6:
        fraction = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{minus}{digits[0]}{fraction}e{'-' if power < 0 else '+'}{abs(power):02d}"
    return f"{minus}{Decimal(repr(abs(value))).normalize():f}"


def _resolve(text: str) -> Any:
    if text in _WORDS:
        return _WORDS[text]
    if not text or text[0] not in _NUMBER_START:
        return text
    if text[0] == ".":
        return _float(text)
    digits = text.replace("_", "")
    if _GO_INT.fullmatch(digits) and _INT_MIN <= (number := _go_int(digits)) <= _UINT_MAX:
        return number
    if _YAML_FLOAT.fullmatch(digits):
        return float(digits)
    return text


def _go_int(digits: str) -> int:
    sign = -1 if digits[0] == "-" else 1
    body = digits.lstrip("+-").lower()
    if body.startswith(("0x", "0o", "0b")):
        return sign * int(body[2:], {"x": 16, "o": 8, "b": 2}[body[1]])
    if len(body) > 1 and body[0] == "0":
        return sign * int(body, 8)
    return sign * int(body)


def _float(text: str) -> Any:
    try:
        return float(text) if _YAML_FLOAT.fullmatch(text) else text
    except ValueError:
        return text
