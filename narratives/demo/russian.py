"""Russian posts: campaign singles and bursts by a third of each narrative's bots, and organic ones.

Drawn from a random stream of their own, after everything else, so adding them left the English and
Chinese posts as they were (only the ids, which follow time order, moved).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import phrases as P
from .campaign import _mutate, _week_days
from .drafting import _bot_engagement, _draft, _organic_engagement, _time
from .plan import ORGANIC_RU_POSTS, RU_BURSTS, RU_SHARE, START, WEEKLY_PLAN, WEEKS, Account


def _russian_posts(seed: int, bots: list[Account], people: list[Account]) -> list[dict]:
    """Russian campaign posts (singles and RU_BURSTS, by a third of each narrative's bots) and organic ones."""
    rng = random.Random(f"russian-{seed}")
    drafts: list[dict] = []
    for narrative in sorted(WEEKLY_PLAN):
        pool = [b for b in bots if narrative in b.narratives]
        ru_pool = rng.sample(pool, max(6, len(pool) // 3))
        for week, quota in enumerate(WEEKLY_PLAN[narrative]):
            days = _week_days(narrative, week)
            for b_narr, b_week, size, lang in RU_BURSTS:
                if (b_narr, b_week) == (narrative, week):
                    drafts += _burst_ru(rng, narrative, size, rng.choice(days), ru_pool)
            for _ in range(round(quota * RU_SHARE)):
                text, stance = _campaign_text_ru(rng, narrative)
                moment = _time(rng, rng.choice(days), bot=True)
                drafts.append(_draft(text, moment, rng.choice(ru_pool), "ru", narrative, stance, False,
                                     _bot_engagement(rng)))
    days = [START + timedelta(days=i) for i in range(7 * WEEKS)]
    for _ in range(ORGANIC_RU_POSTS):
        text = rng.choice(P.ORGANIC_RU)
        if rng.random() < 0.4:
            text += " " + rng.choice(P.ORGANIC_EMOJI)
        moment = _time(rng, rng.choice(days), bot=False)
        drafts.append(_draft(text, moment, rng.choice(people), "ru", "none", {}, False, _organic_engagement(rng, False)))
    return drafts


def _campaign_text_ru(rng: random.Random, narrative: str) -> tuple[str, dict[str, str]]:
    """A Russian-language campaign post: Cyrillic name forms, Russian hashtags."""
    bank = P.CAMPAIGN_RU[narrative]
    target = P.CAMPAIGN_TARGET[narrative]
    stance = {target: "favor" if narrative == "rival_support" else "against"}
    slots = {"y": rng.choice(P.RU_NAMES[target]), "yr": rng.choice(P.RU_NAMES["gloria_johnson"])}
    parts = [c.format_map(slots) for c in rng.sample(bank["claims"], rng.choice([1, 1, 2]))]
    parts = [p[:1].upper() + p[1:] for p in parts] + rng.sample(bank["extras"], rng.choice([0, 1, 1, 2]))
    if narrative == "rival_support" and rng.random() < 0.4:
        parts.append(rng.choice(bank["attacks"]))
        stance["marsha_blackburn"] = "against"
    rng.shuffle(parts)
    text = " ".join(parts)
    if rng.random() < 0.2:
        text = P.CANDIDATE_NAMES[target]["handle"] + " " + text
    if rng.random() < 0.3:
        text += " " + rng.choice(P.CAMPAIGN_EMOJI)
    cyrillic = [t for t in bank["hashtags"] if not t[1:].isascii()]
    first = rng.choice(cyrillic)
    tags = [first] + rng.sample([t for t in bank["hashtags"] if t != first], rng.choice([0, 1, 1, 2]))
    rng.shuffle(tags)
    return text + " " + " ".join(tags), stance


def _burst_ru(rng: random.Random, narrative: str, size: int, day: date, pool: list[Account]) -> list[dict]:
    """A Russian copy-paste burst, as `_burst`."""
    text, stance = _campaign_text_ru(rng, narrative)
    moment = _time(rng, day, bot=True)
    drafts = []
    for author in rng.sample(pool, size):
        drafts.append(_draft(_mutate(rng, text), moment, author, "ru", narrative, stance, True, _bot_engagement(rng)))
        moment += timedelta(seconds=rng.randint(20, 150))
    return drafts
