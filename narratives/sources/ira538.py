"""FiveThirtyEight's IRA troll-tweet CSVs (`external_author_id, author, content, ..., publish_date, ...`).

The original files carry `tweet_id`; the re-host in ../shared/data dropped it. Without it the id is
derived from author, publish time and text, so the same tweet gets the same id on every ingest and
exact repeats (same author, minute and text) count as duplicates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import ClassVar

from .base import Adapter, Post, check_text
from .fields import language_code, opt_str, parse_bool, parse_mdy_hm
from .readers import Row

DERIVED_ID_PREFIX = "ira-"


def derived_id(author: str, publish_date: str, content: str) -> str:
    """Stable id for a row without tweet_id: a hash of what makes a tweet that tweet."""
    key = "\x1f".join((author, publish_date, content)).encode("utf-8", "surrogateescape")
    return DERIVED_ID_PREFIX + hashlib.blake2b(key, digest_size=10).hexdigest()


@dataclass
class Ira538Adapter(Adapter):
    """Posts from the FiveThirtyEight layout; `retweet` = 1 marks reposts, `language` names become ISO codes."""

    name: ClassVar[str] = "ira538"
    required: ClassVar[tuple[str, ...]] = ("external_author_id", "author", "content", "publish_date")
    description: ClassVar[str] = ("the FiveThirtyEight IRA CSV header external_author_id, author, content, "
                                  "region, language, publish_date, ... retweet, account_category")

    def parse_row(self, row: Row) -> Post:
        data = row.data
        author, published = data["author"], data["publish_date"]
        text = check_text(data["content"], "content")
        tweet_id = opt_str(data.get("tweet_id"))
        post_id = tweet_id or derived_id(author, published, text)
        url = opt_str(data.get("article_url"))
        if url is None and tweet_id:
            url = f"https://x.com/{author}/status/{tweet_id}"
        return Post(
            platform=self.platform_for(),
            post_id=post_id,
            created_at=parse_mdy_hm(published, "publish_date"),
            text=text,
            author_id=opt_str(data["external_author_id"]),
            author_handle=opt_str(author),
            lang=language_code(data.get("language")),
            is_repost=parse_bool(data.get("retweet"), "retweet"),
            url=url,
        )
