"""YAML text -> documents, read the way kubectl reads them and safe on hostile input.

libyaml (PyYAML's C parser) turns the text into events; the values are built here, without recursion,
so that no input can crash the process:

- nesting deeper than MAX_DEPTH levels, alias expansion beyond kubectl's own limit ("billion laughs"),
  an alias to the collection that holds it, and keys that JSON cannot hold are errors at their line;
- plain scalars mean what they mean to kubectl (``scalars``), duplicate keys are reported, and an
  escaped single quote in a double-quoted string (``"it\\'s"``), which kubectl accepts, is accepted;
- a broken document is one error; reading goes on at the next ``---``.

Positions are not recorded while building (most documents have nothing to report): a document that
needs them re-reads its own text once, on the first call to :meth:`Document.position`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from kubenotes.manifests.scalars import MERGE, TAGGED, json_key, plain, tagged

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column within the text given

# No Kubernetes object comes close (a deep CRD schema is ~60); the schema validator gives up near 300.
MAX_DEPTH = 200
_NO_KEY = object()
_DOCUMENT_START = re.compile(r"^---(?=[ \t\r\n]|$)", re.MULTILINE)
_UNKNOWN_ESCAPE = "found unknown escape character"
MAX_QUOTE_FIXES = 100  # per document; each one re-reads it
_SLASH_ESCAPE = "\\/"


class YamlSyntaxError(ValueError):
    """The text cannot be read as Kubernetes YAML; carries the 1-based position of the problem."""

    def __init__(self, message: str, line: int, column: int, index: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.index = index  # character offset in the text being parsed, to resume after the error


class Located:
    """Where each field path of one document is written."""

    __slots__ = ("duplicates", "keys", "values")

    def __init__(self) -> None:
        self.values: dict[FieldPath, Position] = {}
        self.keys: dict[FieldPath, Position] = {}
        self.duplicates: list[tuple[FieldPath, Position, Position]] = []


class Document:
    """One YAML document: its value, the line it starts on, and (on demand) where each field sits.

    A plain class, made once per document (the validator's start-up imports no ``dataclasses``)."""

    __slots__ = ("_located", "data", "has_duplicates", "key_at", "line", "source", "span", "span_line")

    def __init__(
        self,
        data: Any,
        line: int,
        has_duplicates: bool = False,
        source: str = "",
        span: tuple[int, int] = (0, 0),
        span_line: int = 0,
        key_at: dict[tuple[int, str], Position] | None = None,
    ) -> None:
        self.data = data
        self.line = line
        self.has_duplicates = has_duplicates
        self.source = source  # the whole text it was read from (shared, not copied)
        self.span = span  # where in ``source`` this document is (from the start of a line)
        self.span_line = span_line  # the 0-based line of ``source`` where ``span`` starts
        # Where a few keys are, by (id of the mapping holding it, key): the top-level keys and every
        # ``image``, noted while reading, because most findings point there (an unpinned image, a
        # removed apiVersion, an unknown kind) and would otherwise make the document be read twice.
        self.key_at: dict[tuple[int, str], Position] = key_at if key_at is not None else {}
        self._located: Located | None = None

    def __repr__(self) -> str:
        return f"Document(data={self.data!r}, line={self.line})"

    @property
    def values(self) -> dict[FieldPath, Position]:
        return self.locate().values

    @property
    def keys(self) -> dict[FieldPath, Position]:
        return self.locate().keys

    @property
    def duplicates(self) -> list[tuple[FieldPath, Position, Position]]:
        return self.locate().duplicates if self.has_duplicates else []

    def _noted_key(self, path: FieldPath) -> Position | None:
        parent = self.data
        for step in path[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                return None
        return self.key_at.get((id(parent), path[-1]))  # type: ignore[arg-type]

    def locate(self) -> Located:
        """Read this document once more, recording positions (done only for documents with findings)."""
        if self._located is None:
            try:
                text = self.source[self.span[0] : self.span[1]]
                events = _events(text)
                events()  # stream start
                events()  # document start
                self._located = _build(events, Located(), self.span_line, text)[0]
            except (yaml.YAMLError, YamlSyntaxError):
                self._located = Located()  # the first read succeeded, so this cannot happen; stay safe
        return self._located

    def position(self, path: FieldPath, *, key: bool = False) -> Position:
        """Where ``path`` is written (its key when asked), else where its nearest written parent is."""
        if key and path and (known := self._noted_key(path)):
            return known
        located = self.locate()
        while path:
            if key and path in located.keys:
                return located.keys[path]
            if path in located.values:
                return located.values[path]
            path = path[:-1]
            key = True  # a missing field is best shown at the line of the key that should hold it
        return located.values.get((), (self.line, 1))


def format_path(path: FieldPath) -> str:
    """``("spec", "containers", 0, "image")`` -> ``spec.containers[0].image``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def load_documents(text: str) -> Iterator[Document]:
    """Yield every non-empty document in ``text``; raise YamlSyntaxError at the first broken one."""
    for item in read_documents(text):
        if isinstance(item, YamlSyntaxError):
            raise item
        yield item


def read_documents(text: str) -> Iterator[Document | YamlSyntaxError]:
    """Every non-empty document in ``text`` and, in its place, an error for each broken one."""
    offset, line_shift, quote_fixes = 0, 0, 0
    while True:
        current = [offset, line_shift]  # where the document being read starts (index, 0-based line)
        try:
            for document in _documents(text, offset, line_shift, current):
                quote_fixes = 0
                yield document
            return
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            index = offset + (mark.index if mark else 0)
            if (
                exc.problem == _UNKNOWN_ESCAPE
                and text.startswith("\\'", index)
                and quote_fixes < MAX_QUOTE_FIXES
            ):
                # kubectl's YAML reader takes \' in a double-quoted string as a quote; libyaml does not.
                # Replace that escape and read the document again (later columns on the line move by 1).
                text = f"{text[:index]}'{text[index + 2 :]}"
                quote_fixes += 1
                offset, line_shift = current
                continue
            problem = " ".join(part for part in (exc.context, exc.problem) if part)
            line = line_shift + (mark.line if mark else 0) + 1
            error = YamlSyntaxError(f"YAML syntax error: {problem}", line, (mark.column if mark else 0) + 1)
        except YamlSyntaxError as exc:
            error, index = exc, offset + exc.index
        yield error
        resume = _next_document(text, index, after=current[0])
        if resume is None:
            return
        error_line_start = text.rfind("\n", 0, index) + 1
        line_shift = error.line - 1 + text.count("\n", error_line_start, resume)
        offset, quote_fixes = resume, 0


def read_json_documents(text: str) -> Iterator[Document | YamlSyntaxError]:
    """The JSON values in ``text`` (one, or several in a row, as kubectl reads them), or the error.

    JSON is read with a JSON parser (``1e3`` is a number, unlike in YAML 1.1); positions, when asked
    for, come from reading the same text as YAML, which JSON is."""
    duplicated: list[bool] = []

    def mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) < len(pairs):
            duplicated.append(True)
        return result

    decoder = json.JSONDecoder(object_pairs_hook=mapping)
    index = 0
    while (index := _skip_json_space(text, index)) < len(text):
        line = text.count("\n", 0, index)
        try:
            data, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            yield YamlSyntaxError(f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno, exc.pos)
            return
        except RecursionError:
            data, end = None, -1
        if end < 0 or _json_depth(data) > MAX_DEPTH:
            yield YamlSyntaxError(
                f"nested deeper than {MAX_DEPTH} levels: no Kubernetes object is this "
                "deep; check the file was not generated by mistake",
                line + 1,
                1,
                index,
            )
            return
        if data is not None:
            start = text.rfind("\n", 0, index) + 1
            yield Document(data, line + 1, bool(duplicated), text, (start, end), line)
        duplicated.clear()
        index = end


def _json_depth(data: Any) -> int:
    """How deeply ``data`` nests (stops counting past MAX_DEPTH)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                children = item.values() if isinstance(item, dict) else item
                stack.extend((child, depth + 1) for child in children)
    return deepest


def _skip_json_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _documents(text: str, offset: int, line_shift: int, current: list[int]) -> Iterator[Document]:
    """The documents of ``text`` from ``offset`` (a line start, line ``line_shift``) on."""
    source = text[offset:] if offset else text
    events = _events(source)
    events()  # stream start
    while True:
        event = events()
        if event.__class__ is StreamEndEvent:
            return
        mark = event.start_mark
        current[0], current[1] = offset + mark.index - mark.column, line_shift + mark.line
        key_at: dict[tuple[int, str], Position] = {}
        data, has_duplicates, end, line = _build(events, None, line_shift, source, key_at)
        if data is not None:
            yield Document(data, line, has_duplicates, text, (current[0], offset + end), current[1], key_at)


def _events(text: str) -> Callable[[], Any]:
    """The next-event function of a libyaml parser over ``text``."""
    return CParser(text).get_event


def _build(
    events: Callable[[], Any],
    located: Located | None,
    line_shift: int,
    text: str,
    key_at: dict[tuple[int, str], Position] | None = None,
) -> tuple[Any, bool, int, int]:
    """Build one document's value from its events (the document start is already read).

    Returns (value, has_duplicates, end index, 1-based line of the value) or, when ``located`` is
    given, ``located`` in place of the value. The open collection is kept in locals and its parents
    on a stack (this loop runs once per event: it is the loader's whole cost).
    """
    parents: list[tuple[Any, ...]] = []
    top: Any = None  # the open collection (None at the document's top level)
    in_list = False
    key: Any = _NO_KEY  # in a mapping: the key waiting for its value, or _NO_KEY
    merged: set[Any] | None = None  # keys of ``top`` that came from a << merge
    anchor: str | None = None
    opened = height = 0  # decoded count when ``top`` opened; height of ``top``'s deepest child
    path: FieldPath = ()  # of ``top``, only when locating
    anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, expanded size, height)
    decoded = aliased = 0
    has_duplicates = False
    root: Any = None
    root_line = 0
    while True:
        event = events()
        kind = event.__class__
        if kind is ScalarEvent:
            decoded += 1
            tag = event.tag
            if tag is None:
                value = plain(event.value) if event.implicit[0] else event.value
                if (
                    event.style == '"'
                    and _SLASH_ESCAPE in text[event.start_mark.index : event.end_mark.index]
                ):
                    _refuse_slash_escape(
                        text[event.start_mark.index : event.end_mark.index], event, line_shift
                    )
            elif tag in TAGGED:
                try:
                    value = tagged(event.value, tag)
                except ValueError as exc:
                    raise _error(event, line_shift, str(exc)) from None
            else:  # !!str, !!binary, timestamps, custom tags: the text as written
                value = event.value
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1, 0)
            value_height = 0
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if top is None:
                root_line = event.start_mark.line + 1 + line_shift
            elif key is _NO_KEY and not in_list:
                raise _error(event, line_shift, "a map key must be a string, not a list or a map")
            if len(parents) >= MAX_DEPTH:
                raise _error(
                    event,
                    line_shift,
                    f"nested deeper than {MAX_DEPTH} levels: no Kubernetes "
                    "object is this deep; check the file was not generated by mistake",
                )
            decoded += 1
            parents.append((top, in_list, key, merged, anchor, opened, height, path))
            if located is not None:
                path = () if top is None else (*path, len(top) if in_list else key)
                located.values[path] = _at(event, line_shift)
            in_list = kind is SequenceStartEvent
            top, key, merged = ([], None, None) if in_list else ({}, _NO_KEY, None)
            anchor, opened, height = event.anchor, decoded, 0
            if anchor is not None:
                anchors.pop(anchor, None)  # until it closes, an alias to it is a loop
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value, value_height = top, height + 1
            if anchor is not None:
                anchors[anchor] = (value, decoded - opened + 1, value_height)
            top, in_list, key, merged, anchor, opened, height, path = parents.pop()
        elif kind is AliasEvent:
            name = event.anchor
            if name not in anchors:
                raise _error(
                    event,
                    line_shift,
                    f"alias *{name} is not defined before it is used, or "
                    "refers to the collection that contains it",
                )
            value, size, value_height = anchors[name]
            decoded += size
            aliased += size
            if aliased > 100 and decoded > 1000 and aliased / decoded > _allowed_alias_ratio(decoded):
                raise _error(
                    event,
                    line_shift,
                    f"excessive aliasing: *{name} expands the document to "
                    f'{decoded:,} values, mostly copies (a "billion laughs" file?); kubectl '
                    "refuses it too",
                )
            if len(parents) + value_height > MAX_DEPTH:
                raise _error(
                    event, line_shift, f"alias *{name} nests the document deeper than {MAX_DEPTH} levels"
                )
        elif kind is DocumentEndEvent:
            result = located if located is not None else root
            return result, has_duplicates, event.start_mark.index, root_line
        else:  # pragma: no cover - libyaml never puts other events inside a document
            raise _error(event, line_shift, f"unexpected {kind.__name__}")
        # Attach ``value`` to the open collection.
        if top is None:
            root = value
            if not root_line:
                root_line = event.start_mark.line + 1 + line_shift
            if located is not None and kind is not MappingEndEvent and kind is not SequenceEndEvent:
                located.values[()] = _at(event, line_shift)
            continue
        if value_height > height:
            height = value_height
        if in_list:
            if located is not None and kind is not MappingEndEvent and kind is not SequenceEndEvent:
                located.values[(*path, len(top))] = _at(event, line_shift)
            top.append(value)
        elif key is _NO_KEY:
            if value is MERGE:
                key = MERGE
                continue
            key = value if value.__class__ is str else json_key(value)
            if key is None:
                raise _error(
                    event,
                    line_shift,
                    "a map key must be a string, number or boolean; "
                    f"{_shown(value)} has no JSON form: quote it",
                )
            if key in top and not (merged and key in merged):
                has_duplicates = True
                if located is not None:
                    located.duplicates.append(
                        ((*path, key), _at(event, line_shift), located.keys[(*path, key)])
                    )
            if located is not None:
                located.keys[(*path, key)] = _at(event, line_shift)
            elif key_at is not None and (key == "image" or len(parents) == 1):
                key_at[(id(top), key)] = _at(event, line_shift)
        elif key is MERGE:
            merged = _merge(top, value, merged, event, line_shift)
            key = _NO_KEY
        else:
            if merged:
                merged.discard(key)
            if located is not None and kind is not MappingEndEvent and kind is not SequenceEndEvent:
                located.values[(*path, key)] = _at(event, line_shift)
            top[key] = value
            key = _NO_KEY


