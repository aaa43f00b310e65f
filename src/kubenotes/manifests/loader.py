"""YAML text -> documents with the line and column of every key and value, rejecting duplicate keys.

PyYAML's loaders silently keep the last of two equal keys and turn unquoted dates into ``date``
objects. We compose nodes with libyaml (``CSafeLoader``, ~10x faster than the pure-Python loader)
and build plain Python values ourselves, so that duplicates are reported, dates and other
timestamps stay strings like kubectl keeps them, and every value keeps its position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # libyaml missing: same results, only slower
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column within the text given

_SCALARS = SafeConstructor()
_MERGE_TAG = "tag:yaml.org,2002:merge"
_CONVERTERS = {
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": _SCALARS.construct_yaml_bool,
    "tag:yaml.org,2002:int": _SCALARS.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALARS.construct_yaml_float,
}


@dataclass
class Document:
    """One YAML document: its value, where it starts, and where each field path sits."""

    data: Any
    line: int
    values: dict[FieldPath, Position] = field(default_factory=dict)
    keys: dict[FieldPath, Position] = field(default_factory=dict)
    duplicates: list[tuple[FieldPath, Position, Position]] = field(default_factory=list)

    def position(self, path: FieldPath, *, key: bool = False) -> Position:
        """Where ``path`` is written (its key when asked), else where its nearest written parent is."""
        while path:
            if key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
            key = True  # a missing field is best shown at the line of the key that should hold it
        return self.values.get((), (self.line, 1))


class YamlSyntaxError(ValueError):
    """The text is not YAML; carries the 1-based position libyaml reported."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def load_documents(text: str) -> Iterator[Document]:
    """Yield every non-empty document in ``text``; comment-only and empty documents yield nothing."""
    try:
        for node in yaml.compose_all(text, Loader=_Loader):
            if node is None:
                continue
            document = Document(data=None, line=node.start_mark.line + 1)
            document.data = _build(node, (), document)
            if document.data is not None:
                yield document
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise YamlSyntaxError(f"YAML syntax error: {problem}", line, column) from None


def _build(node: yaml.Node, path: FieldPath, document: Document) -> Any:
    document.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, path, document)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, index), document) for index, item in enumerate(node.value)]
    convert = _CONVERTERS.get(node.tag)
    # Everything else (strings, timestamps, binary, custom tags) stays the string that was written.
    return convert(node) if convert else node.value


def _build_mapping(node: yaml.MappingNode, path: FieldPath, document: Document) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    first_seen: dict[Any, tuple[int, int]] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE_TAG:
            _merge_into(result, value_node, path, document)
            continue
        key = _build(key_node, (*path, "<key>"), document)
        document.values.pop((*path, "<key>"), None)
        key_path = (*path, key)
        key_position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key in first_seen:
            document.duplicates.append((key_path, key_position, first_seen[key]))
        first_seen[key] = key_position
        document.keys[key_path] = key_position
        result[key] = _build(value_node, key_path, document)
    return result


def _merge_into(result: dict[Any, Any], value_node: yaml.Node, path: FieldPath, document: Document) -> None:
    """YAML merge keys (``<<: *defaults``): explicit keys win, as in kubectl's YAML library."""
    sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
    for source in sources:
        merged = _build(source, path, document)
        if isinstance(merged, dict):
            for key, value in merged.items():
                result.setdefault(key, value)
