"""Any CSV, JSON-lines or Parquet export: columns found by common names or named with `--map`.

`--map text=content,created_at=date` says which column holds each post field; fields not mapped are
guessed from the column names below (case and punctuation ignored). id, text and created_at must be
found; everything else is optional. For JSON, a mapped column may be a dotted path (`user.screen_name`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .base import Adapter, LayoutError, Post, check_id, check_text
from .fields import language_code, opt_str, parse_bool, parse_datetime, parse_int, parse_list
from .readers import Row

GUESSES: dict[str, tuple[str, ...]] = {
    "id": ("id", "post_id", "postid", "tweet_id", "tweetid", "status_id", "id_str", "uri"),
    "text": ("text", "content", "full_text", "tweet_text", "post_text", "body", "message", "caption"),
    "created_at": ("created_at", "createdat", "createdate", "created", "date", "datetime", "timestamp", "time",
                   "published_at", "publish_date", "tweet_time", "posted_at", "created_utc"),
    "author": ("author", "author_handle", "username", "user_name", "screen_name", "user_screen_name", "handle"),
    "author_id": ("author_id", "authorid", "user_id", "userid", "account_id"),
    "platform": ("platform", "network", "source_platform"),
    "lang": ("lang", "language", "tweet_language"),
    "is_repost": ("is_repost", "is_retweet", "retweet", "is_share"),
    "repost_of": ("repost_of", "retweet_of", "retweet_tweetid", "retweeted_id"),
    "quote_of": ("quote_of", "quoted_tweet_tweetid", "quoted_id"),
    "reply_to": ("reply_to", "in_reply_to", "in_reply_to_tweetid", "in_reply_to_status_id", "parent_id"),
    "likes": ("likes", "like_count", "favorite_count", "favorites", "favourites"),
    "reposts": ("reposts", "retweets", "retweet_count", "repost_count", "shares", "share_count"),
    "replies": ("replies", "reply_count", "comments", "comment_count"),
    "quotes": ("quotes", "quote_count"),
    "views": ("views", "view_count", "impressions", "impression_count"),
    "url": ("url", "link", "permalink", "post_url"),
    "hashtags": ("hashtags", "tags"),
}
"""Post field -> column names tried in order (compared lower-case without punctuation)."""

FIELD_ALIASES = {"post_id": "id", "author_handle": "author", "handle": "author", "date": "created_at"}
REQUIRED = ("id", "text", "created_at")
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def _squash(name: str) -> str:
    return _NON_ALNUM.sub("", name.lower())


def parse_mapping(spec: str | None) -> dict[str, str]:
    """`text=content,created_at=date` -> {"text": "content", "created_at": "date"}; errors name the bad part."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        target, sep, column = part.partition("=")
        target = FIELD_ALIASES.get(target.strip(), target.strip())
        if not sep or not column.strip():
            raise LayoutError(f"--map: {part.strip()!r} is not FIELD=COLUMN")
        if target not in GUESSES:
            raise LayoutError(f"--map: unknown field {target!r} (fields: {', '.join(GUESSES)})")
        mapping[target] = column.strip()
    return mapping


def resolve_columns(columns: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Post field -> column for every field that is mapped or whose column name is a known guess."""
    squashed: dict[str, str] = {}
    for column in columns:
        squashed.setdefault(_squash(column), column)
    resolved = {}
    for target, names in GUESSES.items():
        if target in mapping:
            resolved[target] = mapping[target]
            continue
        for name in names:
            column = squashed.get(_squash(name))
            if column is not None:
                resolved[target] = column
                break
    return resolved


def _lookup(data: dict[str, Any], column: str) -> Any:
    if column in data:
        return data[column]
    value: Any = data
    for part in column.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


@dataclass
class GenericAdapter(Adapter):
    """Posts from rows whose columns are mapped or guessed by name."""

    mapping: dict[str, str] = field(default_factory=dict)
    resolved: dict[str, str] = field(default_factory=dict)

    name: ClassVar[str] = "generic"
    default_platform: ClassVar[str] = "unknown"
    description: ClassVar[str] = (
        "columns for id, text and created_at, found by names like id/post_id, text/content, "
        "created_at/date/timestamp, or named with --map id=COLUMN,text=COLUMN,created_at=COLUMN"
    )

    @classmethod
    def matches(cls, columns) -> bool:
        resolved = resolve_columns(list(columns), {})
        return all(f in resolved for f in REQUIRED)

    def bind(self, path: Path, columns: list[str]) -> None:
        self.columns = columns
        self.resolved = resolve_columns(columns, self.mapping)
        roots = set(columns)
        absent = [f"{t}={c}" for t, c in self.mapping.items() if c not in roots and c.split(".")[0] not in roots]
        if absent:
            raise LayoutError(f"{path}: --map names column(s) the file does not have: {', '.join(absent)} "
                              f"(columns: {', '.join(columns[:30])})")
        missing = [f for f in REQUIRED if f not in self.resolved]
        if missing:
            raise LayoutError(f"{path}: no column for {', '.join(missing)}; expected {self.description} "
                              f"(columns: {', '.join(columns[:30]) or 'none'})")

    def value(self, data: dict[str, Any], target: str) -> Any:
        column = self.resolved.get(target)
        if column is None and len(data) > len(self.columns) and target not in self.mapping:
            # JSON lines need not share the first line's keys: an optional field (repost_of) may appear later
            column = next((name for name in GUESSES.get(target, ()) if name in data), None)
        return None if column is None else _lookup(data, column)

    def parse_row(self, row: Row) -> Post:
        data, col, get = row.data, self.resolved, self.value
        tags = get(data, "hashtags")
        repost_of = opt_str(get(data, "repost_of"))
        return Post(
            platform=self.platform_for(get(data, "platform")),
            post_id=check_id(get(data, "id"), col["id"]),
            created_at=parse_datetime(get(data, "created_at"), col["created_at"]),
            text=check_text(get(data, "text"), col["text"]),
            author_id=opt_str(get(data, "author_id")),
            author_handle=opt_str(get(data, "author")),
            lang=language_code(get(data, "lang")),
            is_repost=parse_bool(get(data, "is_repost"), col.get("is_repost", "is_repost")) or repost_of is not None,
            repost_of=repost_of,
            quote_of=opt_str(get(data, "quote_of")),
            reply_to=opt_str(get(data, "reply_to")),
            likes=parse_int(get(data, "likes"), col.get("likes", "likes")),
            reposts=parse_int(get(data, "reposts"), col.get("reposts", "reposts")),
            replies=parse_int(get(data, "replies"), col.get("replies", "replies")),
            quotes=parse_int(get(data, "quotes"), col.get("quotes", "quotes")),
            views=parse_int(get(data, "views"), col.get("views", "views")),
            url=opt_str(get(data, "url")),
            hashtags=parse_list(tags) if tags not in (None, "") else None,
        )
