"""Link candidate mentions in post text: who is this post aimed at?

Names are matched by dictionary lookup over word tokens (one `finditer` per post, then dict hits on
the few tokens that can start a registered name), so 200k posts link in seconds. Surfaces come in
two strengths:

* strong (full names, aliases, nicknames, several-word misspellings, handles, registered hashtags,
  names in other scripts) link on their own;
* weak (bare surnames, first names listed as `context_names`, one-word misspellings, ambiguous
  transliterations such as 摩尔, a surname inside a CamelCase hashtag, a description such as "the
  Alabama congressman") link only with *support* (SUPPORT_WEIGHTS, at least MIN_SUPPORT): a
  compatible title right before the name, a party-state tag like "(R-AL)", the narrative prior, the
  candidate already named in full, a registry context word, a related or any other candidate in the
  same post, an office, party or political word, or a registry `surname_alone` flag for rare surnames.

Collisions are vetoed: registry `negatives` ("Roy Moore", "Blackburn Rovers") drop weak links for
that candidate in the post and any mention they overlap; a title that does not fit ("Gov. Moore",
"Mrs. Rubio"), a capitalised given name before the surname ("met Tony Blackburn"), or a place word
after it ("McCaul Street") vetoes that occurrence. When several candidates share a weak surface
("Johnson"), the best supported wins (the one whose home state the post names, if any) and a tie
links nobody.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .candidates import Candidate, Registry, load_registry
from .stance import MAIN_RATIO, StanceItem, StanceModel, score_stance

CONFIDENCE = {"handle": 0.99, "full_name": 0.98, "alias": 0.95, "hashtag": 0.92, "script": 0.9,
              "title_surname": 0.9, "misspelling": 0.85}
# Evidence that a bare surname means this candidate, and how much each kind counts.
SUPPORT_WEIGHTS = {"linked": 4, "title": 3, "party_state": 3, "prior": 3, "context": 2, "related": 2, "office": 2,
                   "distinctive": 1, "comention": 1, "party": 1, "political": 1}
MAX_POLITICAL = 2  # political words count one each, up to this many
MIN_SUPPORT = 2

_TOKEN = re.compile(r"[^\W_]+")
_SKIP = re.compile(r"https?://\S+|www\.\S+|[@#]\w+")
_HANDLE = re.compile(r"(?<![\w@])@(\w{1,50})")
_HASHTAG = re.compile(r"(?<![\w#&])#(\w{2,100})")
_GAP = re.compile(r"[\s.\-'’]{1,3}")
_SPACED_SCRIPT = re.compile(r"^[\W\d_\u0370-\u052f]+$")  # Greek/Cyrillic: words split by spaces
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"(^|[.!?:;\n\"“(]\s*)$")

# Titles written before a surname, by canonical office. A title that fits the candidate supports the
# link; a known title that does not fit ("Gov. Moore" for a congressman) vetoes it.
_TITLE_SYNONYMS = {
    "representative": ["rep", "reps", "representative", "representatives", "congressman", "congresswoman",
                       "congressmen", "congresswomen", "congressmember", "state rep", "state representative"],
    "senator": ["sen", "sens", "senator", "senators", "us senator", "u s senator"],
    "governor": ["gov", "governor"],
    "president": ["president", "potus", "pres"],
    "vice_president": ["vp", "vice president", "veep"],
    "speaker": ["speaker", "speaker of the house"],
    "secretary": ["secretary", "sec", "secretary of state"],
    "leader": ["leader", "majority leader", "minority leader"],
    "former": ["former"],
    "candidate": ["candidate", "nominee", "hopeful"],
    "chairman": ["chairman", "chairwoman", "chair"],
    # honorifics: they say "a person", and fit only candidates whose registry titles list them
    "dr": ["dr", "doctor"], "mr": ["mr"], "mrs": ["mrs"], "ms": ["ms"], "miss": ["miss"], "coach": ["coach"],
    "judge": ["judge", "justice"], "mayor": ["mayor"], "pastor": ["pastor", "reverend", "rev", "father"],
    "professor": ["professor", "prof"], "officer": ["officer", "sheriff", "deputy", "detective", "sgt", "sergeant"],
    "general": ["general", "gen", "colonel", "col", "captain", "capt"], "sir": ["sir", "lady", "lord", "dame"],
    "family": ["uncle", "aunt", "auntie", "grandma", "grandpa", "cousin"],
}
_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "miss", "coach", "judge", "pastor", "professor", "officer",
                        "general", "sir", "family"})
_OFFICE_TITLES = {
    "president": {"president"}, "vice_president": {"vice_president"}, "senator": {"senator"},
    "representative": {"representative"}, "governor": {"governor"}, "state_representative": {"representative"},
    "state_senator": {"senator"}, "speaker": {"speaker", "representative"}, "cabinet": {"secretary"},
    "candidate": {"candidate"}, "former": {"former"},
}
_POLITICAL = frozenset(tuple(w.split("_")) for w in """vote voted votes voting voter voters election elections
elected elect reelect reelection campaign campaigns campaigned campaigning congress congressional senate house gop
republican republicans democrat democrats democratic dem dems bill bills legislation caucus primary primaries
ballot ballots constituents district lawmaker lawmakers politician politicians administration capitol washington
midterm midterms poll polls polling incumbent pacs candidate candidates seat race committee donors donor pac superpac
lobbyists lobbyist nominee impeach impeachment filibuster congressman congresswoman senator representative
governor potus debate debates rally town_hall roll_call white_house fundraiser endorsement endorsed
hearing subpoena stock stocks trade trades traded trading insider briefing briefings intel scif disclosure ethics
pharma lobby scheme corruption corrupt donations money pac super_pac earmarks contracts mailer ad ads policy
china border israel ukraine tariffs tiktok aid drug prices inflation economy taxes career office staff""".split())
# Words naming an office: in the post, they support a surname of someone who holds that office.
_OFFICE_WORDS = {
    "representative": {("house",), ("congress",), ("congressman",), ("congresswoman",), ("congressional",),
                       ("representative",), ("rep",)},
    "senator": {("senate",), ("senator",), ("senators",), ("sen",)},
    "governor": {("governor",), ("gov",)},
    "president": {("president",), ("white", "house"), ("potus",)},
    "vice_president": {("vice", "president"), ("vp",)},
    "speaker": {("speaker",)},
    "secretary": {("secretary",)},
}
_PARTY_WORDS = {"R": frozenset({"republican", "republicans", "gop", "conservative", "conservatives", "maga"}),
                "D": frozenset({"democrat", "democrats", "democratic", "dem", "dems", "liberal", "liberals"}),
                "I": frozenset({"independent", "socialist"})}
# Capitalised words that may precede a surname without being someone's given name.
_NOT_GIVEN_NAMES = frozenset("""the a an and or but if so vote elect reelect reject fire impeach oust dump ditch defeat
stop beat support thank thanks tell ask call dear hey why how when what who where is was are were does did do has
have had will would can could should may might must not no yes only even just also like unlike than then now today
mr mrs ms miss dr sir madam dame lord corrupt crooked shady sleazy dirty lying traitor rich disgraced embattled
failed radical extremist senile old sleepy creepy congressional republican republicans democrat democrats
democratic gop maga conservative liberal federal state us u.s american america and-and about against with from
for to of on in at by via per after before during over under while because""".split())


# Office words in descriptions ("the Alabama congressman") and the office they name.
_DESCRIPTION_OFFICES = {"senator": "senator", "sen": "senator", "congressman": "representative",
                        "congresswoman": "representative", "representative": "representative", "rep": "representative",
                        "governor": "governor", "gov": "governor"}
# Words after a surname that make it the name of a place or institution ("McCaul Street", "Moore High").
_PLACE_WORDS = frozenset("""street st avenue ave road rd boulevard blvd drive lane way park county city town township
high school elementary middle academy university college hall center centre stadium field arena bridge lake river
creek island airport station library hospital clinic building tower plaza square farm farms ranch inc llc corp
company group foundation law public schools grill cafe restaurant bar shop barbershop salon bakery market diner kitchen store
tacos""".split())


@dataclass(frozen=True)
class Mention:
    """One link from a post to a candidate: the span (start, end) in the post text and how it was found."""

    candidate_id: str
    start: int | None
    end: int | None
    surface: str
    method: str
    confidence: float


@dataclass(frozen=True)
class _Entry:
    candidate_id: str
    strong: bool
    method: str


@dataclass
class _Weak:
    """A weak occurrence waiting for support: which candidates it could be, where, and title evidence."""

    candidates: list[str]
    start: int
    end: int
    surface: str
    method: str
    titles: frozenset[str] | None  # canonical titles right before the name, None when there was none
    vetoed: set[str]
    part_of_name: bool = False  # "McCaul Street", "Moore Public Schools": the name of something else


def _blank(m: re.Match) -> str:
    return " " * (m.end() - m.start())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics (Rubió -> rubio), for matching names as people type them."""
    if text.isascii():
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in _TOKEN.findall(text))


