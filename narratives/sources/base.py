"""What every source adapter produces (`Post`, `Gold`, `Reject`) and the row loop they share.

An adapter turns the rows of one layout into posts; the checks that do not depend on the layout
(oversized fields, undecodable bytes, the reject record) live here so that each adapter only
says how its columns map to a post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from ..errors import NarrativesError
from .fields import MAX_COUNT, check_date
from .readers import Reader, Row, RowError

MAX_FIELD_CHARS = 100_000
"""A field longer than this is not a post (a runaway quote in a CSV swallows the rest of the file)."""

MAX_RAW_CHARS = 10_000
"""How much of a rejected row the rejects table keeps."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_HASHTAG = re.compile(r"(?<![\w&])#(\w+)")


class LayoutError(NarrativesError):
    """The file is not in the layout asked for (or in any known layout); nothing is written."""


@dataclass(slots=True)
class Gold:
    """Hand labels of a labeled set; stored in the `gold` table, never read by the pipeline."""

    narrative: str | None
    targets: list[str] | None
    stance: dict[str, str] | None
    coordinated: bool | None


@dataclass(slots=True)
class Post:
    """One row of the `posts` table (created_at is naive UTC)."""

    platform: str
    post_id: str
    created_at: datetime
    text: str
    author_id: str | None = None
    author_handle: str | None = None
    lang: str | None = None
    is_repost: bool = False
    repost_of: str | None = None
    quote_of: str | None = None
    reply_to: str | None = None
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None
    url: str | None = None
    hashtags: list[str] | None = None
    source_line: int | None = None
    gold: Gold | None = None


COUNT_FIELDS = ("likes", "reposts", "replies", "quotes", "views")
STRING_FIELDS = ("platform", "post_id", "text", "author_id", "author_handle", "lang", "repost_of", "quote_of",
                 "reply_to", "url")


@dataclass(slots=True)
class Reject:
    """A row that could not be stored, with where and why (the `rejects` table)."""

    line: int | None
    field: str | None
    reason: str
    raw: str | None
    detail: str | None = None


def hashtags_from_text(text: str) -> list[str]:
    """Hashtags written in the text, for layouts that do not list them."""
    return _HASHTAG.findall(text)


def clip(value: str | None, limit: int = MAX_RAW_CHARS) -> str | None:
    """A string safe to store: lone surrogates (undecodable bytes) replaced, long values cut."""
    if value is None:
        return None
    value = _SURROGATE.sub("\ufffd", value)
    if len(value) > limit:
        return f"{value[:limit]}… [{len(value) - limit} more characters]"
    return value


def _oversized(row: Row) -> str | None:
    """The first field longer than MAX_FIELD_CHARS; the raw row's length rules most rows out at C speed."""
    raw = row.raw
    if isinstance(raw, str) and len(raw) <= MAX_FIELD_CHARS:
        return None
    if isinstance(raw, list) and sum(len(v) for v in raw if isinstance(v, str)) <= MAX_FIELD_CHARS:
        return None
    for name, value in row.data.items():
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            return name
    return None


def _undecodable(post: Post) -> str | None:
    """The first string field holding undecodable bytes (read as lone surrogates), else None."""
    joined = "".join(v for v in (getattr(post, n) for n in STRING_FIELDS) if v)
    if post.hashtags:
        joined += "".join(post.hashtags)
    if not _SURROGATE.search(joined):
        return None
    for name in STRING_FIELDS:
        value = getattr(post, name)
        if value and _SURROGATE.search(value):
            return name
    return "hashtags"


def check_bounds(post: Post) -> None:
    """The limits every stored post obeys, whatever its layout: a plausible date and counts that fit BIGINT.

    Adapters already check these where they parse (naming the column); this is the boundary that no
    adapter can forget, so nothing out of range reaches the store or the weekly series.
    """
    if not isinstance(post.created_at, datetime):
        raise RowError("created_at", "unparseable date", repr(post.created_at)[:200])
    check_date(post.created_at, "created_at")
    for name in COUNT_FIELDS:
        value = getattr(post, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value <= MAX_COUNT):
            raise RowError(name, "invalid number", f"{str(value)[:60]} is not a count from 0 to 2^63-1")


