"""Demo accounts: throwaway-looking bots and ordinary people with varied handles, plus news accounts."""

from __future__ import annotations

import random
import string

from . import phrases as P
from .plan import N_BOTS, N_PEOPLE, WEEKLY_PLAN, Account


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