class Linker:
    """Compiled matcher over a registry; `link(text, prior)` returns the post's mentions.

    Construction compiles lookup tables (milliseconds); it does not read any data.
    """

    def __init__(self, registry: Registry, *, min_support: int = MIN_SUPPORT):
        self.registry = registry
        self.min_support = min_support
        keys: dict[tuple[str, ...], dict[str, _Entry]] = defaultdict(dict)
        self._hashtags: dict[str, set[str]] = defaultdict(set)      # registered / squashed strong names
        self._hashtag_weak: dict[str, set[str]] = defaultdict(set)  # squashed weak names
        self._handles: dict[str, set[str]] = defaultdict(set)
        scripts: dict[str, dict[str, bool]] = defaultdict(dict)
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
            if strong and len(squashed) >= 3:
                self._hashtags[squashed].add(cid)
            elif not strong and len(squashed) >= 4:
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
            self._context[cid], self._context_raw[cid] = self._context_of(cand)
            self._first[cid] = {t for first in cand.first for t in _tokens(first)}
            self._titles[cid] = self._titles_of(cand)
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
        self._office_holders, self._description_re = self._descriptions(registry)

    @staticmethod
    def _descriptions(registry: Registry) -> tuple[dict[tuple[str, str], set[str]], re.Pattern | None]:
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

    @staticmethod
    def _context_of(cand: Candidate) -> tuple[set[tuple[str, ...]], list[str]]:
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

    @staticmethod
    def _titles_of(cand: Candidate) -> set[str]:
        titles = set(_OFFICE_TITLES.get(cand.office or "", set()))
        titles.update(_canonical_title(t) for t in cand.titles)
        return titles

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
                handle = m.group(1).lower()
                owners = self._handles.get(handle) or self._hashtags.get(handle.rstrip("0123456789_"), ())
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
        """A one-word name in a script with case endings (Трампа, Клинтон-у): strip up to 3 letters."""
        word, start, end = tok
        for cut in (1, 2, 3):
            entries = self._keys.get((word[:-cut],)) if len(word) - cut >= 3 else None
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

    def _scan_hashtag(self, m: re.Match, strong: list[Mention], weak: list[_Weak]) -> None:
        body = m.group(1)
        low = fold(body)
        if low in self._hashtags:
            for cid in self._hashtags[low]:
                strong.append(Mention(cid, m.start(), m.end(), m.group(), "hashtag", CONFIDENCE["hashtag"]))
            return
        found_strong: set[str] = set()
        found_weak: set[str] = set()
        for a, b in _pieces(body):
            piece = low[a:b]
            found_strong |= self._hashtags.get(piece, set())
            found_weak |= self._hashtag_weak.get(piece, set())
        for cid in sorted(found_strong):
            strong.append(Mention(cid, m.start(), m.end(), m.group(), "hashtag", round(CONFIDENCE["hashtag"] - 0.07, 3)))
        rest = sorted(found_weak - found_strong)
        if rest:
            weak.append(_Weak(rest, m.start(), m.end(), m.group(), "hashtag", None, set()))

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
            grams = {tuple(words[i:i + n]) for n in range(1, 5) for i in range(len(words) - n + 1)}
            present = {m.candidate_id for m in kept}
            mentioned = present | {c for w in weak for c in w.candidates}
            cache: dict[str, int] = {}
            for w in weak:
                scores = {}
                for cid in w.candidates:
                    if cid in vetoed_post or cid in w.vetoed:
                        continue
                    if w.titles is not None and not (w.titles & self._titles[cid]):
                        continue  # a title that does not fit this candidate ("Gov. Moore" for a congressman)
                    if cid not in cache:
                        cache[cid] = self._support(cid, folded, words, grams, present, mentioned, prior)
                    score = cache[cid] + (SUPPORT_WEIGHTS["title"] if w.titles is not None else 0)
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
        score += w["political"] * min(MAX_POLITICAL, len(_POLITICAL & grams))
        return score


