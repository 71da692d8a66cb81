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
import json
import re
from collections import deque
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
MAX_JSON_DOCUMENT_BYTES = 64 << 20
"""A file that is one JSON document (not JSON lines) is parsed whole; above this size it is refused."""
MAX_JSON_DEPTH = 100
"""Deeper JSON nesting than this is an `invalid JSON` reject (X API pages nest about 6 deep)."""
MAX_LINE_CHARS = 16 << 20
"""A physical line longer than this (a JSON-lines page, a CSV record line) is a `line too long` reject."""
MAX_HEADER_CHARS = 1 << 20
"""A CSV header line longer than this is not a header: the file is refused."""
MAX_RECORD_CHARS = 4 * 100_000 + 4096
"""A CSV record may span several lines (quoted newlines) up to this many characters; past it the record is
taken to be an unterminated quote and reading resumes at the line after the record's first line."""
BOMB_MIN_BYTES = 64 << 20
BOMB_RATIO = 200
"""A .gz that has expanded past BOMB_MIN_BYTES at more than BOMB_RATIO times the compressed bytes read is
refused as a decompression bomb (text exports compress 3-20x)."""

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


class DecompressionBomb(OSError):
    """A .gz expands far beyond what a text export compresses to (see BOMB_RATIO)."""


class _GuardedGzip(io.RawIOBase):
    """A gzip stream that stops with DecompressionBomb once the expansion ratio is implausible."""

    def __init__(self, raw: IO[bytes]):
        self._raw = raw
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._gz.readinto(buffer)
        self._out += n
        if self._out > BOMB_MIN_BYTES and self._out > BOMB_RATIO * max(self._raw.tell(), 1):
            raise DecompressionBomb(f"it expands more than {BOMB_RATIO} times (past {self._out >> 20} MiB "
                                    f"from {self._raw.tell() >> 10} KiB): a decompression bomb?")
        return n

    def close(self) -> None:
        if not self.closed:
            self._gz.close()
        super().close()


