"""Tables the `Linker` compiles per candidate: office holders by state, context phrases, titles."""

from __future__ import annotations

import re
from collections import defaultdict

from ..candidates import Candidate, Registry
from .rules import _DESCRIPTION_OFFICES, _OFFICE_TITLES, _canonical_title, _tokens, fold


def descriptions(registry: Registry) -> tuple[dict[tuple[str, str], set[str]], re.Pattern | None]:
    """Who holds which office for which state, and a pattern for "the Alabama congressman"-style phrases."""
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for cand in registry:
        office = {"state_representative": None, "speaker": "representative"}.get(cand.office, cand.office)
        if cand.state_name and office in ("senator", "representative", "governor"):
            holders[(fold(cand.state_name), office)].add(cand.id)
    if not holders:
        return holders, None
    states = "|".join(sorted({re.escape(s) for s, _ in holders}, key=len, reverse=True))
    offices = "|".join(re.escape(o) for o in sorted(_DESCRIPTION_OFFICES, key=len, reverse=True))
    rank = r"(?:(?:senior|junior|longtime|freshman|first-term)\s+)?"
    # "the Alabama congressman", "Florida's senior senator", "the senator from Florida"; a bare
    # headline "Minnesota governor says ..." may be anyone who held the office, so it needs a determiner
    return holders, re.compile(
        rf"\b(?:(?:the|this|that|our|your|their)\s+(?P<s1>{states})\s+{rank}(?P<o1>{offices})"
        rf"|(?P<s3>{states})(?:'s|’s)\s+{rank}(?P<o3>{offices})"
        rf"|(?P<o2>{offices})\s+(?:from|of)\s+(?P<s2>{states}))(?!\w)(?!(?-i:\.?\s+[A-Z][a-z]))", re.IGNORECASE)


def context_of(cand: Candidate) -> tuple[set[tuple[str, ...]], list[str]]:
    """Context phrases as token tuples (Latin) and raw strings (other scripts, matched as substrings)."""
    phrases = list(cand.context)
    if cand.state_name:
        phrases.append(cand.state_name)
        if cand.district is not None:
            d = cand.district
            phrases += [f"{cand.state}-{d:02d}", f"{cand.state}-{d}", f"{cand.state}{d:02d}", f"{cand.state}{d}"]
    tokens, raw = set(), []
    for phrase in phrases:
        if phrase.isascii():
            tokens.add(_tokens(phrase))
        else:
            raw.append(fold(phrase))
    tokens.discard(())
    return tokens, raw


def titles_of(cand: Candidate) -> set[str]:
    titles = set(_OFFICE_TITLES.get(cand.office or "", set()))
    titles.update(_canonical_title(t) for t in cand.titles)
    return titles
