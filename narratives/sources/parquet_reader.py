"""Parquet: record batches read with pyarrow, sized to bound memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .rows import Reader, Row, RowError


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
