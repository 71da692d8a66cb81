"""Which language a post is written in, as far as its script tells, and whether a model card covers it.

Used by `run` to warn when a large share of the corpus is in languages the embedding model was not
trained on (such posts cluster by language rather than by narrative). Only scripts that belong to
one language of the cards (or one family we name) are detected; Latin-script text is undetermined,
because telling English from Spanish needs more than the script, so it never raises the warning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# (language code, characters of its script); the first script with the most letters in a text wins.
_SCRIPTS: tuple[tuple[str, re.Pattern], ...] = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),  # kana: Japanese even when mixed with kanji
    ("zh", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),  # Cyrillic (Russian, Ukrainian, ... reported as ru)
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)
UNCOVERED_WARN_SHARE = 0.05
"""Share of texts in languages the card does not cover above which `run` warns."""


def script_language(text: str) -> str | None:
    """Language code of the dominant non-Latin script of `text` (kana makes it ja), or None."""
    counts = [(len(pattern.findall(text)), code) for code, pattern in _SCRIPTS]
    if counts[0][0]:  # any kana
        return "ja"
    n, code = max(counts[1:], key=lambda c: c[0])
    return code if n >= 2 else None


@dataclass(frozen=True)
class Coverage:
    """How many texts are in a language the card covers, by detected language."""

    n_texts: int
    by_language: dict[str, int]  # detected language -> texts (undetermined ones not counted)
    uncovered: dict[str, int]  # the languages among them the card does not list

    @property
    def uncovered_share(self) -> float:
        return sum(self.uncovered.values()) / self.n_texts if self.n_texts else 0.0


def coverage(texts: Sequence[str], languages: Iterable[str]) -> Coverage:
    """Detected languages of `texts` against a card's `languages` (zh-cn / zh-tw count as zh)."""
    covered = {code.split("-")[0].lower() for code in languages}
    found = Counter(code for code in map(script_language, texts) if code is not None)
    return Coverage(len(texts), dict(sorted(found.items())),
                    {code: n for code, n in sorted(found.items()) if code not in covered})


def coverage_warning(texts: Sequence[str], model_id: str, languages: Sequence[str],
                     threshold: float = UNCOVERED_WARN_SHARE) -> str | None:
    """A one-line warning when more than `threshold` of `texts` are in languages the card does not cover."""
    if not languages:
        return None  # a card that lists no languages makes no claim to check
    cov = coverage(texts, languages)
    if cov.uncovered_share <= threshold:
        return None
    langs = ", ".join(f"{code} {n:,}" for code, n in sorted(cov.uncovered.items(), key=lambda kv: -kv[1]))
    return (f"{cov.uncovered_share:.0%} of the texts are in languages model {model_id!r} does not cover "
            f"({langs}; it covers {', '.join(languages)}): they tend to cluster by language, not by narrative; "
            f"use a multilingual card (e.g. model='use-m3')")
