"""Streaming readers for the containers (CSV, JSON lines, one JSON document, Parquet), plain or gzipped.

Every reader yields `Row`s one at a time (Parquet in record batches), so memory stays flat in the
size of the file. Text files are decoded in the encoding `sniff_encoding` picked: a byte-order mark
wins (UTF-8, UTF-16, UTF-32); otherwise UTF-8, unless the file is not UTF-8 at all, in which case
it is Latin-1. Bytes that are not valid UTF-8 in an otherwise UTF-8 file are read as lone
surrogates (`surrogateescape`), and the row holding them is rejected rather than guessed at.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"
_CHUNK = 1 << 20
_SNIFF_CHARS = 1 << 16
_CSV_FIELD_LIMIT = 1 << 26
"""The csv module's own limit (128 KiB) would abort the file; ours is far above MAX_FIELD_CHARS, which rejects."""
MAX_JSON_DOCUMENT_BYTES = 256 << 20
"""A file that is one JSON document (not JSON lines) is parsed whole; above this size it is refused."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class RowError(Exception):
    """One row cannot become a post (bad JSON line, broken CSV quoting, a bad value): recorded as a reject."""

    def __init__(self, field: str | None, reason: str, detail: str | None = None):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Row:
    """One record as read: its 1-based line (row number for Parquet), its fields, and the raw text."""

    line: int
    data: dict[str, Any]
    raw: Any = None
    encoding: str | None = None
    error: RowError | None = None

    def raw_text(self) -> str | None:
        """The row as text for the rejects table (CSV rows are re-quoted from their values)."""
        if self.raw is None or isinstance(self.raw, str):
            return self.raw
        if isinstance(self.raw, list):
            out = io.StringIO()
            csv.writer(out, lineterminator="").writerow(self.raw)
            return out.getvalue()
        return json.dumps(self.raw, ensure_ascii=False, default=str)


def open_binary(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """(decompressed stream, the on-disk file): gzip is recognised by its magic bytes, not the name."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller through the returned pair
    if raw.read(2) == _GZIP_MAGIC:
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw
    raw.seek(0)
    return raw, raw


