"""The candidate registry (prompts/candidates.yaml): who a post can be aimed at, and how they are named.

Analysts edit the registry, so it is data, validated on load: a typo in a field name, a bad regex in
`negatives` or a `related` id that does not exist fails with the file, line, entry and field at fault
instead of silently linking nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .resources import prompt_path
from .yamlconf import ConfigError, read_yaml, where

DEFAULT_REGISTRY = "candidates.yaml"

OFFICES = frozenset({
    "president", "vice_president", "senator", "representative", "governor", "state_representative",
    "state_senator", "speaker", "cabinet", "candidate", "former",
})
PARTIES = frozenset({"R", "D", "I", "L", "G"})
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia", "PR": "Puerto Rico",
}

_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
_HANDLE = re.compile(r"^@?\w{1,50}$")
_HASHTAG = re.compile(r"^#?\w{2,100}$")
_LIST_FIELDS = (
    "first", "last", "aliases", "nicknames", "misspellings", "context_names", "titles", "scripts",
    "scripts_ambiguous", "context", "related", "negatives", "hashtags",
)
_FIELDS = frozenset({"id", "name", "office", "state", "district", "party", "election_year", "handles", "surname_alone",
                     *_LIST_FIELDS})


class RegistryError(ConfigError):
    """The candidate registry is malformed; the message names file, line, entry and field."""


@dataclass(frozen=True)
class Candidate:
    """One registry entry; see the comment block at the top of prompts/candidates.yaml for each field."""

    id: str
    name: str
    first: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    nicknames: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    context_names: tuple[str, ...] = ()
    handles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hashtags: tuple[str, ...] = ()
    office: str | None = None
    titles: tuple[str, ...] = ()
    state: str | None = None
    district: int | None = None
    party: str | None = None
    election_year: int | None = None
    scripts: tuple[str, ...] = ()
    scripts_ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    negatives: tuple[re.Pattern, ...] = ()
    surname_alone: bool = False

    @property
    def state_name(self) -> str | None:
        return STATES.get(self.state) if self.state else None


@dataclass(frozen=True)
class Registry:
    """The loaded registry: candidates in file order, and where they came from (for messages)."""

    candidates: tuple[Candidate, ...]
    source: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.candidates})

    def __getitem__(self, candidate_id: str) -> Candidate:
        return self._by_id[candidate_id]  # type: ignore[attr-defined]

    def __contains__(self, candidate_id: object) -> bool:
        return candidate_id in self._by_id  # type: ignore[attr-defined]

    def __iter__(self):
        return iter(self.candidates)

    def __len__(self) -> int:
        return len(self.candidates)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.candidates]


def load_registry(path: str | Path | None = None) -> Registry:
    """Load and validate a registry file (default: the packaged prompts/candidates.yaml)."""
    path = Path(path) if path is not None else prompt_path(DEFAULT_REGISTRY)
    data, lines = read_yaml(path)
    if isinstance(data, dict):
        unknown = set(data) - {"version", "candidates"}
        if unknown:
            raise RegistryError(f"{where(path, lines, (sorted(unknown)[0],))}: unknown top-level field {sorted(unknown)[0]!r}")
        entries = data.get("candidates")
        root: tuple = ("candidates",)
    else:
        entries, root = data, ()
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{where(path, lines, root)}: expected a non-empty list of candidates under 'candidates'")
    candidates = [_candidate(path, lines, root + (i,), entry) for i, entry in enumerate(entries)]
    seen: dict[str, int] = {}
    for i, cand in enumerate(candidates):
        if cand.id in seen:
            raise RegistryError(f"{where(path, lines, root + (i, 'id'))}: candidate {cand.id!r}: field 'id': "
                                f"duplicate of entry {seen[cand.id] + 1}")
        seen[cand.id] = i
    for i, cand in enumerate(candidates):
        for j, rel in enumerate(cand.related):
            if rel not in seen:
                raise RegistryError(f"{where(path, lines, root + (i, 'related', j))}: candidate {cand.id!r}: "
                                    f"field 'related': unknown candidate id {rel!r}")
    return Registry(tuple(candidates), path)


def _candidate(path: Path, lines: dict, key: tuple, entry: Any) -> Candidate:
    """Validate one entry and build its Candidate (defaults for first/last come from the name)."""
    label = f"entry {key[-1] + 1}"

    def fail(fld: str, problem: str, sub: tuple = ()) -> RegistryError:
        return RegistryError(f"{where(path, lines, key + ((fld,) if fld else ()) + sub)}: candidate {label}: "
                             f"field {fld!r}: {problem}")

    if not isinstance(entry, dict):
        raise RegistryError(f"{where(path, lines, key)}: candidate {label}: expected a mapping with id and name")
    for fld in entry:
        if fld not in _FIELDS:
            raise fail(str(fld), f"unknown field (known: {', '.join(sorted(_FIELDS))})")
    cid = entry.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise fail("id", f"must be lowercase first_last (e.g. marco_rubio), got {cid!r}")
    label = repr(cid)
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("name", "required, a non-empty string")
    lists: dict[str, tuple[str, ...]] = {}
    for fld in _LIST_FIELDS:
        value = entry.get(fld, [])
        if value is None:
            value = []
        if not isinstance(value, list):
            raise fail(fld, f"must be a list, got {type(value).__name__}")
        for j, item in enumerate(value):
            if not isinstance(item, (str, int)) or not str(item).strip():
                raise fail(fld, f"item {j + 1} must be a non-empty string, got {item!r}", (j,))
        lists[fld] = tuple(str(v).strip() for v in value)
    for j, tag in enumerate(lists["hashtags"]):
        if not _HASHTAG.match(tag):
            raise fail("hashtags", f"item {j + 1} {tag!r} is not a hashtag (letters, digits, _)", (j,))
    negatives = []
    for j, pattern in enumerate(lists["negatives"]):
        try:
            negatives.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise fail("negatives", f"item {j + 1} is not a valid regex: {exc}", (j,)) from None
    handles_raw = entry.get("handles") or {}
    if not isinstance(handles_raw, dict):
        raise fail("handles", "must be a mapping platform -> list of handles")
    handles: dict[str, tuple[str, ...]] = {}
    for platform, items in handles_raw.items():
        items = [items] if isinstance(items, str) else items
        if not isinstance(items, list):
            raise fail("handles", f"platform {platform!r} must list handles", (platform,))
        for item in items:
            if not isinstance(item, str) or not _HANDLE.match(item):
                raise fail("handles", f"platform {platform!r}: {item!r} is not a handle", (platform,))
        handles[str(platform)] = tuple(h.lstrip("@") for h in items)
    office = entry.get("office")
    if office is not None and office not in OFFICES:
        raise fail("office", f"{office!r} is not one of {', '.join(sorted(OFFICES))}")
    state = entry.get("state")
    if state is not None and state not in STATES:
        raise fail("state", f"{state!r} is not a two-letter US state code")
    party = entry.get("party")
    if party is not None and party not in PARTIES:
        raise fail("party", f"{party!r} is not one of {', '.join(sorted(PARTIES))}")
    district = entry.get("district")
    if district is not None and (not isinstance(district, int) or isinstance(district, bool) or district < 0):
        raise fail("district", f"must be a non-negative integer, got {district!r}")
    surname_alone = entry.get("surname_alone", False)
    if not isinstance(surname_alone, bool):
        raise fail("surname_alone", f"must be true or false, got {surname_alone!r}")
    year = entry.get("election_year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100):
        raise fail("election_year", f"must be a year such as 2024, got {year!r}")
    words = name.replace(".", ". ").split()
    return Candidate(
        id=cid,
        name=name.strip(),
        first=lists["first"] or (words[0],),
        last=lists["last"] or (words[-1],),
        aliases=lists["aliases"],
        nicknames=lists["nicknames"],
        misspellings=lists["misspellings"],
        context_names=lists["context_names"],
        handles=handles,
        hashtags=tuple(t.lstrip("#") for t in lists["hashtags"]),
        office=office,
        titles=lists["titles"],
        state=state,
        district=district,
        party=party,
        election_year=year,
        scripts=lists["scripts"],
        scripts_ambiguous=lists["scripts_ambiguous"],
        context=lists["context"],
        related=lists["related"],
        negatives=tuple(negatives),
        surname_alone=surname_alone,
    )


def _name_key(name: str) -> str:
    return " ".join(name.replace("_", " ").lower().split())


def candidate_resolver(registry: str | Path | None = None) -> Callable[[str], str | None]:
    """Map a target name ("Hillary Clinton") to its candidate id via the registry's ids, names and aliases."""
    names: dict[str, str] = {}
    for candidate in load_registry(registry):
        for name in (candidate.id, candidate.name, *candidate.aliases):
            names.setdefault(_name_key(name), candidate.id)
    return lambda target: names.get(_name_key(target))
