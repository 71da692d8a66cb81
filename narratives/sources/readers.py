"""Streaming readers for the containers (CSV, JSON lines, one JSON document, Parquet), plain or gzipped.

Every reader yields `Row`s one at a time (Parquet in record batches), so memory stays flat in the
size of the file. Text files are decoded in the encoding `sniff_encoding` picked: a byte-order mark
wins (UTF-8, UTF-16, UTF-32); otherwise UTF-8, unless the file is not UTF-8 at all, in which case
it is Latin-1. Bytes that are not valid UTF-8 in an otherwise UTF-8 file are read as lone
surrogates (`surrogateescape`), and the row holding them is rejected rather than guessed at.

This module sniffs the container and opens its reader; the readers live in `csv_reader`, `json_readers`
and `parquet_reader`, rows and the base classes in `rows`, streams in `streams`, limits in `limits`
(all re-exported here).
"""

from __future__ import annotations

import io
from pathlib import Path

from .csv_reader import CsvReader
from .json_readers import JsonDocumentReader, JsonLinesReader, _loads_object, json_depth, read_json_document
from .limits import (_SNIFF_CHARS, BOMB_MIN_BYTES, BOMB_RATIO, MAX_HEADER_CHARS, MAX_JSON_DEPTH, MAX_JSON_DOCUMENT_BYTES,
                     MAX_LINE_CHARS, MAX_RECORD_CHARS)
from .parquet_reader import ParquetReader
from .rows import Reader, Row, RowError
from .streams import DecompressionBomb, is_parquet, open_binary, read_line, sniff_encoding

__all__ = ["BOMB_MIN_BYTES", "BOMB_RATIO", "MAX_HEADER_CHARS", "MAX_JSON_DEPTH", "MAX_JSON_DOCUMENT_BYTES",
           "MAX_LINE_CHARS", "MAX_RECORD_CHARS", "CsvReader", "DecompressionBomb", "JsonDocumentReader",
           "JsonLinesReader", "ParquetReader", "Reader", "Row", "RowError", "is_parquet", "json_depth", "open_binary",
           "open_reader", "read_json_document", "read_line", "sniff_container", "sniff_encoding"]


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
