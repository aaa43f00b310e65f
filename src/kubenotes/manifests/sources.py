"""Where manifests come from: YAML and JSON files in any folder, stdin, and YAML fences in Markdown pages.

Files are read in blocks of whole documents (cut at ``---`` lines, which always end a document), so a
50 MB file never sits in memory whole. A file that is binary or not UTF-8 becomes one problem at its
line, not the end of the run. Folders are walked in a stable order; a symlink that leads back into a
folder already walked is not followed again.

A Markdown fence counts as a manifest when a top-level ``apiVersion:`` or ``kind:`` line is in it;
fragments (a ``containers:`` excerpt) are left alone. Blocks keep their page line numbers.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import BinaryIO, NamedTuple

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
STDIN = "-"
# Folders that never hold a user's manifests but can be huge.
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".cache", "site"}
BLOCK_BYTES = 1 << 20  # read this much at a time, then cut at the last document start
MAX_DOCUMENT_BYTES = 16 << 20  # the API server takes 3 MB; a bigger document is a mistake

_FENCE_OPEN = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(?P<lang>yaml|yml)\b(?P<rest>.*)$"
)
_MANIFEST_LINE = re.compile(r"^(apiVersion|kind)[ \t]*:", re.MULTILINE)
_DOCUMENT_START = re.compile(rb"^---(?=[ \t\r\n]|$)", re.MULTILINE)
_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16", b"\x00\x00\xfe\xff": "UTF-32"}


class Source(NamedTuple):
    """A piece of YAML text, where it came from and where it starts in that file."""

    text: str
    origin: str  # the file shown in messages (the page, for Markdown blocks)
    first_line: int = 1
    column_offset: int = 0
    json: bool = False  # a whole JSON file: read with a JSON parser, as kubectl does


class Unreadable(NamedTuple):
    """A file (or the part of it from ``line`` on) that cannot be read as text."""

    origin: str
    line: int
    message: str
    hint: str


class InputFile(NamedTuple):
    """One file to validate (``path`` None: standard input)."""

    path: Path | None
    origin: str
    # The bytes, when read ahead (small files are read once, for the CRD scan and the validation).
    content: bytes | None = None

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower() if self.path else ""

    def size(self) -> int | None:
        """Bytes in the file (None for stdin, or when it cannot be read: reading will say why)."""
        if self.content is not None:
            return len(self.content)
        if self.path is None:
            return None
        try:
            return self.path.stat().st_size
        except OSError:
            return None

    def open(self) -> BinaryIO:
        if self.content is not None:
            return io.BytesIO(self.content)
        return sys.stdin.buffer if self.path is None else self.path.open("rb")

    def read_ahead(self, limit: int) -> InputFile:
        """This file with its bytes kept when it has at most ``limit`` of them (a small file: one read
        instead of two). Plain system calls: on a folder of thousands of small files, opening each
        through Python's buffered file objects (and a ``stat`` first) costs more than reading them."""
        if self.path is None or self.content is not None:
            return self
        try:
            descriptor = os.open(self.path, os.O_RDONLY)
        except OSError:
            return self  # reading it again will report why
        try:
            chunks, size = [], 0
            while size <= limit and (chunk := os.read(descriptor, limit + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
        except OSError:
            return self
        finally:
            os.close(descriptor)
        if size > limit:
            return self
        return InputFile(self.path, self.origin, b"".join(chunks))

    def mentions(self, marker: bytes) -> bool:
        """Whether the raw bytes contain ``marker`` (a cheap pre-scan: is there a CRD in here?)."""
        if self.content is not None:
            return marker in self.content
        if self.path is None:
            return False
        try:
            with open(self.path, "rb", buffering=0) as handle:
                tail = b""
                while block := handle.read(BLOCK_BYTES):
                    if marker in tail + block:
                        return True
                    if len(block) < BLOCK_BYTES:
                        return False  # a short read from a regular file: that was all of it
                    tail = block[-len(marker) :]
        except OSError:
            return False
        return False


class SourceError(OSError):
    """A path that does not exist (a usage error: exit code 2)."""


def discover(paths: Iterable[Path | str], *, display_root: Path | None = None) -> list[InputFile]:
    """Every file to validate under ``paths`` (files, folders or ``-``), in a stable order."""
    found: list[InputFile] = []
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        if str(path) == STDIN:
            found.append(InputFile(None, "<stdin>"))
            continue
        path = Path(path)
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder")
        if path.is_dir():
            base, folder = _display(path, display_root), str(path)
            found.extend(InputFile(Path(file), base + file[len(folder) :]) for file in _walk(path, seen_dirs))
        else:
            found.append(InputFile(path, _display(path, display_root)))
    return found


def sources_of(file: InputFile) -> Iterator[Source | Unreadable]:
    """The file as YAML sources (blocks of whole documents, or a page's fences), or why it cannot be read."""
    if file.suffix in MARKDOWN_SUFFIXES:
        text = _read_whole(file)
        if isinstance(text, Unreadable):
            yield text
        else:
            yield from markdown_blocks(text, file.origin)
    elif file.suffix in JSON_SUFFIXES:
        text = _read_whole(file)
        yield text if isinstance(text, Unreadable) else Source(text, file.origin, json=True)
    else:
        yield from yaml_blocks(file)


def yaml_blocks(file: InputFile) -> Iterator[Source | Unreadable]:
    """A YAML file as sources of about BLOCK_BYTES each, cut where a document starts."""
    try:
        handle = file.open()
    except OSError as exc:
        yield Unreadable(file.origin, 0, f"cannot read: {exc.strerror or exc}", "check the permissions")
        return
    with handle if file.path is not None else nullcontext(handle):
        buffer, line, first = b"", 1, True
        while True:
            try:
                block = handle.read(BLOCK_BYTES)
            except OSError as exc:
                yield Unreadable(file.origin, line, f"cannot read: {exc.strerror or exc}", "")
                return
            if first:
                first = False
                if problem := _not_text(block, file.origin):
                    yield problem
                    return
                block = block.removeprefix(b"\xef\xbb\xbf")
                if block.lstrip()[:1] == b"{":  # kubectl reads a file that starts like JSON as JSON
                    yield _json_source(block + handle.read(MAX_DOCUMENT_BYTES + 1 - len(block)), file.origin)
                    return
            buffer += block
            if (file.path is not None or file.content is not None) and len(block) < BLOCK_BYTES:
                block = b""  # a short read from a regular file: the end, no need to ask again
            cut = len(buffer) if not block else _last_document_start(buffer, len(block))
            if cut == 0 and len(buffer) > MAX_DOCUMENT_BYTES:
                yield Unreadable(
                    file.origin,
                    line,
                    f"a single document is larger than {MAX_DOCUMENT_BYTES >> 20} MB",
                    "split it: the API server accepts objects up to about 3 MB",
                )
                return
            if cut:
                piece, buffer = buffer[:cut], buffer[cut:]
                text = _decode(piece, file.origin, line)
                if isinstance(text, Unreadable):
                    yield text
                    return
                yield Source(text, file.origin, line)
                line += piece.count(b"\n")
            if not block:
                return


def markdown_blocks(markdown: str, origin: str) -> Iterator[Source]:
    """YAML fences in a page that hold Kubernetes objects, with the page line of their first line."""
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE_OPEN.match(lines[index])
        index += 1
        if not opening:
            continue
        indent, fence = opening["indent"], opening["fence"]
        start = index
        while index < len(lines) and not _closes(lines[index], fence):
            index += 1
        body = "\n".join(
            line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in lines[start:index]
        )
        index += 1
        if _MANIFEST_LINE.search(body):
            yield Source(body + "\n", origin, first_line=start + 1, column_offset=len(indent))


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}


def _walk(folder: Path, seen_dirs: set[tuple[int, int]]) -> Iterator[str]:
    """Manifest files under ``folder``, sorted; each real folder once, however many links lead to it."""
    try:
        info = folder.stat()
    except OSError:
        return
    if (info.st_dev, info.st_ino) in seen_dirs:
        return
    seen_dirs.add((info.st_dev, info.st_ino))
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    wanted = YAML_SUFFIXES + JSON_SUFFIXES + MARKDOWN_SUFFIXES
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            if entry.name not in _SKIP_DIRS and not entry.name.startswith("."):
                yield from _walk(Path(entry.path), seen_dirs)
        elif os.path.splitext(entry.name)[1].lower() in wanted and _is_file(entry):
            yield entry.path


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _read_whole(file: InputFile) -> str | Unreadable:
    try:
        with file.open() if file.path is not None else nullcontext(sys.stdin.buffer) as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        return Unreadable(file.origin, 0, f"cannot read: {exc.strerror or exc}", "check the permissions")
    if problem := _not_text(data, file.origin):
        return problem
    if len(data) > MAX_DOCUMENT_BYTES:
        return Unreadable(
            file.origin, 0, f"larger than {MAX_DOCUMENT_BYTES >> 20} MB", "split it into smaller files"
        )
    return _decode(data.removeprefix(b"\xef\xbb\xbf"), file.origin, 1)


def _json_source(data: bytes, origin: str) -> Source | Unreadable:
    if len(data) > MAX_DOCUMENT_BYTES:
        return Unreadable(
            origin, 0, f"larger than {MAX_DOCUMENT_BYTES >> 20} MB", "split it into smaller files"
        )
    text = _decode(data, origin, 1)
    return text if isinstance(text, Unreadable) else Source(text, origin, json=True)


def _not_text(head: bytes, origin: str) -> Unreadable | None:
    for bom, encoding in _BOMS.items():
        if head.startswith(bom):
            return Unreadable(origin, 1, f"{encoding} text", "save it as UTF-8, as kubectl expects")
    if b"\x00" in head[:8192]:
        return Unreadable(
            origin,
            head.count(b"\n", 0, head.index(b"\x00")) + 1,
            "binary file (NUL bytes), not YAML or JSON",
            "validate manifest files only",
        )
    return None


def _decode(data: bytes, origin: str, first_line: int) -> str | Unreadable:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start)
        return Unreadable(
            origin, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", "save the file as UTF-8"
        )


def _last_document_start(buffer: bytes, new: int) -> int:
    """Offset of the last ``---`` line after the start, so the buffer before it holds whole documents.

    Only the ``new`` bytes just read (and the few before them) can hold one the last search missed."""
    position = 0
    for match in _DOCUMENT_START.finditer(buffer, max(1, len(buffer) - new - 4)):
        position = match.start()
    return position


def _display(file: Path, root: Path | None) -> str:
    """The path as messages show it: relative to ``root`` when inside it (no symlink resolution: the
    path the user gave, and one system call less per file)."""
    if root is not None:
        relative = os.path.relpath(os.path.abspath(file), os.path.abspath(root))
        if not relative.startswith(".."):
            return Path(relative).as_posix()
    return file.as_posix()
