"""Builds the demo corpus: a simulated autumn-2024 down-ballot bot campaign mixed into organic chatter.

Everything flows from one `random.Random(seed)` in a fixed order, so one seed always gives the
same posts byte for byte. The planted weekly dynamics live in `plan.py` (`WEEKLY_PLAN`, `BURSTS`: data, so that
tests and readers find the plan in one place); the wording lives in `phrases.py`.
"""

from __future__ import annotations

import random

from .accounts import _make_bots, _make_people
from .campaign import _campaign_posts
from .coordination_extras import _coordination_extras
from .organic import _organic_posts
from .plan import (BURSTS, CASCADES, EDITED_BURSTS, ELECTION_DAY, N_BOTS, N_PEOPLE, ORGANIC_KINDS, ORGANIC_POSTS,
                   ORGANIC_RU_POSTS, RETWEET_RINGS, RU_BURSTS, RU_SHARE, START, US_DAYTIME, WEEKLY_PLAN, WEEKS,
                   ZH_SHARE, Account)
from .russian import _russian_posts

__all__ = ["Account", "BURSTS", "CASCADES", "EDITED_BURSTS", "ELECTION_DAY", "N_BOTS", "N_PEOPLE", "ORGANIC_KINDS",
           "ORGANIC_POSTS", "ORGANIC_RU_POSTS", "RETWEET_RINGS", "RU_BURSTS", "RU_SHARE", "START", "US_DAYTIME",
           "WEEKLY_PLAN", "WEEKS", "ZH_SHARE", "generate"]


def generate(seed: int = 7) -> list[dict]:
    """All demo posts in the labeled-set format, sorted by time, ids demo-000001...."""
    rng = random.Random(seed)
    bots = _make_bots(rng)
    people, news = _make_people(rng, taken={b.handle for b in bots})
    drafts = _campaign_posts(rng, bots) + _organic_posts(rng, people, news)
    # coordination extras draw from their own stream, so the posts above stay byte-identical
    drafts += _coordination_extras(random.Random(f"{seed}:coordination"), bots, people, drafts)
    drafts += _russian_posts(seed, bots, people)
    drafts.sort(key=lambda d: (d["created_at"], d["author"], d["text"]))
    ids = {id(d): f"demo-{i:06d}" for i, d in enumerate(drafts, start=1)}
    return [{"id": ids[id(d)], **_resolve_repost(d, ids)} for d in drafts]


def _resolve_repost(draft: dict, ids: dict[int, str]) -> dict:
    """A draft with `repost_of` (the original draft) replaced by the original's id."""
    if "repost_of" not in draft:
        return draft
    return {**draft, "repost_of": ids[id(draft["repost_of"])]}
