"""The linker's rules: confidences, support weights, titles, political, office, party and place words.

Word lists and weights the linker consults; `fold`/`_tokens` are how both the registry and posts are
tokenised, so surfaces compare equal whatever their case or diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..resources import prompt_path
from ..yamlconf import ConfigError, read_yaml, where

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


DEFAULT_RULES = "linking.yaml"
_RULE_LISTS = ("possessive_suffixes", "hashtag_joiners", "political_words")


@dataclass(frozen=True)
class LinkingRules:
    """prompts/linking.yaml: how names are written in real tweets, and words that say "not politics"."""

    possessive_suffixes: tuple[str, ...] = ()
    hashtag_joiners: frozenset[str] = frozenset()
    bare_handle_min_len: int = 8
    political_words: frozenset[tuple[str, ...]] = frozenset()
    off_topic: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    off_topic_penalty: int = 0


def load_rules(path: str | Path | None = None) -> LinkingRules:
    """Read and validate the linking rules (default: the packaged prompts/linking.yaml)."""
    path = Path(path) if path is not None else prompt_path(DEFAULT_RULES)
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of linking rules")
    known = {"version", "bare_handle_min_len", "off_topic", "off_topic_penalty", *_RULE_LISTS}
    for key in data:
        if key not in known:
            raise ConfigError(f"{where(path, lines, (key,))}: unknown field {key!r} (known: {', '.join(sorted(known))})")

    def words(key: tuple, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
            raise ConfigError(f"{where(path, lines, key)}: field {key[-1]!r}: must be a list of non-empty words")
        return [fold(str(v).strip()) for v in value]

    lists = {k: words((k,), data.get(k, [])) for k in _RULE_LISTS}
    off_topic_raw = data.get("off_topic") or {}
    if not isinstance(off_topic_raw, dict):
        raise ConfigError(f"{where(path, lines, ('off_topic',))}: field 'off_topic': must map a domain to a word list")
    ints = {}
    for key, default in (("bare_handle_min_len", 8), ("off_topic_penalty", 0)):
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{where(path, lines, (key,))}: field {key!r}: must be a non-negative integer, got {value!r}")
        ints[key] = value
    return LinkingRules(
        possessive_suffixes=tuple(lists["possessive_suffixes"]),
        hashtag_joiners=frozenset(lists["hashtag_joiners"]),
        bare_handle_min_len=ints["bare_handle_min_len"],
        political_words=frozenset(_tokens(w) for w in lists["political_words"]) - {()},
        off_topic={str(domain): frozenset(_tokens(w) for w in words(("off_topic", domain), items)) - {()}
                   for domain, items in off_topic_raw.items()},
        off_topic_penalty=ints["off_topic_penalty"],
    )


def camel_words(body: str) -> list[str]:
    """The words of a hashtag body cut at case changes and digits (#DemDebate2020 -> dem, debate, 2020)."""
    return [fold(w) for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", body)]