def check_text(text: Any, field: str = "text") -> str:
    """The post text, or a RowError when there is none."""
    if not isinstance(text, str) or not text.strip():
        raise RowError(field, "empty text")
    return text


def check_id(value: Any, field: str) -> str:
    """A post id as a string, or a RowError when it is missing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowError(field, "missing id")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class Adapter:
    """Maps rows of one layout to posts. Subclasses set `name`, `required` and implement `parse_row`.

    `required` lists the columns (or JSON keys) the layout cannot do without; `matches` uses them
    for auto-detection and `bind` checks them before anything is written.
    """

    platform: str | None = None
    columns: list[str] = field(default_factory=list)

    name: ClassVar[str] = ""
    default_platform: ClassVar[str] = "x"
    required: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""

    @classmethod
    def matches(cls, columns: Iterable[str]) -> bool:
        """True when a header (or the first record's keys) has this layout's required columns."""
        return set(cls.required) <= set(columns)

    def bind(self, path: Path, columns: list[str]) -> None:
        """Check the header against the layout before reading; a mismatch is a LayoutError."""
        self.columns = columns
        missing = [c for c in self.required if c not in columns]
        if missing:
            raise LayoutError(
                f"{path}: not a {self.name} file: missing column(s) {', '.join(missing)} "
                f"(expected {self.description}; found {', '.join(columns[:20]) or 'no columns'})"
            )

    def platform_for(self, value: Any = None) -> str:
        """--platform wins, then the row's own platform value, then the layout's default."""
        if self.platform:
            return self.platform
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
        return self.default_platform

    def parse_row(self, row: Row) -> Post:  # pragma: no cover - abstract
        raise NotImplementedError

    def expand(self, row: Row) -> Iterator[Row]:
        """Rows that hold several posts (an X API page) override this to yield one row per post."""
        yield row

    def records(self, reader: Reader) -> Iterator[Post | Reject]:
        """Every row of the file as a Post or a Reject, in file order.

        This is the row boundary: whatever a row holds, it becomes a Post or a Reject with a reason;
        only the file itself failing (unreadable bytes) stops the loop.
        """
        for container_row in reader.rows():
            try:
                if container_row.error is not None:
                    raise container_row.error
                rows = list(self.expand(container_row))
            except Exception as exc:  # noqa: BLE001 - the row boundary
                yield _reject(container_row, exc)
                continue
            for row in rows:
                try:
                    yield self._record(row)
                except Exception as exc:  # noqa: BLE001 - the row boundary
                    yield _reject(row, exc)

    def _record(self, row: Row) -> Post | Reject:
        big = _oversized(row)
        if big is not None:
            return Reject(row.line, big, "field too long", _raw(row), f"longer than {MAX_FIELD_CHARS} characters")
        post = self.parse_row(row)
        check_bounds(post)
        bad = _undecodable(post)
        if bad is not None:
            return Reject(row.line, bad, "undecodable bytes", _raw(row), f"not valid {row.encoding or 'text'}")
        post.source_line = row.line
        if post.hashtags is None:
            post.hashtags = hashtags_from_text(post.text)
        return post


def _raw(row: Row) -> str | None:
    """The row as text for the rejects table, clipped; None when it cannot be shown."""
    try:
        return clip(row.raw_text())
    except (RecursionError, TypeError, ValueError):
        return None


def _reject(row: Row, exc: Exception) -> Reject:
    """The reject for a row whose values raised `exc`: a RowError's reason, else "unexpected value"
    (a value of the wrong shape, e.g. a list where an object belongs, spoils the row, not the file)."""
    if isinstance(exc, RowError):
        return Reject(row.line, exc.field, exc.reason, _raw(row), exc.detail)
    if isinstance(exc, RecursionError):
        return Reject(row.line, None, "invalid JSON", None, "nested too deeply")
    return Reject(row.line, None, "unexpected value", _raw(row), clip(f"{type(exc).__name__}: {exc}", 500))
