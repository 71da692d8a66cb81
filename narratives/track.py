"""Stable narrative ids across runs: match this run's clusters to the narratives seen before.

A weekly job only means something if "narrative n007" is the same story every week. Each run's
cluster centroids are compared (cosine) with the latest centroid of every narrative seen in earlier
runs; a one-to-one Hungarian matching above a threshold keeps ids ("continuing"). What the one-to-one
matching leaves over is explained rather than dropped: an old narrative whose best match is a cluster
already taken was merged into it, a cluster whose best match is an old narrative already taken split
off from it (and gets a new id), an old narrative with no match is dormant, and the rest is new.
New ids continue one global sequence (n001, n002, ...), in the order of the clusters given, so the
same inputs always give the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .series import BurstRule, compute_weekly

MATCH_THRESHOLD = 0.8
_ID = re.compile(r"^n(\d+)$")

NEW, CONTINUING, MERGED, SPLIT, DORMANT = "new", "continuing", "merged", "split", "dormant"


@dataclass(frozen=True)
class PreviousNarrative:
    """The latest known state of a narrative from an earlier run."""

    narrative_id: str
    run_id: str
    centroid: np.ndarray


@dataclass(frozen=True)
class LineageLink:
    """One row of `narrative_lineage`: how a narrative of this run relates to an earlier one."""

    narrative_id: str
    previous_run_id: str | None
    previous_narrative_id: str | None
    relation: str
    similarity: float | None


@dataclass(frozen=True)
class TrackResult:
    """`ids[i]` and `status[i]` belong to cluster i of this run; `lineage` also lists dormant narratives."""

    ids: list[str]
    status: list[str]
    lineage: list[LineageLink]


def format_id(number: int) -> str:
    """`n001`-style id; more digits once the sequence passes 999."""
    return f"n{number:03d}"


def next_number(known_ids: Sequence[str]) -> int:
    """The next number of the global id sequence, after the largest `nNNN` id already used."""
    numbers = [int(m.group(1)) for m in map(_ID.match, known_ids) if m]
    return max(numbers, default=0) + 1


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def match_narratives(
    centroids: np.ndarray,
    previous: Sequence[PreviousNarrative],
    *,
    first_number: int,
    threshold: float = MATCH_THRESHOLD,
) -> TrackResult:
    """Give each cluster centroid (rows of `centroids`) a narrative id and a relation to `previous`.

    `first_number` is the next free number of the id sequence (see `next_number`).
    """
    n_current = len(centroids)
    if n_current and previous:
        sim = _normalise(centroids) @ _normalise(np.stack([p.centroid for p in previous])).T
    else:
        sim = np.zeros((n_current, len(previous)))
    # Pairs below the threshold gain nothing, so the assignment maximises the summed similarity of
    # admissible pairs; no admissible pair is then left with both sides unmatched.
    gain = np.where(sim >= threshold, sim, 0.0)
    rows, cols = linear_sum_assignment(-gain) if sim.size else ([], [])
    cur_to_prev = {int(r): int(c) for r, c in zip(rows, cols) if sim[r, c] >= threshold}
    prev_taken = set(cur_to_prev.values())

    ids: list[str | None] = [None] * n_current
    status = [NEW] * n_current
    lineage: list[LineageLink] = []
    for i, j in sorted(cur_to_prev.items()):
        ids[i], status[i] = previous[j].narrative_id, CONTINUING
        lineage.append(LineageLink(ids[i], previous[j].run_id, previous[j].narrative_id, CONTINUING, float(sim[i, j])))

    number = first_number
    split_from: dict[int, int] = {}
    for i in range(n_current):
        if ids[i] is not None:
            continue
        ids[i], number = format_id(number), number + 1
        if len(previous) and sim[i].max() >= threshold:
            split_from[i] = int(sim[i].argmax())  # necessarily taken by another cluster (see above)
    for i, j in split_from.items():
        status[i] = SPLIT
        lineage.append(LineageLink(ids[i], previous[j].run_id, previous[j].narrative_id, SPLIT, float(sim[i, j])))
    lineage.extend(LineageLink(ids[i], None, None, NEW, None) for i in range(n_current) if status[i] == NEW)

    for j, old in enumerate(previous):
        if j in prev_taken:
            continue
        best = int(sim[:, j].argmax()) if n_current else -1
        if best >= 0 and sim[best, j] >= threshold:
            status[best] = MERGED if status[best] == CONTINUING else status[best]
            lineage.append(LineageLink(ids[best], old.run_id, old.narrative_id, MERGED, float(sim[best, j])))
        else:
            best_sim = float(sim[best, j]) if best >= 0 else None
            lineage.append(LineageLink(old.narrative_id, old.run_id, old.narrative_id, DORMANT, best_sim))
    return TrackResult(ids=[str(i) for i in ids], status=status, lineage=lineage)


def assign_ids(store, run_id: str | None, centroids: np.ndarray, *, threshold: float = MATCH_THRESHOLD) -> TrackResult:
    """Match a run's cluster centroids to every narrative of earlier finished runs in `store`."""
    previous = [PreviousNarrative(nid, rid, vec) for nid, rid, vec in store.latest_centroids(exclude_run_id=run_id)]
    return match_narratives(centroids, previous, first_number=next_number(store.known_narrative_ids()),
                            threshold=threshold)


def stable_ids(store, narratives: pd.DataFrame, assignments: pd.DataFrame, *,
               threshold: float = MATCH_THRESHOLD) -> tuple[pd.DataFrame, pd.DataFrame, TrackResult]:
    """The pipeline's id step: order this run's clusters (posts desc, then smallest member text hash,
    so new ids are deterministic), match them to earlier runs, and set `narrative_id` and `status` on
    the narratives and `narrative_id` on the assignments (via their `cluster` column)."""
    ordered = narratives.sort_values(["n_posts", "min_hash"], ascending=[False, True]).reset_index(drop=True)
    centroids = np.array(ordered["centroid"].tolist(), dtype=np.float64) if len(ordered) else np.zeros((0, 1))
    result = assign_ids(store, None, centroids, threshold=threshold)
    ordered["narrative_id"] = result.ids
    ordered["status"] = result.status
    ids = dict(zip(ordered["cluster"], result.ids))
    return ordered, assignments.assign(narrative_id=assignments["cluster"].map(ids)), result


def record_tracking(store, run_id: str, result: TrackResult, *, threshold: float = MATCH_THRESHOLD,
                    rule: BurstRule = BurstRule()) -> list[dict]:
    """After the run's narratives, assignments and mentions are stored: write lineage, the parameters
    and the weekly series (with growth and bursts) in one transaction; return the weekly rows."""
    with store.transaction():
        store.save_lineage(run_id, result.lineage)
        store.save_track_params(run_id, threshold, rule.k, rule.window, rule.min_count)
        return compute_weekly(store, run_id, rule)
