"""What the linker finds: mentions (strong, kept) and weak occurrences waiting for support."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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


def _overlaps(m: Mention, spans: Iterable[tuple[int, int]]) -> bool:
    return m.start is not None and any(a < m.end and m.start < b for a, b in spans)


def post_targets(mentions: Iterable[Mention]) -> list[str]:
    """Candidate ids a post targets, in order of first mention."""
    return list(dict.fromkeys(m.candidate_id for m in mentions))
