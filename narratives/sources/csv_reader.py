"""CSV: a header row then records, a broken multi-line record rejecting only its first line."""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .limits import MAX_HEADER_CHARS, MAX_LINE_CHARS, MAX_RECORD_CHARS
from .rows import Row, RowError, _TextReader
from .streams import read_line

_CSV_FIELD_LIMIT = 1 << 26
"""The csv module's own limit (128 KiB) would abort the file; ours is far above MAX_FIELD_CHARS, which rejects."""


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