def is_parquet(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == _PARQUET_MAGIC


def sniff_encoding(path: Path) -> str:
    """The file's text encoding: its BOM's, else UTF-8, else Latin-1 when the file is not UTF-8 at all.

    "Not UTF-8 at all" means it has invalid UTF-8 and not one valid multi-byte sequence: a Latin-1
    export. A UTF-8 file with a few broken rows stays UTF-8 and those rows are rejected.
    """
    stream, raw = open_binary(path)
    try:
        head = stream.read(4)
        for bom, encoding in _BOMS:
            if head.startswith(bom):
                return encoding
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        invalid = valid_multibyte = False
        chunk = head
        while chunk:
            if not chunk.isascii():
                text = decoder.decode(chunk)
                replaced = text.count("\ufffd") > chunk.count(b"\xef\xbf\xbd")
                invalid = invalid or replaced
                valid_multibyte = valid_multibyte or not text.replace("\ufffd", "").isascii()
                if invalid and valid_multibyte:
                    break
            chunk = stream.read(_CHUNK)
        return "latin-1" if invalid and not valid_multibyte else "utf-8"
    finally:
        stream.close()
        raw.close()


class Reader:
    """A file opened for reading rows; `position()` is how many on-disk bytes are consumed (for progress)."""

    def __init__(self, path: Path):
        self.path = path
        self.size = path.stat().st_size
        self.columns: list[str] = []

    def rows(self) -> Iterator[Row]:  # pragma: no cover - abstract
        raise NotImplementedError

    def position(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        """Release the file."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _TextReader(Reader):
    def __init__(self, path: Path, encoding: str):
        super().__init__(path)
        self.encoding = encoding
        self._stream, self._raw = open_binary(path)
        self._text = io.TextIOWrapper(self._stream, encoding=encoding, errors="surrogateescape", newline="")

    def position(self) -> int:
        return self._raw.tell() if not self._raw.closed else self.size

    def close(self) -> None:
        self._text.close()
        self._raw.close()


def _delimiter(header_line: str) -> str:
    return max(",\t;|", key=header_line.count)


class CsvReader(_TextReader):
    """Header row then records; a record's line is the line it starts on (the header is line 1)."""

    def __init__(self, path: Path, encoding: str):
        super().__init__(path, encoding)
        csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
        first = self._text.readline()
        delimiter = _delimiter(first)
        self.columns = [c.strip().lstrip("\ufeff") for c in next(csv.reader([first], delimiter=delimiter), [])]
        self._reader = csv.reader(self._text, delimiter=delimiter)
        self._lines_before = 1

    def rows(self) -> Iterator[Row]:
        header, width, reader, encoding = self.columns, len(self.columns), self._reader, self.encoding
        while True:
            line = self._lines_before + reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Row(line, {}, None, encoding, RowError(None, "malformed CSV row", str(exc)))
                continue
            if not values:
                continue
            if len(values) != width:
                yield Row(line, {}, values, encoding, RowError(
                    None, "wrong number of columns", f"{len(values)} values for {width} columns"))
                continue
            yield Row(line, dict(zip(header, values)), values, encoding)


def _loads_object(text: str) -> tuple[dict | None, RowError | None]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        return None, RowError("json", "invalid JSON", str(exc))
    if not isinstance(value, dict):
        return None, RowError("json", "not a JSON object", type(value).__name__)
    return value, None


class JsonLinesReader(_TextReader):
    """One JSON object per line; a line that is not one is a row error, the rest of the file still reads."""

    def __init__(self, path: Path, encoding: str):
        super().__init__(path, encoding)
        self._pending: list[tuple[int, str]] = []
        for number, line in enumerate(self._text, start=1):
            self._pending.append((number, line))
            if line.strip():
                first, _ = _loads_object(line)
                self.columns = list(first) if first else []
                break
        self._next_line = len(self._pending) + 1

    def rows(self) -> Iterator[Row]:
        encoding = self.encoding
        pending, self._pending = self._pending, []
        for number, line in itertools.chain(pending, enumerate(self._text, start=self._next_line)):
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


class ParquetReader(Reader):
    """Record batches of a Parquet file; a row's "line" is its 1-based row number."""

    def __init__(self, path: Path, batch_size: int = 10_000):
        import pyarrow.parquet as pq

        super().__init__(path)
        self._file = pq.ParquetFile(path)
        self.columns = list(self._file.schema_arrow.names)
        self._batch_size = batch_size
        self._done = 0

    def rows(self) -> Iterator[Row]:
        number = 0
        for batch in self._file.iter_batches(batch_size=self._batch_size):
            for data in batch.to_pylist():
                number += 1
                yield Row(number, data, data)
            self._done = number

    def position(self) -> int:
        total = self._file.metadata.num_rows or 1
        return int(self.size * min(self._done / total, 1.0))

    def close(self) -> None:
        self._file.close()


def sniff_container(path: Path, encoding: str) -> str:
    """"csv", "jsonl" or "json" (one document) from the first characters; "binary" when not text."""
    stream, raw = open_binary(path)
    try:
        text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
        head = text.read(_SNIFF_CHARS)
    except (OSError, EOFError):
        return "binary"
    finally:
        stream.close()
        raw.close()
    if "\x00" in head or head.count("\ufffd") > len(head) // 10 + 1:
        return "binary"
    stripped = head.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("{"):
        return "csv"
    first_line, newline, _ = stripped.partition("\n")
    if not newline:  # a first line longer than the sniff window: one object per line reads either way
        return "jsonl"
    data, _ = _loads_object(first_line)
    return "jsonl" if data is not None else "json"


def read_json_document(path: Path, encoding: str) -> dict | None:
    """The file parsed as one JSON object, or None when it is not one (or is too big to parse whole)."""
    if path.stat().st_size > MAX_JSON_DOCUMENT_BYTES:
        return None
    stream, raw = open_binary(path)
    try:
        data, _ = _loads_object(stream.read().decode(encoding, errors="surrogateescape"))
    except (OSError, EOFError):
        return None
    finally:
        stream.close()
        raw.close()
    return data


def open_reader(path: Path, container: str, encoding: str) -> Reader:
    """The reader for a sniffed container."""
    if container == "parquet":
        return ParquetReader(path)
    if container == "csv":
        return CsvReader(path, encoding)
    if container == "jsonl":
        return JsonLinesReader(path, encoding)
    if container == "json":
        document = read_json_document(path, encoding)
        if document is None:
            raise ValueError(f"{path} is not one JSON object")
        return JsonDocumentReader(path, encoding, document)
    raise ValueError(f"unknown container {container!r}")
