"""What every reader yields (`Row`, with a `RowError` when the record is bad) and the reader base classes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .streams import open_binary


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
