"""Opening files as byte and text streams: gzip by magic bytes (guarded against bombs), bounded lines,
encoding sniffing."""

from __future__ import annotations

import codecs
import gzip
import io
from pathlib import Path
from typing import IO

from .limits import _CHUNK, BOMB_MIN_BYTES, BOMB_RATIO, MAX_LINE_CHARS

_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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
