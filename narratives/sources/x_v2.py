"""X API v2 responses: pages `{"data": [tweets], "includes": {"users": [...]}}`, one per line or one per file.

Handles come from `includes.users` by `author_id`; `public_metrics` gives likes, reposts, replies,
quotes and views (impression_count); `referenced_tweets` gives repost_of / quote_of / reply_to.
A line may also be a single tweet object (with an optional embedded `author`, as twarc writes it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Adapter, LayoutError, Post, RowError, check_id, check_text
from .fields import language_code, opt_str, parse_datetime, parse_int
from .readers import Row

_TWEET_KEYS = {"id", "text", "author_id"}
_REFERENCE_FIELDS = {"retweeted": "repost_of", "quoted": "quote_of", "replied_to": "reply_to"}
_USER = "_user"
_EMPTY_PAGE_KEYS = {"meta", "errors"}
"""A page with only these (the last page of a search, an error page) holds no tweets and is skipped."""


def _is_tweet(data: dict[str, Any]) -> bool:
    return _TWEET_KEYS <= set(data)


@dataclass
class XV2Adapter(Adapter):
    """Posts from X API v2 pages (or single tweet objects)."""

    name: ClassVar[str] = "x-v2"
    description: ClassVar[str] = 'X API v2 JSON pages {"data": [...], "includes": {"users": [...]}} or tweet objects'

    @classmethod
    def matches(cls, columns: Iterable[str]) -> bool:
        keys = set(columns)
        return "data" in keys or _TWEET_KEYS | {"public_metrics"} <= keys

    def bind(self, path, columns: list[str]) -> None:
        self.columns = columns
        if not ("data" in columns or _TWEET_KEYS <= set(columns)):
            raise LayoutError(f"{path}: not an X API v2 file: expected {self.description} "
                              f"(first record has keys: {', '.join(columns[:20]) or 'none'})")

    def expand(self, row: Row) -> Iterator[Row]:
        data = row.data
        if "data" not in data:
            if _is_tweet(data):
                yield Row(row.line, dict(data, **{_USER: data.get("author")}), data, row.encoding)
            elif not _EMPTY_PAGE_KEYS & set(data):
                raise RowError("data", "not an X API page", f"keys: {', '.join(list(data)[:10])}")
            return
        tweets = data["data"]
        if isinstance(tweets, dict):
            tweets = [tweets]
        if not isinstance(tweets, list):
            raise RowError("data", "not an X API page", "data is not a list")
        includes = data.get("includes") or {}
        users = {u.get("id"): u for u in includes.get("users") or [] if isinstance(u, dict)}
        for tweet in tweets:
            if not isinstance(tweet, dict):
                yield Row(row.line, {}, tweet, row.encoding)
                continue
            yield Row(row.line, dict(tweet, **{_USER: users.get(tweet.get("author_id"))}), tweet, row.encoding)

    def parse_row(self, row: Row) -> Post:
        tweet = row.data
        post_id = check_id(tweet.get("id"), "id")
        note = tweet.get("note_tweet")
        text = note.get("text") if isinstance(note, dict) and note.get("text") else tweet.get("text")
        user = tweet.get(_USER) if isinstance(tweet.get(_USER), dict) else {}
        handle = opt_str(user.get("username"))
        metrics = tweet.get("public_metrics") or {}
        refs = {_REFERENCE_FIELDS[r["type"]]: opt_str(r.get("id"))
                for r in tweet.get("referenced_tweets") or []
                if isinstance(r, dict) and r.get("type") in _REFERENCE_FIELDS}
        entities = tweet.get("entities") or {}
        tags = entities.get("hashtags")
        return Post(
            platform=self.platform_for(),
            post_id=post_id,
            created_at=parse_datetime(tweet.get("created_at"), "created_at"),
            text=check_text(text),
            author_id=opt_str(tweet.get("author_id")),
            author_handle=handle,
            lang=language_code(tweet.get("lang")),
            is_repost="repost_of" in refs,
            repost_of=refs.get("repost_of"),
            quote_of=refs.get("quote_of"),
            reply_to=refs.get("reply_to"),
            likes=parse_int(metrics.get("like_count"), "public_metrics.like_count"),
            reposts=parse_int(metrics.get("retweet_count"), "public_metrics.retweet_count"),
            replies=parse_int(metrics.get("reply_count"), "public_metrics.reply_count"),
            quotes=parse_int(metrics.get("quote_count"), "public_metrics.quote_count"),
            views=parse_int(metrics.get("impression_count"), "public_metrics.impression_count"),
            url=f"https://x.com/{handle or 'i'}/status/{post_id}",
            hashtags=[h["tag"] for h in tags if isinstance(h, dict) and h.get("tag")] if tags is not None else None,
        )
