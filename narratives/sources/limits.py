"""Size and shape limits that keep reading a hostile file bounded in memory and time."""

from __future__ import annotations

_CHUNK = 1 << 20
_SNIFF_CHARS = 1 << 16
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
