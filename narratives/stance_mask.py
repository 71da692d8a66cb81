"""Target masking for the stance model: the scored candidate's names become `<target>`, other candidates'
`<other>`, handles `@user` and links `<url>`, so the model learns how people write about whoever is the
target rather than which names are favoured (see `narratives.stance`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

TARGET = "<target>"
OTHER = "<other>"
MASK_MODES = ("none", "target", "others")
"""What `TargetMasker` replaces: nothing, the scored candidate's names, or also every other registered candidate's."""
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
TOKEN_PATTERN = r"(?u)<\w+>|\b\w\w+\b"
"""Word tokens: the placeholders `<target>` / `<other>` stay one token."""
SUBSTRING_MIN = 5
"""Surnames and aliases this long are masked inside longer words too (`#NeverTrump`, `Trumps`, `BidenHarris2020`);
shorter names (`Cruz`, `Joe`) only as whole words, with an optional possessive s."""


def _name_terms(cand, first_names: bool = True) -> tuple[list[str], list[str]]:
    """(substring terms, whole-word terms) naming one registry candidate: full name and several-word
    aliases, surnames, one-word aliases and misspellings, handles (anywhere) and, with `first_names`,
    first names (whole words)."""
    words = cand.name.split()
    names = {*(cand.last or words[-1:]), *(a for a in (*cand.aliases, *cand.misspellings) if " " not in a.strip())}
    phrases = {cand.name, *(a for a in (*cand.aliases, *cand.misspellings) if " " in a.strip())}  # "Marsha Blackburn"
    handles = {h for hs in cand.handles.values() for h in hs}
    firsts = {f for f in (cand.first or words[:1]) if " " not in f.strip()} if first_names else set()
    sub = {n.strip(".'’ ") for n in names if len(n.strip(".'’ ")) >= SUBSTRING_MIN} | handles | phrases
    whole = {n.strip(".'’ ") for n in names if 2 <= len(n.strip(".'’ ")) < SUBSTRING_MIN} | firsts
    return sorted(t for t in sub if t), sorted(t for t in whole - sub if t)


def _terms_regex(sub: Sequence[str], whole: Sequence[str]) -> re.Pattern | None:
    alts = [re.escape(t) for t in sorted(sub, key=lambda t: (-len(t), t))]
    alts += [rf"\b{re.escape(t)}(?:['’]?s)?(?![\w'’])" for t in sorted(whole, key=lambda t: (-len(t), t))]
    return re.compile("|".join(alts), re.IGNORECASE) if alts else None


class TargetMasker:
    """Replace the scored candidate's names in a post by `<target>` (and other candidates' by `<other>`).

    A model that reads `<target>` instead of "Trump" cannot learn that a name itself is favor or
    against, only how people write about whoever is the target, which is what carries to politicians
    it never saw. Names come from the candidate registry (`_name_terms`); handles of anyone else
    become `@user` and links `<url>`.
    """

    def __init__(self, registry=None, mode: str = "others"):
        if mode not in MASK_MODES:
            raise ValueError(f"mode must be one of {MASK_MODES}, got {mode!r}")
        if registry is None:
            from .candidates import load_registry

            registry = load_registry()
        self.mode = mode
        self._own = {c.id: _terms_regex(*_name_terms(c)) for c in registry}
        sub, whole = set(), set()
        for c in registry:
            s, w = _name_terms(c, first_names=False)  # "Joe" or "Mike" alone is too often someone else
            sub.update(s)
            whole.update(w)
        self._any = _terms_regex(sorted(sub), sorted(whole - sub))

    def mask(self, text: str, candidate_id: str) -> str:
        """`text` as the stance model reads it when scoring stance toward `candidate_id`."""
        text = _URL.sub("<url>", text)
        if self.mode != "none":
            own = self._own.get(candidate_id)
            if own is not None:
                text = own.sub(TARGET, text)
            if self.mode == "others" and self._any is not None:
                text = self._any.sub(OTHER, text)
        return _HANDLE.sub("@user", text)


@lru_cache(maxsize=4)
def default_masker(mode: str = "others") -> TargetMasker:
    """A masker over the packaged candidate registry."""
    return TargetMasker(None, mode)
