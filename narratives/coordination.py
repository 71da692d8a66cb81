"""Coordinated posting: near-duplicate posts by different accounts within a short window.

Influence operations copy-paste one message across many accounts within minutes. Two posts are
linked when different accounts posted them at most `window` apart and they are near duplicates:
the same normalised text hash (`narratives.text.text_hash`), or, when embeddings are given, a
cosine similarity of at least `min_cosine`. A group is a connected component of these links, so
a chain of copies spread over a longer stretch stays one group (its first/last time show that).
The same account repeating itself is not coordination and links nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from .errors import NarrativesError
from .text import text_hash

DEFAULT_WINDOW = timedelta(minutes=30)
DEFAULT_MIN_COSINE = 0.95
REQUIRED_COLUMNS = ("platform", "post_id", "author_handle", "created_at", "text_hash")
_EMPTY_HASH = text_hash("")


@dataclass(frozen=True)
class CoordinationGroup:
    """One flagged group: its posts (platform, post_id), the accounts behind them and its time span."""

    group_id: str
    members: tuple[tuple[str, str], ...]
    accounts: tuple[str, ...]
    first_at: datetime
    last_at: datetime
    method: str  # which links joined it: "text_hash", "embedding" or "text_hash+embedding"


class _UnionFind:
    def __init__(self, n: int):
        self.parent = np.arange(n)
        self.how: dict[int, set[str]] = {}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:  # path compression
            self.parent[i], i = root, self.parent[i]
        return int(root)

    def union(self, i: int, j: int, method: str) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            a, b = min(a, b), max(a, b)
            self.parent[b] = a
            self.how.setdefault(a, set()).update(self.how.pop(b, set()))
        self.how.setdefault(a, set()).add(method)


def detect_coordination(
    posts: pd.DataFrame,
    embeddings: np.ndarray | None = None,
    rows: np.ndarray | None = None,
    *,
    window: timedelta = DEFAULT_WINDOW,
    min_cosine: float = DEFAULT_MIN_COSINE,
) -> list[CoordinationGroup]:
    """Flag groups of near-duplicate posts by different accounts within `window` of each other.

    `posts` needs the columns platform, post_id, author_handle, created_at (UTC) and text_hash.
    `embeddings`, when given, holds L2-normalised vectors: post i's is `embeddings[rows[i]]`
    (`rows` defaults to one row per post in order; a negative row means the post has none), so
    the pipeline can pass its one vector per unique text. Groups come back ordered by first post time.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in posts.columns]
    if missing:
        raise NarrativesError(f"detect_coordination: posts lack column(s) {', '.join(missing)}")
    n = len(posts)
    if embeddings is not None:
        rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
        if len(rows) != n or (n and rows.max() >= len(embeddings)):
            raise NarrativesError(f"detect_coordination: {len(embeddings)} embeddings do not cover {n} posts")
    if n < 2:
        return []
    times = pd.to_datetime(posts["created_at"]).to_numpy(dtype="datetime64[ns]").astype(np.int64)
    # Accounts without a handle cannot be told apart: give each post its own pseudo-account.
    authors = np.array([a if isinstance(a, str) and a else f"\0{i}" for i, a in enumerate(posts["author_handle"])],
                       dtype=object)
    order = np.argsort(times, kind="stable")
    span = int(window.total_seconds() * 1e9)
    uf = _UnionFind(n)

    hashes = posts["text_hash"].to_numpy()
    for value, idx in pd.Series(order).groupby(hashes[order], sort=False).indices.items():
        if len(idx) > 1 and value != _EMPTY_HASH:  # posts that are only a link share the empty text, not a message
            _link_in_window(order[idx], times, authors, span, uf, "text_hash")

    if embeddings is not None:
        vectors = np.asarray(embeddings, dtype=np.float32)
        sorted_rows = rows[order]
        sorted_times = times[order]
        ends = np.searchsorted(sorted_times, sorted_times + span, side="right")
        for k in range(n - 1):
            if ends[k] <= k + 1 or sorted_rows[k] < 0:
                continue
            later = sorted_rows[k + 1:ends[k]]
            sims = np.where(later >= 0, vectors[np.maximum(later, 0)] @ vectors[sorted_rows[k]], -1.0)
            for offset in np.flatnonzero(sims >= min_cosine):
                j = k + 1 + int(offset)
                if authors[order[k]] != authors[order[j]]:
                    uf.union(int(order[k]), int(order[j]), "embedding")

    return _groups(posts, times, authors, uf)


def _link_in_window(idx: np.ndarray, times: np.ndarray, authors: np.ndarray, span: int, uf: _UnionFind,
                    method: str) -> None:
    """Link every pair among time-sorted posts `idx` that lie within `span` ns and differ in account."""
    t = times[idx]
    ends = np.searchsorted(t, t + span, side="right")
    for k in range(len(idx) - 1):
        for j in range(k + 1, ends[k]):
            if authors[idx[k]] != authors[idx[j]]:
                uf.union(int(idx[k]), int(idx[j]), method)


def _groups(posts: pd.DataFrame, times: np.ndarray, authors: np.ndarray, uf: _UnionFind) -> list[CoordinationGroup]:
    components: dict[int, list[int]] = {}
    for i in range(len(posts)):
        root = uf.find(i)
        if root in uf.how:
            components.setdefault(root, []).append(i)
    platforms = posts["platform"].astype(str).to_numpy()
    post_ids = posts["post_id"].astype(str).to_numpy()
    groups = []
    for root, rows in components.items():
        rows.sort(key=lambda i: (times[i], platforms[i], post_ids[i]))
        members = tuple((platforms[i], post_ids[i]) for i in rows)
        digest = hashlib.blake2b("\n".join(f"{p}\t{q}" for p, q in sorted(members)).encode(), digest_size=6)
        groups.append(CoordinationGroup(
            group_id=f"g{digest.hexdigest()}",
            members=members,
            accounts=tuple(sorted({str(authors[i]) for i in rows if not str(authors[i]).startswith("\0")})),
            first_at=pd.Timestamp(times[rows[0]]).to_pydatetime(),
            last_at=pd.Timestamp(times[rows[-1]]).to_pydatetime(),
            method="+".join(sorted(uf.how[root], key=["text_hash", "embedding"].index)),
        ))
    groups.sort(key=lambda g: (g.first_at, g.group_id))
    return groups


def coordinated_keys(groups: Iterable[CoordinationGroup]) -> set[tuple[str, str]]:
    """(platform, post_id) of every post in a flagged group."""
    return {member for group in groups for member in group.members}
