"""Coordination beyond exact copy-paste: edited near-copy bursts and retweet rings (coordinated), and organic
retweet cascades (not).
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta, timezone

from . import phrases as P
from .campaign import _campaign_text, _week_days
from .drafting import _bot_engagement, _draft, _iso, _time, _typo
from .plan import CASCADES, EDITED_BURSTS, RETWEET_RINGS, START, WEEKS, Account

_TAG = re.compile(r"\s*#\w+")


def _coordination_extras(rng: random.Random, bots: list[Account], people: list[Account],
                         drafts: list[dict]) -> list[dict]:
    """Edited near-copy bursts and retweet rings (coordinated), and organic retweet cascades (not)."""
    out: list[dict] = []
    for narrative, week, size in EDITED_BURSTS:
        pool = [b for b in bots if narrative in b.narratives]
        out += _edited_burst(rng, narrative, rng.choice(_week_days(narrative, week)), size, pool)
    for narrative, week, size, n_posts in RETWEET_RINGS:
        pool = [b for b in bots if narrative in b.narratives]
        ring = rng.sample(pool, size)
        sources = [b for b in pool if b not in ring]
        day = rng.choice(_week_days(narrative, week))
        for _ in range(n_posts):
            text, stance = _campaign_text(rng, narrative, "en")
            seed = _draft(text, _time(rng, day, bot=True), rng.choice(sources), "en", narrative, stance, False,
                          _bot_engagement(rng))
            out.append(seed)
            out += _reposts(rng, seed, ring, delays=[rng.randint(3, 50) for _ in ring], coordinated=True)
    organic = sorted((d for d in drafts if d["narrative"] == "none" and d["lang"] == "en"
                      and d["created_at"] < _iso(datetime.combine(START + timedelta(days=7 * WEEKS - 1),
                                                                  datetime.min.time()))),
                     key=lambda d: (d["created_at"], d["author"]))
    for week, size in CASCADES:
        monday = _iso(datetime.combine(START + timedelta(days=7 * week), datetime.min.time()))
        sunday = _iso(datetime.combine(START + timedelta(days=7 * week + 6), datetime.min.time()))
        original = rng.choice([d for d in organic if monday <= d["created_at"] < sunday])
        fans = rng.sample([p for p in people if p.handle != original["author"]], size)
        # heavy early, long tail: log-normal delays around half an hour, cut at 18 hours
        delays = [min(int(rng.lognormvariate(7.5, 1.1)), 18 * 3600) for _ in fans]
        out += _reposts(rng, original, fans, delays, coordinated=False)
    return out


def _edited_burst(rng: random.Random, narrative: str, day: date, size: int, pool: list[Account]) -> list[dict]:
    """Bots paste one text within minutes, each with small edits: a typo, other emoji, hashtags reordered."""
    text, stance = _campaign_text(rng, narrative, "en")
    while len(_TAG.sub("", text)) < 60:
        text, stance = _campaign_text(rng, narrative, "en")
    body = _TAG.sub("", text).strip()
    tags = rng.sample(P.CAMPAIGN[narrative]["hashtags"], 3)
    moment = _time(rng, day, bot=True)
    drafts = []
    for author in rng.sample(pool, size):
        copy = _typo(rng, body) if rng.random() < 0.5 else body
        if rng.random() < 0.6:
            copy += " " + "".join(rng.choice(P.CAMPAIGN_EMOJI) for _ in range(rng.randint(1, 2)))
        order = tags[:]
        rng.shuffle(order)
        drafts.append(_draft(f"{copy} {' '.join(order)}", moment, author, "en", narrative, stance, True,
                             _bot_engagement(rng)))
        moment += timedelta(seconds=rng.randint(20, 150))
    return drafts


def _reposts(rng: random.Random, original: dict, accounts: list[Account], delays: list[int],
             coordinated: bool) -> list[dict]:
    """Reposts of `original` by `accounts`, each `delays[i]` seconds after it (stopping at the corpus end)."""
    start = datetime.fromisoformat(original["created_at"].replace("Z", "+00:00"))
    end = datetime.combine(START + timedelta(days=7 * WEEKS), datetime.min.time(), tzinfo=timezone.utc)
    out = []
    for account, delay in zip(accounts, delays):
        moment = start + timedelta(seconds=delay)
        if moment >= end:
            continue
        draft = _draft(f"RT @{original['author']}: {original['text']}", moment, account, original["lang"],
                       original["narrative"], original["stance"], coordinated, {"likes": 0, "reposts": 0, "replies": 0})
        out.append({**{k: draft[k] for k in list(draft)[:8]}, "repost_of": original,
                    **{k: draft[k] for k in list(draft)[8:]}})
    return out
