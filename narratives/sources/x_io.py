"""X/Twitter information-operations archive CSVs (`tweetid, userid, ..., tweet_text, tweet_time, ...`).

One CSV per release; `tweet_time` is `YYYY-MM-DD HH:MM` UTC, `is_retweet` True/False, and hashtags
are bracketed lists. In "hashed" releases small accounts' ids and names are hashes: stored as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Adapter, Post, check_id, check_text
from .fields import language_code, opt_str, parse_bool, parse_datetime, parse_int, parse_list
from .readers import Row


@dataclass
class XIoAdapter(Adapter):
    """Posts from an X information-operations release."""

    name: ClassVar[str] = "x-io"
    required: ClassVar[tuple[str, ...]] = ("tweetid", "userid", "tweet_text", "tweet_time")
    description: ClassVar[str] = ("the X information-operations header tweetid, userid, user_display_name, "
                                  "user_screen_name, ..., tweet_text, tweet_time, ..., hashtags, urls, ...")

    def parse_row(self, row: Row) -> Post:
        data = row.data
        post_id = check_id(data["tweetid"], "tweetid")
        repost_of = opt_str(data.get("retweet_tweetid"))
        tags = data.get("hashtags")
        return Post(
            platform=self.platform_for(),
            post_id=post_id,
            created_at=parse_datetime(data["tweet_time"], "tweet_time"),
            text=check_text(data["tweet_text"], "tweet_text"),
            author_id=opt_str(data["userid"]),
            author_handle=opt_str(data.get("user_screen_name")),
            lang=language_code(data.get("tweet_language")),
            is_repost=parse_bool(data.get("is_retweet"), "is_retweet") or repost_of is not None,
            repost_of=repost_of,
            quote_of=opt_str(data.get("quoted_tweet_tweetid")),
            reply_to=opt_str(data.get("in_reply_to_tweetid")),
            likes=parse_int(data.get("like_count"), "like_count"),
            reposts=parse_int(data.get("retweet_count"), "retweet_count"),
            replies=parse_int(data.get("reply_count"), "reply_count"),
            quotes=parse_int(data.get("quote_count"), "quote_count"),
            url=f"https://x.com/i/status/{post_id}",
            hashtags=parse_list(tags) if tags is not None else None,
        )