def _refuse_slash_escape(quoted: str, event: Any, line_shift: int) -> None:
    """kubectl's YAML reader has no ``\\/`` escape (libyaml has): refuse it as kubectl would."""
    index = 1
    while (index := quoted.find("\\", index)) >= 0:
        if quoted[index + 1 : index + 2] == "/":
            raise _error(
                event,
                line_shift,
                'unknown escape "\\/" in a double-quoted string: kubectl refuses it; write / alone',
            )
        index += 2


def _merge(
    target: dict[Any, Any], value: Any, merged: set[Any] | None, event: Any, line_shift: int
) -> set[Any]:
    """``<<: *defaults``: keys written in the mapping win, as in kubectl's YAML library."""
    sources = value if isinstance(value, list) else [value]
    if not all(isinstance(source, dict) for source in sources):
        raise _error(event, line_shift, "the merge key << needs a map or a list of maps")
    merged = merged if merged is not None else set()
    for source in sources:
        for key, item in source.items():
            if key not in target:
                target[key] = item
                merged.add(key)
    return merged


def _allowed_alias_ratio(decoded: int) -> float:
    """go-yaml's rule (CVE-2019-11253): up to 99% aliases for small documents, 10% for huge ones."""
    low, high = 400_000, 4_000_000
    if decoded <= low:
        return 0.99
    if decoded >= high:
        return 0.10
    return 0.99 - 0.89 * (decoded - low) / (high - low)


def _at(event: Any, line_shift: int) -> Position:
    return event.start_mark.line + 1 + line_shift, event.start_mark.column + 1


def _error(event: Any, line_shift: int, message: str) -> YamlSyntaxError:
    return YamlSyntaxError(message, *_at(event, line_shift), event.start_mark.index)


def _shown(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _next_document(text: str, index: int, *, after: int) -> int | None:
    """Where the document after the broken one starts: the first ``---`` line from the line holding
    ``index`` on (the error may be reported on the next document's marker) that is past ``after``."""
    for match in _DOCUMENT_START.finditer(text, text.rfind("\n", 0, index) + 1):
        if match.start() > after:
            return match.start()
    return None
