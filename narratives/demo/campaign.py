"""Campaign posts by the bots: English and Chinese copy, single posts and copy-paste bursts."""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import phrases as P
from .drafting import (_bot_engagement, _draft, _fill_mentions, _hashtags, _link, _possessive, _slots, _time,
                       _typo)
from .plan import BURSTS, ELECTION_DAY, START, WEEKLY_PLAN, WEEKS, ZH_SHARE, Account


def _campaign_text(rng: random.Random, narrative: str, lang: str) -> tuple[str, dict[str, str]]:
    """One campaign post and its gold stance, assembled from independently chosen parts."""
    if lang == "zh":
        return _campaign_text_zh(rng, narrative)
    bank = P.CAMPAIGN[narrative]
    target = P.CAMPAIGN_TARGET[narrative]
    slots = _slots(rng, target, campaign=True)
    stance = {target: "favor" if narrative == "rival_support" else "against"}
    shapes = ["statement", "question", "sarcasm", "news", "reply"]
    weights = [52, 15, 11 if bank["sarcasm"] else 0, 10, 12]
    shape = rng.choices(shapes, weights=weights)[0]
    parts: list[str] = []
    if shape == "statement":
        if rng.random() < 0.45:
            parts.append(rng.choice(bank.get("openers", P.GENERIC_OPENERS)))
        parts += rng.sample(bank["claims"], 2 if rng.random() < 0.35 else 1)
        if rng.random() < 0.45:
            parts.append(rng.choice(bank["evidence"]))
    elif shape == "question":
        parts.append(rng.choice(bank["questions"]))
        if rng.random() < 0.5:
            parts.append(rng.choice(bank["evidence"]))
    elif shape == "sarcasm":
        parts.append(rng.choice(bank["sarcasm"]))
        if rng.random() < 0.3:
            parts.append(rng.choice(bank["evidence"]))
    elif shape == "news":
        headline = rng.choice(bank["news"])
        if rng.random() < 0.4 and not headline.split(" ")[0].endswith(":"):
            headline = rng.choice(P.NEWS_PREFIXES) + " " + headline
        parts.append(headline)
        if rng.random() < 0.5:
            parts.append(rng.choice(bank["evidence"]))
    else:  # a reply to the target's account: the text names them some other way
        names = P.CANDIDATE_NAMES[target]
        slots["n"] = rng.choice([f for f in names["forms"] if not f.startswith("@")])
        slots["r"] = rng.choice([f for f in P.CANDIDATE_NAMES["gloria_johnson"]["forms"] if not f.startswith("@")])
        slots["ns"] = _possessive(slots["n"]) if "(" not in slots["n"] else slots["ns"]
        parts.append(f"{names['handle']} " + rng.choice(bank["evidence"] + bank["claims"]))
    if narrative == "rival_support" and rng.random() < 0.4:
        parts.append(rng.choice(bank["attacks"]))  # after the praise, so "she" has someone to refer to
        stance["marsha_blackburn"] = "against"
    if shape != "news" and rng.random() < 0.55:
        parts.append(rng.choice(bank["calls"] if rng.random() < 0.6 else bank.get("generic_calls", P.GENERIC_CALLS)))
    if shape != "news" and rng.random() < 0.25:
        parts.append(rng.choice(bank.get("closers", P.GENERIC_CLOSERS)))
    filled = _fill_mentions(rng, parts, slots, target)
    filled = [p + "." if i < len(filled) - 1 and p[-1:].isalnum() and rng.random() < 0.7 else p
              for i, p in enumerate(filled)]
    text = _decorate_campaign(rng, " ".join(filled), bank, news=shape == "news")
    return text, stance


def _decorate_campaign(rng: random.Random, text: str, bank: dict[str, list[str]], *, news: bool) -> str:
    """Registers and noise: shouting, lower case, typos, emoji, hashtags and links."""
    r = rng.random()
    if r < 0.06 and not news:
        text = text.upper()
    elif r < 0.16:
        text = text.lower()
    if rng.random() < 0.18:
        text = _typo(rng, text)
    if rng.random() < 0.35 and not news:
        emoji = bank.get("emoji", P.CAMPAIGN_EMOJI)
        text += " " + "".join(rng.choice(emoji) for _ in range(rng.randint(1, 3)))
    tags = _hashtags(rng, bank["hashtags"], bank.get("generic_hashtags", P.GENERIC_HASHTAGS),
                     rng.choices([0, 1, 2, 3], weights=[22, 38, 28, 12])[0])
    if tags:
        text = " ".join(tags) + " " + text if rng.random() < 0.15 else text + " " + " ".join(tags)
    if news or rng.random() < 0.1:
        text += " " + _link(rng)
    return text


