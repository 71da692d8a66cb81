"""The demo's planted campaign, as data: weekly quotas, bursts, rings, cascades, account counts.

Tests and readers find the whole plan here; `generator.py` draws the posts from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

# Coordination beyond exact copy-paste (see `coordination_extras.py`):
# bursts of near-copies with small edits (typo, other emoji, reordered hashtags): (narrative, week, accounts);
EDITED_BURSTS: list[tuple[str, int, int]] = [
    ("insider_trading", 5, 6),
    ("antisemitic_tropes", 1, 5),
    ("rival_support", 2, 6),
    ("corruption_scheme", 7, 5),
]
# retweet rings, bots reposting the same campaign posts within a minute: (narrative, week, bots, posts);
RETWEET_RINGS: list[tuple[str, int, int, int]] = [
    ("insider_trading", 3, 5, 3),
    ("corruption_scheme", 8, 6, 3),
]
# organic retweet cascades, people reposting a popular post over hours (not coordination): (week, reposts).
CASCADES: list[tuple[int, int]] = [(0, 25), (2, 40), (4, 18), (5, 60), (7, 30), (9, 45)]

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


# --- Russian posts ------------------------------------------------------------------------------------

RU_SHARE = 0.07  # Russian single campaign posts, on top of WEEKLY_PLAN, as a share of each week's quota
RU_BURSTS: list[tuple[str, int, int, str]] = [  # (narrative, week index, accounts, language), as BURSTS
    ("insider_trading", 5, 5, "ru"),
    ("industry_money", 8, 5, "ru"),
    ("corruption_scheme", 7, 4, "ru"),
]
ORGANIC_RU_POSTS = 110
