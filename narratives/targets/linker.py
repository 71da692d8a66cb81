"""The `Linker`: compiled lookup tables over a registry, and the scan that finds names in a post."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..candidates import Registry
from .disambiguate import Disambiguation
from .mentions import Mention, _Entry, _Weak
from .rules import (
    _CJK,
    _DESCRIPTION_OFFICES,
    _GAP,
    _HANDLE,
    _HASHTAG,
    _HONORIFICS,
    _NOT_GIVEN_NAMES,
    _PLACE_WORDS,
    _POLITICAL,
    _SENTENCE_END,
    _SKIP,
    _SPACED_SCRIPT,
    _TITLE_SYNONYMS,
    _TOKEN,
    CONFIDENCE,
    MIN_SUPPORT,
    _blank,
    _canonical_title,
    _pieces,
    LinkingRules,
    _tokens,
    fold,
    load_rules,
)
from .tables import context_of, descriptions, titles_of


class Linker(Disambiguation):
    """Compiled matcher over a registry; `link(text, prior)` returns the post's mentions.

    Construction compiles lookup tables (milliseconds); it does not read any data.
    """

    def __init__(self, registry: Registry, *, min_support: int = MIN_SUPPORT, rules: LinkingRules | None = None):
        self.registry = registry
        self.min_support = min_support
        self.rules = rules if rules is not None else load_rules()
        self._political = _POLITICAL | self.rules.political_words
        keys: dict[tuple[str, ...], dict[str, _Entry]] = defaultdict(dict)
        self._hashtags: dict[str, set[str]] = defaultdict(set)      # registered / squashed strong names
        self._hashtag_weak: dict[str, set[str]] = defaultdict(set)  # squashed weak names
        self._handles: dict[str, set[str]] = defaultdict(set)
        scripts: dict[str, dict[str, bool]] = defaultdict(dict)
        bare: set[str] = set()
        self._context: dict[str, set[tuple[str, ...]]] = {}
        self._context_raw: dict[str, list[str]] = {}
        self._first: dict[str, set[str]] = {}
        self._titles: dict[str, set[str]] = {}
        self._party_state: dict[str, tuple[str, str] | None] = {}
        self._state: dict[str, set[tuple[str, ...]]] = {}

        def add(surface: str, cid: str, strong: bool, method: str) -> None:
            key = _tokens(surface)
            if not key:
                return
            current = keys[key].get(cid)
            if current is None or (strong and not current.strong):
                keys[key][cid] = _Entry(cid, strong, method)
            squashed = "".join(key)
            if method == "full_name" and len(squashed) >= self.rules.bare_handle_min_len:
                bare.add(squashed)  # "JoeBiden" written as one word
            if strong and len(squashed) >= 3:
                self._hashtags[squashed].add(cid)
            elif not strong and len(squashed) >= 4 and method != "first_name":  # #LaquanMcDonald is no Trump
                self._hashtag_weak[squashed].add(cid)

        for cand in registry:
            cid = cand.id
            for first in cand.first:
                for last in cand.last:
                    add(f"{first} {last}", cid, True, "full_name")
            add(cand.name, cid, True, "full_name")
            for alias in (*cand.aliases, *cand.nicknames):
                add(alias, cid, True, "alias")
            for wrong in cand.misspellings:
                add(wrong, cid, len(_tokens(wrong)) > 1, "misspelling" if len(_tokens(wrong)) > 1 else "surname")
            for name in cand.last:
                add(name, cid, False, "surname")
            for name in cand.context_names:
                add(name, cid, False, "first_name")
            for tag in cand.hashtags:
                self._hashtags[fold(tag)].add(cid)
            for handles in cand.handles.values():
                for handle in handles:
                    self._handles[handle.lower()].add(cid)
            for names, sure in ((cand.scripts, True), (cand.scripts_ambiguous, False)):
                for name in names:
                    if _SPACED_SCRIPT.match(name):
                        add(name, cid, sure, "script")  # matched as words, with case endings (Трампа)
                    elif sure:
                        scripts[fold(name)][cid] = True
                    else:
                        scripts[fold(name)].setdefault(cid, False)
            self._context[cid], self._context_raw[cid] = context_of(cand)
            self._first[cid] = {t for first in cand.first for t in _tokens(first)}
            self._titles[cid] = titles_of(cand)
            self._state[cid] = {_tokens(cand.state_name)} if cand.state_name else set()
            self._party_state[cid] = (cand.party.lower(), cand.state.lower()) if cand.party and cand.state else None

        # A strong key shared by several candidates names nobody in particular: demote it to weak.
        self._keys: dict[tuple[str, ...], list[_Entry]] = {}
        for key, by_cand in keys.items():
            entries = list(by_cand.values())
            strong = [e for e in entries if e.strong]
            if len(strong) == 1:
                entries = strong
            elif len(strong) > 1:
                entries = [_Entry(e.candidate_id, False, "surname") for e in entries]
            self._keys[key] = entries
        # "Trumps presidency", "Bidens record": a possessive whose apostrophe the publisher stripped
        for key, entries in list(self._keys.items()):
            last = key[-1]
            if not last.isascii() or len(last) < 3 or any(e.method == "script" for e in entries):
                continue
            for suffix in self.rules.possessive_suffixes:
                if not last.endswith(suffix):
                    self._keys.setdefault(key[:-1] + (last + suffix,), entries)
        # handles and squashed full names written without @ or # ("RT realDonaldTrump:", "JoeBidens record")
        bare |= {h for h in self._handles if len(h) >= self.rules.bare_handle_min_len and h.isalnum()}
        self._bare = bare | {b + s for b in bare for s in self.rules.possessive_suffixes}
        self._starts = {key[0] for key in self._keys}
        self._max_len = max(len(k) for k in self._keys)
        self._scripts = {name: dict(c) for name, c in scripts.items()}
        alternatives = [re.escape(name) for name in sorted(self._scripts, key=len, reverse=True)]
        self._script_re = re.compile("|".join(alternatives)) if alternatives else None
        title_map = {}
        for canon, words in _TITLE_SYNONYMS.items():
            for word in words:
                title_map[_tokens(word)] = canon
        for cand in registry:
            for title in cand.titles:
                title_map.setdefault(_tokens(title), _canonical_title(title))
        self._title_map = title_map
        self._title_len = max(len(k) for k in title_map)
        self._office_holders, self._description_re = descriptions(registry)

    # ---------------------------------------------------------------- linking
    def link(self, text: str, prior: Iterable[str] = ()) -> list[Mention]:
        """Mentions of registered candidates in `text`; `prior` = candidates the post's narrative targets."""
        if not text:
            return []
        strong: list[Mention] = []
        weak: list[_Weak] = []
        self._scan_tokens(text, strong, weak)
        if self._description_re is not None:
            for m in self._description_re.finditer(text):
                self._description_hit(m, weak)
        if "@" in text:
            for m in _HANDLE.finditer(text):
                owners = self._handle_owners(m.group(1).lower())
                for cid in owners if len(owners) == 1 else ():
                    strong.append(Mention(cid, m.start(), m.end(), m.group(), "handle", CONFIDENCE["handle"]))
        if "#" in text:
            for m in _HASHTAG.finditer(text):
                self._scan_hashtag(m, strong, weak)
        if self._script_re is not None and not text.isascii() and _CJK.search(text):
            for m in self._script_re.finditer(text):
                self._script_hit(m, strong, weak)
        if not strong and not weak:
            return []
        return self._resolve(text, strong, weak, frozenset(prior))

    def link_many(self, texts: Sequence[str], priors: Sequence[Iterable[str]] | None = None) -> list[list[Mention]]:
        """`link` over many posts (priors aligned with texts, or none)."""
        if priors is None:
            return [self.link(t) for t in texts]
        return [self.link(t, p) for t, p in zip(texts, priors, strict=True)]

    def _scan_tokens(self, text: str, strong: list[Mention], weak: list[_Weak]) -> None:
        """Longest registered name starting at each word; handles, hashtags and URLs are blanked first."""
        scan = _SKIP.sub(_blank, text) if ("@" in text or "#" in text or "http" in text or "www." in text) else text
        toks = [(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(scan)]
        words = [t[0] for t in toks]
        any_upper = scan != scan.lower()
        n = len(toks)
        i = 0
        while i < n:
            if words[i] not in self._starts:
                if not words[i].isascii():
                    self._inflected(text, toks[i], strong, weak)
                elif words[i] in self._bare:
                    self._bare_handle(text, toks[i], strong)
                i += 1
                continue
            hit = None
            for length in range(min(self._max_len, n - i), 0, -1):
                key = tuple(words[i:i + length])
                if key in self._keys and self._adjacent(text, toks, i, i + length):
                    hit = (key, i, i + length)
                    break
            if hit is None and i + 2 < n and len(words[i + 1]) == 1 and self._adjacent(text, toks, i, i + 3):
                key = (words[i], words[i + 2])  # full name with a middle initial: Donald J. Trump
                if any(e.method == "full_name" for e in self._keys.get(key, ())):
                    hit = (key, i, i + 3)
            if hit is None:
                i += 1
                continue
            key, a, b = hit
            start, end = toks[a][1], toks[b - 1][2]
            surface = text[start:end]
            entries = self._keys[key]
            if entries[0].strong:
                e = entries[0]
                if b - a == 1 and e.method == "alias" and self._given_name_before(text, toks, a) \
                        and toks[a - 1][0] not in self._first[e.candidate_id]:
                    i = b  # "Ivanka Trump", "Hunter Biden": a relative or namesake, not the candidate
                    continue
                titles = self._title_before(text, toks, a)
                if titles and titles <= _HONORIFICS and not titles & self._titles[e.candidate_id]:
                    i = b  # "my uncle Barry Moore", "Dr. Kamala Harris" (a namesake)
                    continue
                strong.append(Mention(e.candidate_id, start, end, surface, e.method, CONFIDENCE[e.method]))
            elif surface[:1].isupper() or not any_upper:
                titles = self._title_before(text, toks, a)
                vetoed: set[str] = set()
                if titles is None and self._given_name_before(text, toks, a):
                    vetoed = {e.candidate_id for e in entries if toks[a - 1][0] not in self._first[e.candidate_id]}
                method = entries[0].method if entries[0].method in ("script", "first_name") else "surname"
                part_of_name = self._named_thing_after(text, toks, b, entries)
                if part_of_name:
                    vetoed = {e.candidate_id for e in entries}
                weak.append(_Weak([e.candidate_id for e in entries], start, end, surface, method, titles, vetoed,
                                  part_of_name))
            i = b

    def _inflected(self, text: str, tok: tuple[str, int, int], strong: list[Mention], weak: list[_Weak]) -> None:
        """A one-word name in a script with case endings (Трампа, Клинтон-у): strip up to 3 letters; a name
        whose nominative ends in -а/-я swaps that vowel for the ending (Обаму, Обамы -> Обама; Камалу -> Камала)."""
        word, start, end = tok
        for cut in (1, 2, 3):
            stem = word[:-cut]
            entries = None
            for key in ((stem,), (stem + "а",), (stem + "я",)) if len(stem) >= 3 else ():
                entries = self._keys.get(key)
                if entries:
                    break
            if entries and entries[0].method == "script":
                if entries[0].strong:
                    strong.append(Mention(entries[0].candidate_id, start, end, text[start:end], "script",
                                          CONFIDENCE["script"]))
                else:
                    weak.append(_Weak([e.candidate_id for e in entries], start, end, text[start:end], "script",
                                      None, set()))
                return

    @staticmethod
    def _adjacent(text: str, toks: list, a: int, b: int) -> bool:
        """Tokens a..b-1 form one name: only spaces, periods, hyphens or apostrophes between them."""
        return all(_GAP.fullmatch(text[toks[k][2]:toks[k + 1][1]]) for k in range(a, b - 1))

    def _title_before(self, text: str, toks: list, a: int) -> frozenset[str] | None:
        """Canonical titles written right before token a ("Sen.", "Vice President", "state Rep."), or None."""
        found = set()
        for length in range(min(self._title_len, a), 0, -1):
            key = tuple(t[0] for t in toks[a - length:a])
            gap = text[toks[a - 1][2]:toks[a][1]]
            if "." in gap and len(key[-1]) > 4:
                break  # "... That's a senator. Johnson will": a sentence end, not an abbreviation
            if key in self._title_map and self._adjacent(text, toks, a - length, a + 1):
                found.add(self._title_map[key])
                # "former President", "Senate Majority Leader": one more title before counts too
                if a - length > 0:
                    before = self._title_before(text, toks, a - length)
                    found |= before or set()
                break
        return frozenset(found) if found else None

    def _named_thing_after(self, text: str, toks: list, b: int, entries: list[_Entry]) -> bool:
        """"McCaul Street", "Moore High", "Gloria Estefan": the name is part of another name."""
        if b >= len(toks) or text[toks[b - 1][2]:toks[b][1]] != " ":
            return False
        word, start, end = toks[b]
        if word in _PLACE_WORDS:
            return True
        raw = text[start:end]
        first_only = all(e.method == "first_name" for e in entries)
        return first_only and raw[:1].isupper() and raw[1:].islower() and len(raw) >= 3 \
            and (word,) not in self._keys and word not in _NOT_GIVEN_NAMES

    def _given_name_before(self, text: str, toks: list, a: int) -> bool:
        """A capitalised word mid-sentence right before the surname looks like someone's given name."""
        if a == 0:
            return False
        word, start, end = toks[a - 1]
        raw = text[start:end]
        if not (raw[:1].isupper() and raw[1:].islower() and len(raw) >= 3) or word in _NOT_GIVEN_NAMES:
            return False
        if text[end:toks[a][1]] != " " or _SENTENCE_END.search(text[:start]):
            return False
        return (word,) not in self._title_map and (word,) not in _POLITICAL

    def _bare_handle(self, text: str, tok: tuple[str, int, int], strong: list[Mention]) -> None:
        word, start, end = tok
        owners = self._handle_owners(word)
        if len(owners) == 1:
            strong.append(Mention(next(iter(owners)), start, end, text[start:end], "handle", CONFIDENCE["handle"]))

    def _handle_owners(self, handle: str) -> set[str]:
        """Candidates a handle (lower case, no @) names: registered, a squashed strong name, or their possessive."""
        for form in (handle, *(handle[:-len(s)] for s in self.rules.possessive_suffixes if handle.endswith(s))):
            owners = self._handles.get(form) or self._hashtags.get(form.rstrip("0123456789_"))
            if owners:
                return owners
        return set()

    def _scan_hashtag(self, m: re.Match, strong: list[Mention], weak: list[_Weak]) -> None:
        body = m.group(1)
        low = fold(body)
        forms = [low] + [low[:-len(s)] for s in self.rules.possessive_suffixes if low.endswith(s) and len(low) > len(s) + 3]
        for form in forms:  # "#Trumps" is a possessive of the registered #Trump
            if form in self._hashtags:
                for cid in self._hashtags[form]:
                    strong.append(Mention(cid, m.start(), m.end(), m.group(), "hashtag", CONFIDENCE["hashtag"]))
                return
        joined = self._joined_name(body, low)
        if joined:  # "#TrumpisCorrupt": a strong name, then a joiner word glued on in lower case
            for cid in sorted(joined):
                strong.append(Mention(cid, m.start(), m.end(), m.group(), "hashtag", round(CONFIDENCE["hashtag"] - 0.07, 3)))
            return
        found_strong: set[str] = set()
        found_weak: set[str] = set().union(*(self._hashtag_weak.get(form, set()) for form in forms))  # "#sanders"
        for a, b in _pieces(body):
            piece = low[a:b]
            found_strong |= self._hashtags.get(piece, set())
            found_weak |= self._hashtag_weak.get(piece, set())
        for cid in sorted(found_strong):
            strong.append(Mention(cid, m.start(), m.end(), m.group(), "hashtag", round(CONFIDENCE["hashtag"] - 0.07, 3)))
        rest = sorted(found_weak - found_strong)
        if rest:
            weak.append(_Weak(rest, m.start(), m.end(), m.group(), "hashtag", None, set()))

    def _joined_name(self, body: str, low: str) -> set[str]:
        """Owners of a strong name that starts the hashtag and is followed by a joiner word ("is", "s", "2020")
        and then a capital, a digit or the end: #TrumpisCorrupt, #BernieWas..., never #Harrisburg."""
        n = len(body)
        for k in range(min(n - 1, 30), 3, -1):
            owners = self._hashtags.get(low[:k])
            if not owners:
                continue
            for joiner in self.rules.hashtag_joiners:
                end = k + len(joiner)
                if low.startswith(joiner, k) and (end == n or body[end].isupper() or body[end].isdigit()
                                                  or (joiner.isdigit() and not body[end].isdigit())):
                    return set(owners)
        return set()

    def _description_hit(self, m: re.Match, weak: list[_Weak]) -> None:
        """"the Alabama congressman", "senator from Florida": whoever holds that office for that state."""
        state = fold(m.group("s1") or m.group("s2") or m.group("s3"))
        office = _DESCRIPTION_OFFICES[fold(m.group("o1") or m.group("o2") or m.group("o3")).rstrip(".")]
        holders = self._office_holders.get((state, office))
        if holders:
            weak.append(_Weak(sorted(holders), m.start(), m.end(), m.group(), "description", None, set()))

    def _script_hit(self, m: re.Match, strong: list[Mention], weak: list[_Weak]) -> None:
        surface = m.group()
        key = fold(surface)
        while key not in self._scripts and len(key) > 1:  # Cyrillic case endings: Трампа -> трамп
            key = key[:-1]
        owners = self._scripts.get(key, {})
        sure = [cid for cid, is_strong in owners.items() if is_strong]
        if len(sure) == 1:
            strong.append(Mention(sure[0], m.start(), m.end(), surface, "script", CONFIDENCE["script"]))
        elif owners:
            weak.append(_Weak(sorted(owners), m.start(), m.end(), surface, "script", None, set()))