def _canonical_title(title: str) -> str:
    key = " ".join(_tokens(title))
    for canon, words in _TITLE_SYNONYMS.items():
        if key in words:
            return canon
    return key


def _pieces(body: str, min_len: int = 4) -> Iterable[tuple[int, int]]:
    """(start, end) of the runs of whole words in a hashtag body that could be a name.

    Words are cut at case changes, digits and underscores (#McCaulInsiderTrading -> Mc|Caul|Insider|
    Trading; McCaul is two cuts wide). A body in one case has no cuts, so only its prefixes and
    suffixes are tried (#mccaulinsidertrading), never a name buried in the middle.
    """
    n = len(body)
    if body.islower() or body.isupper():
        for k in range(min_len, n):
            yield 0, k
            yield n - k, n
        return
    cuts = {0, n}
    for k in range(1, n):
        prev, cur = body[k - 1], body[k]
        if (cur.isupper() and not prev.isupper()) or (cur.isdigit() != prev.isdigit()) or "_" in (prev, cur):
            cuts.add(k)
        elif cur.isupper() and prev.isupper() and k + 1 < n and body[k + 1].islower():
            cuts.add(k)  # "GOPLeader" -> GOP | Leader
    ordered = sorted(cuts)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b - a >= min_len:
                yield a, b


