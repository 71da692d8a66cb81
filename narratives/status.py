"""What is in the store: posts by platform and language, date range, weekly volume, rejects, ingests."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from .store import Store


@dataclass
class StoreStatus:
    """A plain summary of the store (`to_dict()` for JSON); weeks are ISO weeks `YYYY-Www`."""

    posts: int
    gold: int
    first_post: datetime | None
    last_post: datetime | None
    by_platform_lang: list[tuple[str, str | None, int]] = field(default_factory=list)
    weekly: list[tuple[str, int]] = field(default_factory=list)
    rejects: list[tuple[str, str | None, int]] = field(default_factory=list)
    ingests: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def store_status(store: Store) -> StoreStatus:
    """Summarise the store (read-only queries)."""
    first, last = store.post_date_range()
    return StoreStatus(
        posts=store.count_posts(),
        gold=store.count_gold(),
        first_post=first,
        last_post=last,
        by_platform_lang=store.posts_by_platform_lang(),
        weekly=store.weekly_post_counts(),
        rejects=store.reject_counts(),
        ingests=store.ingest_records(),
    )
