"""Shared pieces of every demo post: posting times, engagement, template filling, noise, the draft record."""

from __future__ import annotations

import random
import string
from datetime import date, datetime, timezone

from . import phrases as P
from .plan import US_DAYTIME, Account


# --- time and engagement ----------------------------------------------------------------------------

def _time(rng: random.Random, day: date, *, bot: bool) -> datetime:
    """A moment on `day`: bots mostly post 00-10 UTC (their operators' office hours), people in US daytime."""
    if bot and rng.random() < 0.7:
        hour = rng.randrange(0, 10)
    else:
        hour = rng.choices(range(24), weights=US_DAYTIME)[0]
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _bot_engagement(rng: random.Random) -> dict[str, int]:
    """Bot posts get almost no engagement: the network talks to itself."""
    return {
        "likes": rng.choices(range(6), weights=[38, 26, 16, 11, 6, 3])[0],
        "reposts": rng.choices(range(4), weights=[62, 24, 10, 4])[0],
        "replies": rng.choices(range(2), weights=[86, 14])[0],
    }


def _organic_engagement(rng: random.Random, news: bool) -> dict[str, int]:
    """Heavy-tailed engagement: most posts get a handful of likes, a few go viral."""
    likes = int((rng.paretovariate(1.15) - 1) * (40 if news else 6))
    likes = min(likes, 250_000)
    return {
        "likes": likes,
        "reposts": int(likes * rng.uniform(0.0, 0.35)),
        "replies": int(likes * rng.uniform(0.0, 0.2)) + (rng.random() < 0.2),
    }


# --- text helpers ----------------------------------------------------------------------------------

def _slots(rng: random.Random, target: str | None, *, campaign: bool) -> dict[str, object]:
    """Values for every template slot; name forms vary per post (campaign copy also uses nicknames)."""
    values: dict[str, object] = {
        "city": rng.choice(P.CITIES), "state": rng.choice(P.STATES), "d": rng.randint(1, 10),
        "x": "",
    }
    gloria = P.CANDIDATE_NAMES["gloria_johnson"]
    values["r"] = rng.choice(gloria["forms"] + (gloria["nicknames"] if campaign else []))
    values["rs"] = _possessive(rng.choice(gloria["forms"]))
    values["zr"] = rng.choice(gloria["zh"])
    if target is not None:
        names = P.CANDIDATE_NAMES[target]
        forms = names["forms"] + (names["nicknames"] * 2 if campaign else [])
        values["n"] = rng.choice(forms)
        values["ns"] = _possessive(values["n"] if "(" not in values["n"] else names["surname"])
        values["s"] = names["surname"]
        values["ss"] = _possessive(names["surname"])
        values["h"] = names["handle"]
        values["st"] = names["state"]
        values["z"] = rng.choice(names["zh"])
    return values


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _fill(template: str, slots: dict[str, object]) -> str:
    text = template.format_map(slots)
    return text[:1].upper() + text[1:] if text[:1].islower() and not text.startswith(("@", "#")) else text


def _fill_mentions(rng: random.Random, parts: list[str], slots: dict[str, object], target: str) -> list[str]:
    """Fill parts in order: the first to name the target gets the chosen form, later ones mostly a short one."""
    surname = P.CANDIDATE_NAMES[target]["surname"]
    later = dict(slots)
    later["n"] = rng.choice([surname, surname, slots["n"]])
    later["ns"] = _possessive(str(later["n"])) if "(" not in str(later["n"]) else slots["ns"]
    later["r"] = rng.choice(["Gloria", "Johnson", slots["r"]])
    filled, named = [], False
    for part in parts:
        mentions = "{n" in part or "{r" in part
        filled.append(_fill(part, later if mentions and named else slots))
        named = named or mentions
    return filled


def _typo(rng: random.Random, text: str) -> str:
    """One realistic slip in a lower-case word: swapped, dropped or doubled letter."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.islower()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        w = w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]
    elif kind == 1:
        w = w[:j] + w[j + 1:]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def _link(rng: random.Random) -> str:
    return "https://t.co/" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(10))


def _hashtags(rng: random.Random, own: list[str], generic: list[str], k: int) -> list[str]:
    pool = own * 3 + generic
    tags: list[str] = []
    while len(tags) < k:
        tag = rng.choice(pool)
        if tag not in tags:
            tags.append(tag)
    return tags


def _draft(text: str, moment: datetime, author: Account, lang: str, narrative: str,
           stance: dict[str, str], coordinated: bool, engagement: dict[str, int]) -> dict:
    """A post without its id, fields in the labeled-set order."""
    targets = sorted(stance)
    return {
        "text": text, "created_at": _iso(moment), "author": author.handle, "platform": "x", "lang": lang,
        **engagement,
        "narrative": narrative, "targets": targets, "stance": {t: stance[t] for t in targets},
        "coordinated": coordinated,
    }