def _overlaps(m: Mention, spans: Iterable[tuple[int, int]]) -> bool:
    return m.start is not None and any(a < m.end and m.start < b for a, b in spans)


def post_targets(mentions: Iterable[Mention]) -> list[str]:
    """Candidate ids a post targets, in order of first mention."""
    return list(dict.fromkeys(m.candidate_id for m in mentions))


def narrative_priors(mentions: Sequence[Sequence[Mention]], narrative_ids: Sequence[str | None],
                     min_share: float = 0.25, min_posts: int = 3, relative: float = 0.0) -> dict[str, frozenset[str]]:
    """Candidates each narrative already targets: linked in >= min_share of its posts (and >= min_posts),
    and in >= `relative` times as many posts as its most linked candidate (0.6: its main targets only)."""
    posts: Counter = Counter()
    hits: dict[str, Counter] = defaultdict(Counter)
    for found, nid in zip(mentions, narrative_ids, strict=True):
        if nid is None:
            continue
        posts[nid] += 1
        for cid in set(post_targets(found)):
            hits[nid][cid] += 1
    return {nid: frozenset(c for c, k in hits[nid].items()
                           if k >= min_posts and k / posts[nid] >= min_share and k >= relative * max(hits[nid].values()))
            for nid in posts}


def link_posts(linker: Linker, texts: Sequence[str], narrative_ids: Sequence[str | None] | None = None,
               **prior_options) -> list[list[Mention]]:
    """Link every post; with narrative ids, relink the posts of narratives that target someone, using that prior.

    Two passes because the prior comes from the links themselves: a narrative that mostly says
    "Rep. McCaul" lends its target to the posts that just say "McCaul".
    """
    first = [linker.link(t) for t in texts]
    if narrative_ids is None:
        return first
    priors = narrative_priors(first, narrative_ids, **prior_options)
    out = []
    for text, found, nid in zip(texts, first, narrative_ids, strict=True):
        prior = priors.get(nid, frozenset()) if nid is not None else frozenset()
        out.append(linker.link(text, prior) if prior - {m.candidate_id for m in found} else found)
    return out


@dataclass
class TargetsResult:
    """The targets stage's output: one row per mention (stance included) and the per-narrative summary."""

    mentions: pd.DataFrame  # platform, post_id, candidate_id, span_start, span_end, surface, method, confidence, stance, stance_score
    summary: pd.DataFrame  # narrative_id, candidate_id, posts, share, against, favor, neutral