def _campaign_text_zh(rng: random.Random, narrative: str) -> tuple[str, dict[str, str]]:
    """A Chinese-language campaign post: registry-style transliterated names, Chinese hashtags."""
    bank = P.CAMPAIGN_ZH[narrative]
    target = P.CAMPAIGN_TARGET[narrative]
    slots = _slots(rng, target, campaign=True)
    stance = {target: "favor" if narrative == "rival_support" else "against"}
    claims = rng.sample(bank["claims"], rng.choice([1, 1, 2]))
    extras = rng.sample(bank["extras"], rng.choice([0, 1, 1, 2]))
    parts = [c.format_map(slots) for c in claims] + extras
    if narrative == "rival_support" and rng.random() < 0.4:
        parts.append(rng.choice(bank["attacks"]))
        stance["marsha_blackburn"] = "against"
    rng.shuffle(parts)
    text = "".join(parts)
    if rng.random() < 0.25:
        text = P.CANDIDATE_NAMES[target]["handle"] + " " + text
    if rng.random() < 0.3:
        text += rng.choice(P.CAMPAIGN_EMOJI)
    chinese = [t for t in bank["hashtags"] if not t[1:].isascii()]
    first = rng.choice(chinese)
    tags = [first] + rng.sample([t for t in bank["hashtags"] if t != first], rng.choice([0, 1, 1, 2]))
    rng.shuffle(tags)
    text = text + " " + " ".join(tags)
    return text, stance


def _mutate(rng: random.Random, text: str) -> str:
    """A near-copy as a different bot account would paste it."""
    kind = rng.randrange(6)
    if kind == 0:
        return text
    if kind == 1:
        return text + " " + rng.choice(P.CAMPAIGN_EMOJI)
    if kind == 2:
        return text + " " + _link(rng)
    if kind == 3 and text[-1:] in ".!":
        return text[:-1]
    if kind == 4 and text.startswith("@"):
        return "." + text  # the old trick to make a reply show in everyone's timeline
    return text.replace(" ", "  ", 1)


def _week_days(narrative: str, week: int) -> list[date]:
    """Days a narrative posts in a week; the pharma push in election week stops after election day."""
    days = [START + timedelta(days=7 * week + d) for d in range(7)]
    if narrative == "industry_money" and week == WEEKS - 1:
        days = [d for d in days if d <= ELECTION_DAY]
    return days


def _campaign_posts(rng: random.Random, bots: list[Account]) -> list[dict]:
    drafts: list[dict] = []
    for narrative in sorted(WEEKLY_PLAN):
        pool = [b for b in bots if narrative in b.narratives]
        zh_pool = [b for b in pool if b.zh] or pool
        weights = [rng.uniform(0.5, 3.0) for _ in pool]  # some bots are busier than others
        for week, quota in enumerate(WEEKLY_PLAN[narrative]):
            days = _week_days(narrative, week)
            left = quota
            for b_narr, b_week, size, lang in BURSTS:
                if (b_narr, b_week) != (narrative, week):
                    continue
                drafts += _burst(rng, narrative, lang, size, rng.choice(days), zh_pool if lang == "zh" else pool)
                left -= size
            for _ in range(left):
                lang = "zh" if rng.random() < ZH_SHARE else "en"
                author = rng.choice(zh_pool) if lang == "zh" else rng.choices(pool, weights=weights)[0]
                text, stance = _campaign_text(rng, narrative, lang)
                moment = _time(rng, rng.choice(days), bot=True)
                drafts.append(_draft(text, moment, author, lang, narrative, stance, False, _bot_engagement(rng)))
    return drafts


def _burst(rng: random.Random, narrative: str, lang: str, size: int, day: date, pool: list[Account]) -> list[dict]:
    """Several bots paste the same (or nearly the same) text within a few minutes."""
    text, stance = _campaign_text(rng, narrative, lang)
    moment = _time(rng, day, bot=True)
    drafts = []
    for author in rng.sample(pool, size):
        copy = text if lang == "zh" and rng.random() < 0.5 else _mutate(rng, text)
        drafts.append(_draft(copy, moment, author, lang, narrative, stance, True, _bot_engagement(rng)))
        moment += timedelta(seconds=rng.randint(20, 150))
    return drafts
