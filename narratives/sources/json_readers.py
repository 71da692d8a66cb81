"""JSON: one object per line (JSON lines), or a whole file that is one JSON document."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from .limits import MAX_JSON_DEPTH, MAX_JSON_DOCUMENT_BYTES, MAX_LINE_CHARS
from .rows import Row, RowError, _TextReader
from .streams import open_binary, read_line

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deep the brackets of a JSON text nest (strings skipped); C-speed regexes, no recursion."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _loads_object(text: str) -> tuple[dict | None, RowError | None]:
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
        return None, RowError("json", "invalid JSON", f"nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(text)
    except RecursionError:
        return None, RowError("json", "invalid JSON", "nested too deeply")
    except ValueError as exc:
        return None, RowError("json", "invalid JSON", str(exc)[:300])
    if not isinstance(value, dict):
        return None, RowError("json", "not a JSON object", type(value).__name__)
    return value, None


class JsonLinesReader(_TextReader):
    """One JSON object per line; a line that is not one is a row error, the rest of the file still reads."""

    def __init__(self, path: Path, encoding: str):
        super().__init__(path, encoding)
        self._pending: tuple[int, str | None] | None = None
        number = 0
        while True:
            line = read_line(self._text)
            number += 1
            if line == "":
                break
            if line is None or line.strip():
                self._pending = (number, line)
                first, _ = _loads_object(line) if line is not None else (None, None)
                self.columns = list(first) if first else []
                break
        self._next_line = number + 1

    def _lines(self) -> Iterator[tuple[int, str | None]]:
        if self._pending is not None:
            yield self._pending
            self._pending = None
        number = self._next_line
        while True:
            line = read_line(self._text)
            if line == "":
                return
            yield number, line
            number += 1

    def rows(self) -> Iterator[Row]:
        encoding = self.encoding
        for number, line in self._lines():
            if line is None:
                yield Row(number, {}, None, encoding, RowError(None, "line too long",
                                                               f"longer than {MAX_LINE_CHARS} characters"))
                continue
            if not line.strip():
                continue
            line = line.rstrip("\r\n")
            data, error = _loads_object(line)
            yield Row(number, data or {}, line, encoding, error)


class JsonDocumentReader(_TextReader):
    """A file that is a single JSON object (an X API response saved as is): parsed whole, one row."""

    def __init__(self, path: Path, encoding: str, document: dict):
        super().__init__(path, encoding)
        self._document = document
        self.columns = list(document)

    def rows(self) -> Iterator[Row]:
        yield Row(1, self._document, None, self.encoding)

    def position(self) -> int:
        return self.size


def read_json_document(path: Path, encoding: str) -> dict | None:
    """The file parsed as one JSON object, or None when it is not one (or is too big to parse whole)."""
    if path.stat().st_size > MAX_JSON_DOCUMENT_BYTES:
        return None
    stream, raw = open_binary(path)
    try:
        content = stream.read(MAX_JSON_DOCUMENT_BYTES + 1)
        if len(content) > MAX_JSON_DOCUMENT_BYTES:
            return None
        data, _ = _loads_object(content.decode(encoding, errors="surrogateescape"))
    except (OSError, EOFError):
        return None
    finally:
        stream.close()
        raw.close()
    return data