def open_binary(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """(decompressed stream, the on-disk file): gzip is recognised by its magic bytes, not the name."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller through the returned pair
    if raw.read(2) == _GZIP_MAGIC:
        raw.seek(0)
        return io.BufferedReader(_GuardedGzip(raw)), raw
    raw.seek(0)
    return raw, raw


def read_line(text: IO[str], limit: int = MAX_LINE_CHARS) -> str | None:
    """The next physical line (with its line break); "" at the end; None for a line over `limit`
    characters, which is consumed to its end in bounded pieces so memory stays flat."""
    line = text.readline(limit + 1)
    if len(line) <= limit or line.endswith(("\n", "\r")):
        return line
    while True:
        piece = text.readline(_CHUNK)
        if not piece or piece.endswith(("\n", "\r")):
            return None


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


class _BrokenRecord(Exception):
    """Raised by `_RecordLines` inside the csv reader: the record cannot be a CSV record."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class _RecordLines:
    """The physical lines fed to `csv.reader`, remembering those of the current record.

    Lines can be pushed back (`resync`), so that a record that turned out broken (an unterminated
    quote that swallowed later lines) gives back every line after its first to be read again.
    """

    def __init__(self, text: IO[str], first_line: int):
        self._text = text
        self._next_line = first_line
        self.pending: deque[tuple[int, str | None]] = deque()
        self.current: list[tuple[int, str | None]] = []
        self._chars = 0
        self.ended_inside = False

    def start(self) -> None:
        self.current, self._chars, self.ended_inside = [], 0, False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pending:
            number, line = self.pending.popleft()
        else:
            line = read_line(self._text)
            if line == "":
                self.ended_inside = bool(self.current)
                raise StopIteration
            number, self._next_line = self._next_line, self._next_line + 1
        self.current.append((number, line))
        if line is None:
            raise _BrokenRecord(f"line longer than {MAX_LINE_CHARS} characters")
        self._chars += len(line)
        if len(self.current) > 1 and self._chars > MAX_RECORD_CHARS:
            raise _BrokenRecord(f"a quoted field runs past {MAX_RECORD_CHARS} characters (unterminated quote?)")
        return line

    def resync(self) -> None:
        """Give back every line of the current record after its first."""
        self.pending.extendleft(reversed(self.current[1:]))
        del self.current[1:]


class CsvReader(_TextReader):
    """Header row then records; a record's line is the line it starts on (the header is line 1).

    A record that spans several lines (a quoted field with line breaks) and does not parse (an
    unterminated quote, the wrong number of columns) rejects only its first line: reading resumes
    at the next line, so one stray quote cannot swallow the rest of the file.
    """

    def __init__(self, path: Path, encoding: str):
        super().__init__(path, encoding)
        csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
        first = self._text.readline(MAX_HEADER_CHARS + 1)
        if len(first) > MAX_HEADER_CHARS:
            raise ValueError(f"the header line is longer than {MAX_HEADER_CHARS} characters")
        delimiter = self._delimiter = _delimiter(first)
        self.columns = [c.strip().lstrip("\ufeff") for c in next(csv.reader([first], delimiter=delimiter), [])]
        self._lines = _RecordLines(self._text, 2)
        self._reader = csv.reader(self._lines, delimiter=delimiter)

    def _strict_problem(self, texts: list[str]) -> tuple[str, str] | None:
        """A record spanning lines is only taken when it is strictly well-formed: a stray quote that
        happened to pair with a quote on a later line leaves text after a closing quote."""
        try:
            list(csv.reader(texts, delimiter=self._delimiter, strict=True))
        except csv.Error as exc:
            return ("malformed CSV row", f"a quoted field spanning {len(texts)} lines is malformed ({exc})")
        return None

    def rows(self) -> Iterator[Row]:
        header, width, reader, lines, encoding = self.columns, len(self.columns), self._reader, self._lines, self.encoding
        while True:
            lines.start()
            values: list[str] | None = None
            problem: tuple[str, str] | None = None
            try:
                values = next(reader)
            except StopIteration:
                if not lines.current:
                    return
                problem = ("malformed CSV row", "unterminated quote at the end of the file")
            except csv.Error as exc:
                problem = ("malformed CSV row", str(exc))
            except _BrokenRecord as exc:
                problem = ("line too long" if lines.current[-1][1] is None and len(lines.current) == 1
                           else "malformed CSV row", exc.detail)
            else:
                if lines.ended_inside:
                    problem = ("malformed CSV row", "unterminated quote at the end of the file")
                elif not values:
                    continue
                elif len(values) != width:
                    problem = ("wrong number of columns", f"{len(values)} values for {width} columns")
                elif len(lines.current) > 1:
                    problem = self._strict_problem([text for _, text in lines.current])
            line, first_text = lines.current[0] if lines.current else (None, None)
            if problem is None:
                yield Row(line, dict(zip(header, values)), values, encoding)
                continue
            if len(lines.current) > 1:  # resynchronise: only the first line is rejected
                lines.resync()
                yield Row(line, {}, first_text.rstrip("\r\n") if first_text else None, encoding,
                          RowError(None, "malformed CSV row",
                                   f"{problem[1]}; reading resumes at the next line"))
                continue
            raw = values if problem[0] == "wrong number of columns" else (
                first_text.rstrip("\r\n") if first_text else None)
            yield Row(line, {}, raw, encoding, RowError(None, *problem))


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


class ParquetReader(Reader):
    """Record batches of a Parquet file; a row's "line" is its 1-based row number.

    Binary columns (text written as bytes) are decoded as UTF-8 (undecodable bytes end up rejected
    as such); batches are sized so that one holds about BATCH_BYTES of uncompressed data; a value
    Python cannot represent (a timestamp past year 9999) rejects its row, not the file.
    """

    BATCH_BYTES = 64 << 20

    def __init__(self, path: Path, batch_size: int = 10_000):
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(path)
        try:
            self._file = pq.ParquetFile(path)
        except pa.ArrowException as exc:
            raise ValueError(f"not a readable Parquet file ({str(exc).splitlines()[0] if str(exc) else exc})") from None
        schema = self._file.schema_arrow
        self.columns = list(schema.names)
        self._binary = [f.name for f in schema
                        if pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)
                        or pa.types.is_fixed_size_binary(f.type)]
        meta = self._file.metadata
        rows = meta.num_rows or 0
        uncompressed = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        per_row = uncompressed / rows if rows else 1
        self._batch_size = int(max(1, min(batch_size, self.BATCH_BYTES // max(per_row, 1))))
        self._done = 0

    def _decode(self, data: dict[str, Any]) -> dict[str, Any]:
        for name in self._binary:
            value = data.get(name)
            if isinstance(value, bytes):
                data[name] = value.decode("utf-8", errors="surrogateescape")
        return data

    def _pylist(self, batch) -> Iterator[tuple[dict[str, Any] | None, RowError | None]]:
        try:
            rows = batch.to_pylist()
        except (ValueError, OverflowError, TypeError):
            for i in range(batch.num_rows):
                try:
                    yield batch.slice(i, 1).to_pylist()[0], None
                except (ValueError, OverflowError, TypeError) as exc:
                    yield None, RowError(None, "unexpected value", f"{type(exc).__name__}: {str(exc)[:200]}")
            return
        for data in rows:
            yield data, None

    def rows(self) -> Iterator[Row]:
        import pyarrow as pa

        number = 0
        try:
            for batch in self._file.iter_batches(batch_size=self._batch_size):
                for data, error in self._pylist(batch):
                    number += 1
                    if error is not None:
                        yield Row(number, {}, None, None, error)
                        continue
                    data = self._decode(data)
                    yield Row(number, data, data, "utf-8" if self._binary else None)
                self._done = number
        except pa.ArrowException as exc:
            raise OSError(f"corrupt Parquet data after row {number}: {str(exc).splitlines()[0] if str(exc) else exc}") from None

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