def find_targets(posts: pd.DataFrame, assignments: pd.DataFrame, narratives: pd.DataFrame,
                 narrative_stance: dict[str, str], embeddings: np.ndarray | None, *,
                 linker: Linker | None = None, stance_model: StanceModel | None = None,
                 embedding_model: str | None = None) -> TargetsResult:
    """Link every post in `posts` (platform, post_id, text, row) to candidates and score stance toward each.

    `assignments` gives each post's narrative_id, `narratives` each narrative's taxonomy_id, and
    `narrative_stance` the taxonomy stance per taxonomy id. Posts of a taxonomy narrative that
    mainly targets someone are linked with that prior (see `link_posts`); stance uses the embedding row,
    the sentence around the first mention and the narrative's stance.
    """
    linker = linker or Linker(load_registry())
    model = stance_model or StanceModel.load()
    nid_of = dict(zip(zip(assignments["platform"], assignments["post_id"]), assignments["narrative_id"]))
    nids = [none_if_nan(nid_of.get(key)) for key in zip(posts["platform"], posts["post_id"])]
    texts = posts["text"].fillna("").tolist()
    taxonomy_of = dict(zip(narratives["narrative_id"], narratives["taxonomy_id"]))
    # only narratives matched to the taxonomy lend their targets: an unnamed cluster may be a grab bag
    # of namesakes ("Blackburn Rovers" beside "Sen. Blackburn")
    named = [nid if none_if_nan(taxonomy_of.get(nid)) is not None else None for nid in nids]
    found = link_posts(linker, texts, named)
    main = narrative_priors(found, nids, min_share=0.0, min_posts=1, relative=MAIN_RATIO)
    rows = posts["row"].tolist() if "row" in posts else [-1] * len(posts)
    items, where = [], []
    for i, (mentions, nid) in enumerate(zip(found, nids)):
        targets = post_targets(mentions)
        stance = narrative_stance.get(none_if_nan(taxonomy_of.get(nid))) if nid is not None else None
        for cid in targets:
            first = next(m for m in mentions if m.candidate_id == cid)
            items.append(StanceItem(texts[i], first.start, first.end, cid, int(rows[i]), len(targets), stance,
                                    cid in main.get(nid, ())))
            where.append((i, cid))
    scored = dict(zip(where, score_stance(model, items, embeddings, embedding_model)))
    records = [
        (posts["platform"].iat[i], posts["post_id"].iat[i], m.candidate_id, m.start, m.end, m.surface, m.method,
         m.confidence, *scored[(i, m.candidate_id)])
        for i, mentions in enumerate(found) for m in mentions
    ]
    frame = pd.DataFrame(records, columns=["platform", "post_id", "candidate_id", "span_start", "span_end", "surface",
                                           "method", "confidence", "stance", "stance_score"])
    return TargetsResult(frame, summarize_targets(frame, pd.DataFrame({"platform": posts["platform"],
                                                                       "post_id": posts["post_id"],
                                                                       "narrative_id": nids})))


def summarize_targets(mentions: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """Per narrative x candidate: posts mentioning the candidate, share of the narrative's posts, stance mix."""
    columns = ["narrative_id", "candidate_id", "posts", "share", "against", "favor", "neutral"]
    assigned = assignments.dropna(subset=["narrative_id"])
    if mentions.empty or assigned.empty:
        return pd.DataFrame(columns=columns)
    per_post = mentions.drop_duplicates(["platform", "post_id", "candidate_id"])
    joined = per_post.merge(assigned[["platform", "post_id", "narrative_id"]], on=["platform", "post_id"])
    sizes = assigned.groupby("narrative_id").size()
    out = (joined.assign(**{s: joined["stance"].eq(s) for s in ("against", "favor", "neutral")})
           .groupby(["narrative_id", "candidate_id"], as_index=False)
           .agg(posts=("post_id", "size"), against=("against", "sum"), favor=("favor", "sum"),
                neutral=("neutral", "sum")))
    out["share"] = out["posts"] / out["narrative_id"].map(sizes)
    return out[columns].sort_values(["narrative_id", "posts", "candidate_id"], ascending=[True, False, True],
                                     ignore_index=True)


def none_if_nan(value: Any) -> Any:
    """None for a missing value (None or a float NaN from pandas), else the value itself."""
    return None if value is None or (isinstance(value, float) and value != value) else value
