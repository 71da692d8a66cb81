"""Builds the demo corpus: a simulated autumn-2024 down-ballot bot campaign mixed into organic chatter.

Everything flows from one `random.Random(seed)` in a fixed order, so one seed always gives the
same posts byte for byte. The planted weekly dynamics live in `WEEKLY_PLAN` and `BURSTS` (data, so that
tests and readers find the plan in one place); the wording lives in `phrases.py`.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from . import phrases as P

START = date(2024, 9, 2)  # Monday of ISO week 2024-W36
WEEKS = 10  # 2024-W36 .. 2024-W45, ending Sunday 2024-11-10
ELECTION_DAY = date(2024, 11, 5)

# Campaign posts per narrative per ISO week (index 0 = 2024-W36 ... 9 = 2024-W45), bursts included.
WEEKLY_PLAN: dict[str, list[int]] = {
    "insider_trading": [14, 16, 13, 15, 17, 190, 16, 14, 15, 12],  # one sharp week: 2024-W41
    "corruption_scheme": [0, 0, 0, 0, 0, 0, 55, 75, 90, 70],  # starts Mon 2024-10-14 (W42)
    "industry_money": [14, 18, 24, 30, 38, 46, 56, 68, 82, 96],  # grows toward election day
    "antisemitic_tropes": [34, 38, 33, 36, 35, 37, 34, 39, 36, 33],  # steady
    "rival_support": [26, 29, 31, 28, 30, 33, 32, 35, 38, 30],  # steady
}

# Coordinated copy-paste bursts: (narrative, week index, number of accounts, language).
BURSTS: list[tuple[str, int, int, str]] = [
    ("insider_trading", 5, 8, "en"),
    ("insider_trading", 5, 7, "en"),
    ("insider_trading", 5, 6, "zh"),
    ("insider_trading", 2, 5, "en"),
    ("corruption_scheme", 6, 6, "en"),
    ("corruption_scheme", 7, 5, "zh"),
    ("corruption_scheme", 8, 6, "en"),
    ("industry_money", 4, 5, "en"),
    ("industry_money", 8, 6, "en"),
    ("industry_money", 9, 7, "en"),
    ("antisemitic_tropes", 3, 6, "en"),
    ("antisemitic_tropes", 7, 5, "zh"),
    ("rival_support", 6, 6, "en"),
    ("rival_support", 9, 5, "en"),
]

# Relative posting activity of ordinary accounts per UTC hour: evenings in the US, quiet before dawn.
US_DAYTIME = [6, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 7, 7, 7, 7, 7, 8, 8, 7]

ORGANIC_POSTS = 5600
N_BOTS = 90
N_PEOPLE = 1700
ZH_SHARE = 0.12  # of single (non-burst) campaign posts

# Organic post kinds and their weights.
ORGANIC_KINDS: dict[str, float] = {
    "candidate": 0.16, "national": 0.16, "politics": 0.11, "topic": 0.45, "collision": 0.085, "foreign": 0.035,
}


@dataclass(frozen=True)
class Account:
    """A posting account; bots carry the narratives they push and whether they post in Chinese."""

    handle: str
    narratives: tuple[str, ...] = ()
    zh: bool = False
    news: bool = False


def generate(seed: int = 7) -> list[dict]:
    """All demo posts in the labeled-set format, sorted by time, ids demo-000001...."""
    rng = random.Random(seed)
    bots = _make_bots(rng)
    people, news = _make_people(rng, taken={b.handle for b in bots})
    drafts = _campaign_posts(rng, bots) + _organic_posts(rng, people, news)
    drafts += _russian_posts(seed, bots, people)
    drafts.sort(key=lambda d: (d["created_at"], d["author"], d["text"]))
    return [{"id": f"demo-{i:06d}", **d} for i, d in enumerate(drafts, start=1)]


# --- accounts -----------------------------------------------------------------------------------------

def _make_bots(rng: random.Random) -> list[Account]:
    """Bot accounts with throwaway-looking handles, each pushing one to three campaign narratives."""
    narratives = sorted(WEEKLY_PLAN)
    handles: set[str] = set()
    bots = []
    while len(bots) < N_BOTS:
        style = rng.randrange(3)
        if style == 0:
            handle = f"{rng.choice(P.BOT_NAMES)}{rng.randrange(10**7, 10**8)}"
        elif style == 1:
            handle = f"{rng.choice(P.BOT_WORDS)}{rng.choice(P.BOT_WORDS)}{rng.randrange(1000, 9999)}"
        else:
            handle = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, 9)))
            handle += str(rng.randrange(100, 99999))
        if handle in handles:
            continue
        handles.add(handle)
        pushed = tuple(sorted(rng.sample(narratives, rng.choice([1, 1, 2, 2, 3]))))
        bots.append(Account(handle, narratives=pushed, zh=rng.random() < 0.3))
    # Every narrative needs enough distinct bots for its largest burst.
    for narrative in narratives:
        while sum(narrative in b.narratives for b in bots) < 12:
            i = rng.randrange(len(bots))
            b = bots[i]
            if narrative not in b.narratives:
                bots[i] = Account(b.handle, tuple(sorted(b.narratives + (narrative,))), b.zh)
    return bots


def _make_people(rng: random.Random, taken: set[str]) -> tuple[list[Account], list[Account]]:
    """Ordinary accounts (varied handle shapes, none a bot's) plus a few local news accounts."""
    handles = set(taken)
    people = []
    while len(people) < N_PEOPLE:
        first, word = rng.choice(P.FIRST_NAMES), rng.choice(P.HANDLE_WORDS)
        style = rng.randrange(5)
        if style == 0:
            handle = f"{first}_{word}"
        elif style == 1:
            handle = f"{word}{first}{rng.randrange(10, 99)}"
        elif style == 2:
            handle = f"{first}{rng.choice(string.ascii_lowercase)}{rng.randrange(1950, 2006)}"
        elif style == 3:
            handle = f"{first.capitalize()}In{word.capitalize()}"
        else:
            handle = f"the_{first}_{word}_{rng.randrange(1, 9)}"
        if handle not in handles:
            handles.add(handle)
            people.append(Account(handle))
    news = [Account(h, news=True) for h in P.NEWS_HANDLES]
    return people, news


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


# --- campaign ---------------------------------------------------------------------------------------

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


# --- organic ----------------------------------------------------------------------------------------

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


# --- Russian posts ------------------------------------------------------------------------------------
# Drawn from a random stream of their own, after everything else, so adding them left the English and
# Chinese posts as they were (only the ids, which follow time order, moved).

RU_SHARE = 0.07  # Russian single campaign posts, on top of WEEKLY_PLAN, as a share of each week's quota
RU_BURSTS: list[tuple[str, int, int, str]] = [  # (narrative, week index, accounts, language), as BURSTS
    ("insider_trading", 5, 5, "ru"),
    ("industry_money", 8, 5, "ru"),
    ("corruption_scheme", 7, 4, "ru"),
]
ORGANIC_RU_POSTS = 110


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
