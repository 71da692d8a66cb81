"""Disambiguation: which weak occurrences of a name the rest of the post supports (see `SUPPORT_WEIGHTS`)."""

from __future__ import annotations

from .mentions import Mention, _overlaps, _Weak
from .rules import (
    _OFFICE_WORDS,
    _PARTY_WORDS,
    CONFIDENCE,
    MAX_POLITICAL,
    SUPPORT_WEIGHTS,
    _HASHTAG,
    _tokens,
    camel_words,
    fold,
)


class Disambiguation:
    """The `Linker`'s second half: keep strong mentions not vetoed, and the best supported weak ones.

    A mixin: it reads the tables `Linker.__init__` compiles (registry, titles, states, contexts).
    """

    # ---------------------------------------------------------------- disambiguation
    def _resolve(self, text: str, strong: list[Mention], weak: list[_Weak], prior: frozenset[str]) -> list[Mention]:
        folded = fold(text)
        vetoed_post = self._negatives(text, {m.candidate_id for m in strong} | {c for w in weak for c in w.candidates})
        kept = [m for m in strong if not _overlaps(m, vetoed_post.get(m.candidate_id, ()))]
        if weak:
            # the name of a place once ("Moore Public Schools") is that place again later ("Moore folks")
            namesakes = {(fold(w.surface), cid) for w in weak if w.part_of_name for cid in w.vetoed}
            for w in weak:
                w.vetoed |= {cid for cid in w.candidates if (fold(w.surface), cid) in namesakes}
            words = _tokens(text)
            if "#" in text:  # the words inside hashtags say politics too (#DemDebate, #Election2020)
                words += tuple(w for m in _HASHTAG.finditer(text) for w in camel_words(m.group(1)))
            grams = {tuple(words[i:i + n]) for n in range(1, 5) for i in range(len(words) - n + 1)}
            present = {m.candidate_id for m in kept}
            mentioned = present | {c for w in weak for c in w.candidates}
            cache: dict[str, int] = {}
            # sports, food, entertainment: a bare surname there means a namesake (a player, a taco chain)
            off_topic = self.rules.off_topic_penalty * sum(bool(ws & grams) for ws in self.rules.off_topic.values())
            for w in weak:
                scores = {}
                for cid in w.candidates:
                    if cid in vetoed_post or cid in w.vetoed:
                        continue
                    if w.titles is not None and not (w.titles & self._titles[cid]):
                        continue  # a title that does not fit this candidate ("Gov. Moore" for a congressman)
                    if cid not in cache:
                        cache[cid] = self._support(cid, folded, words, grams, present, mentioned, prior)
                    score = cache[cid] + (SUPPORT_WEIGHTS["title"] if w.titles is not None else 0) - off_topic
                    if w.method in ("surname", "hashtag") and self.registry[cid].surname_alone:
                        score += SUPPORT_WEIGHTS["distinctive"]
                    others = [o for o in weak if o is not w and set(o.candidates) != set(w.candidates)]
                    if any(cid in o.candidates for o in others):
                        score += SUPPORT_WEIGHTS["context"]  # "Gloria ... Johnson": another of their names
                    if present - set(w.candidates) or any(set(o.candidates) - set(w.candidates) for o in others):
                        score += SUPPORT_WEIGHTS["comention"]
                    scores[cid] = score
                if not scores:
                    continue
                home = {cid for cid in scores if self._state[cid] & grams}
                if home:  # "Johnson ... Tennessee": the Johnson from Tennessee, not the one from Wisconsin
                    scores = {cid: s - (0 if cid in home else SUPPORT_WEIGHTS["context"]) for cid, s in scores.items()}
                best = max(scores.values())
                winners = [cid for cid, s in scores.items() if s == best]
                if best < self.min_support or len(winners) != 1:
                    continue
                method = "title_surname" if w.titles is not None and w.method == "surname" else w.method
                confidence = CONFIDENCE["title_surname"] if method == "title_surname" else min(0.9, 0.55 + 0.05 * best)
                kept.append(Mention(winners[0], w.start, w.end, w.surface, method, round(confidence, 3)))
        seen = set()
        out = []
        for m in sorted(kept, key=lambda m: (m.start if m.start is not None else -1, m.candidate_id)):
            if (m.candidate_id, m.start, m.end) not in seen:
                seen.add((m.candidate_id, m.start, m.end))
                out.append(m)
        return out

    def _negatives(self, text: str, cids: set[str]) -> dict[str, list[tuple[int, int]]]:
        """Spans of registry negatives found in the post, per candidate that has any."""
        hits: dict[str, list[tuple[int, int]]] = {}
        for cid in cids:
            spans = [m.span() for pattern in self.registry[cid].negatives for m in pattern.finditer(text)]
            if spans:
                hits[cid] = spans
        return hits

    def _support(self, cid: str, folded: str, words: tuple[str, ...], grams: set, present: set[str],
                 mentioned: set[str], prior: frozenset[str]) -> int:
        """How strongly the rest of the post says a bare name means candidate `cid` (see SUPPORT_WEIGHTS)."""
        cand = self.registry[cid]
        w = SUPPORT_WEIGHTS
        score = w["prior"] if cid in prior else 0
        if cid in present:  # "Rep. Gloria Johnson ... chip in for Johnson": the Johnson already named
            score += w["linked"]
        ps = self._party_state[cid]
        if ps and ps in grams:
            score += w["party_state"]
        if self._context[cid] & grams or any(raw in folded for raw in self._context_raw[cid]):
            score += w["context"]
        if mentioned & set(cand.related):
            score += w["related"]
        if any(_OFFICE_WORDS.get(t, set()) & grams for t in self._titles[cid]):
            score += w["office"]
        if cand.party and _PARTY_WORDS.get(cand.party, frozenset()) & set(words):
            score += w["party"]
        score += w["political"] * min(MAX_POLITICAL, len(self._political & grams))
        return score
