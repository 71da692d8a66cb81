"""Organic chatter by ordinary and news accounts: candidates, national politics, everyday topics, other languages."""

from __future__ import annotations

import random
from datetime import timedelta

from . import phrases as P
from .drafting import _draft, _fill, _link, _organic_engagement, _slots, _time, _typo
from .plan import ORGANIC_KINDS, ORGANIC_POSTS, START, WEEKS, Account


def _organic_posts(rng: random.Random, people: list[Account], news: list[Account]) -> list[dict]:
    days = [START + timedelta(days=i) for i in range(7 * WEEKS)]
    order = people[:]
    rng.shuffle(order)
    weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(people))]
    kinds = list(ORGANIC_KINDS)
    drafts = []
    for i in range(ORGANIC_POSTS):
        kind = rng.choices(kinds, weights=list(ORGANIC_KINDS.values()))[0]
        text, stance, lang, newsy = _organic_text(rng, kind)
        if newsy and rng.random() < 0.5:
            author = rng.choice(news)
            text = (rng.choice(P.NEWS_PREFIXES) + " " + text if rng.random() < 0.5 else text) + " " + _link(rng)
        else:
            author = order[i] if i < len(order) else rng.choices(people, weights=weights)[0]
        moment = _time(rng, rng.choice(days), bot=False)
        drafts.append(_draft(text, moment, author, lang, "none", stance, False,
                             _organic_engagement(rng, author.news)))
    return drafts


def _organic_text(rng: random.Random, kind: str) -> tuple[str, dict[str, str], str, bool]:
    """(text, stance by target, lang, whether a news account could have posted it)."""
    if kind == "candidate":
        target = rng.choice(sorted(P.ORGANIC_CANDIDATE))
        stance, template = rng.choice(P.ORGANIC_CANDIDATE[target])
        targets = {target: stance, **_also_named(template, target)}
        text = _fill(template, _slots(rng, target, campaign=False))
        return _decorate_organic(rng, text, "politics"), targets, "en", stance == "neutral"
    if kind == "national":
        targets, template = rng.choice(P.ORGANIC_NATIONAL)
        text = _fill(template, _slots(rng, None, campaign=False))
        return _decorate_organic(rng, text, "politics"), dict(targets), "en", set(targets.values()) == {"neutral"}
    if kind == "politics":
        text = _fill(rng.choice(P.ORGANIC_POLITICS), _slots(rng, None, campaign=False))
        return _decorate_organic(rng, text, "politics"), {}, "en", False
    if kind == "topic":
        topic = rng.choice(sorted(P.ORGANIC_TOPICS))
        slots = _slots(rng, None, campaign=False)
        slots["x"] = rng.choice(P.FILL.get(topic, [""]))
        return _decorate_organic(rng, _fill(rng.choice(P.ORGANIC_TOPICS[topic]), slots), topic), {}, "en", False
    if kind == "collision":
        group = rng.choice(sorted(P.COLLISIONS))
        return _decorate_organic(rng, rng.choice(P.COLLISIONS[group]), "life"), {}, "en", False
    r = rng.random()
    if r < 0.5:
        text, targets, lang = rng.choice(P.ORGANIC_ZH), {}, "zh"
    elif r < 0.8:
        text, targets, lang = rng.choice(P.ORGANIC_ES), {}, "es"
    else:
        text, lang = rng.choice(P.ORGANIC_ES_RUBIO), "es"
        targets = {"marco_rubio": "neutral", **_also_named(text, "marco_rubio")}
    if rng.random() < 0.4:
        text += " " + rng.choice(P.ORGANIC_EMOJI)
    return text, targets, lang, bool(targets)


def _also_named(template: str, target: str) -> dict[str, str]:
    """Other candidates a post names in passing (a race, a rally): targets too, neither for nor against."""
    return {other: "neutral" for other, name in P.ALSO_NAMED.items() if other != target and name in template}


def _decorate_organic(rng: random.Random, text: str, topic: str) -> str:
    """Everyday variation: a lead-in, a second sentence, an afterthought, emoji, lower case, the odd typo."""
    if rng.random() < 0.15:
        lead = rng.choice(P.ORGANIC_PREFIXES)
        text = f"{lead} {text}"
    if rng.random() < 0.55:
        text += " " + rng.choice(P.ORGANIC_TAILS[topic])
    if rng.random() < 0.2:
        text = text.rstrip(".") + " " + rng.choice(P.ORGANIC_SUFFIXES)
    if rng.random() < 0.25:
        text += " " + rng.choice(P.ORGANIC_EMOJI)
    if rng.random() < 0.1:
        text = text.lower()
    if rng.random() < 0.08:
        text = _typo(rng, text)
    return text
