"""Stable narrative ids across runs: match this run's clusters to the narratives seen before.

A weekly job only means something if "narrative n007" is the same story every week. Each run's
cluster centroids are compared (cosine) with the latest centroid of every narrative seen in earlier
runs; a one-to-one Hungarian matching above a threshold keeps ids ("continuing"). What the one-to-one
matching leaves over is explained rather than dropped: an old narrative whose best match is a cluster
already taken was merged into it, a cluster whose best match is an old narrative already taken split
off from it (and gets a new id), an old narrative with no match is dormant, and the rest is new.
An old narrative merged into a family of several clusters joins it: its texts count in the family, and
the lineage links it to the sub-narrative (child) that continues it ("joined").
New ids continue one global sequence (n001, n002, ...), in the order of the clusters given, so the
same inputs always give the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .discover import ASSIGN_CHUNK, l2_normalise

MATCH_THRESHOLD = 0.8
_ID = re.compile(r"^n(\d+)$")

NEW, CONTINUING, MERGED, SPLIT, DORMANT = "new", "continuing", "merged", "split", "dormant"
JOINED = "joined"  # an earlier narrative that is now a sub-narrative of a family: child id <- earlier id


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
        sim = l2_normalise(centroids, np.float64) @ l2_normalise(np.stack([p.centroid for p in previous]), np.float64).T
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


@dataclass
class Anchored:
    """This run's narratives after anchoring to earlier runs. `labels_`, `scores_` and `centroids_`
    mean what they mean on the discoverer (per text row: narrative index or -1, cosine similarity to
    its centroid; one L2-normalised centroid per narrative), so the label and summarize stages take
    this in its place; `ids[k]`, `status[k]` belong to narrative k."""

    labels_: np.ndarray
    scores_: np.ndarray
    centroids_: np.ndarray
    ids: list[str]
    status: list[str]
    lineage: list[LineageLink]
    source: list[int] = field(default_factory=list)  # per narrative: this run's family index, -1 = carried over
    joined: list[PreviousNarrative] = field(default_factory=list)  # earlier narratives now inside a family


def family_centroids(centroids: np.ndarray, family: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """One L2-normalised centroid per family: the (size-weighted) mean of its clusters' centroids."""
    centroids = np.asarray(centroids, dtype=np.float64)
    n = int(family.max()) + 1 if len(family) else 0
    w = np.ones(len(family)) if weights is None else np.maximum(np.asarray(weights, dtype=np.float64), 1.0)
    out = np.zeros((n, centroids.shape[1]))
    np.add.at(out, family, centroids * w[:, None])
    return l2_normalise(out, np.float64).astype(np.float32)


def anchor_to_history(hashes: Sequence[str], X: np.ndarray, discoverer, previous: Sequence[PreviousNarrative],
                      known_ids: Sequence[str], prior: dict[str, str], *,
                      threshold: float = MATCH_THRESHOLD, family: np.ndarray | None = None) -> Anchored:
    """Give this run's clusters stable ids and keep the narrative earlier runs gave each text.

    Clustering is refit on every run, so its partition moves even where nothing changed, and a weekly
    trend means nothing if last week's posts change narrative. Ids come from `match_narratives` on the
    centroids. Then each text an earlier run put in a narrative stays in it, and an earlier narrative
    the new clustering did not find again is carried over for its texts (it can still gain new ones).
    Every other text (new, or an outlier before) joins the most similar centroid above the
    discoverer's threshold, as in discovery, so new texts can still form new narratives while the
    weekly counts of past weeks do not shift. A narrative merged into another keeps its texts but
    takes no new ones: they go to the narrative it merged into.

    `previous`: the latest centroid of every narrative earlier runs found; `known_ids`: every narrative
    id used so far (new ids continue after them); `prior`: text hash -> the narrative the latest earlier
    run put that text in. `discoverer` needs `centroids_` and `threshold`.

    `family` (family index per discovered cluster, from the merge stage) anchors families instead of
    clusters: a family's centroid is the size-weighted mean of its clusters', and a text's similarity
    to a family is its similarity to the nearest of the family's clusters, so joining clusters never
    turns one of their texts into an outlier.
    """
    X = l2_normalise(X, np.float64).astype(np.float32)
    assign_threshold = getattr(discoverer, "threshold_", discoverer.threshold)  # as fitted, else as given
    by_id = {p.narrative_id: p for p in previous}
    members = np.asarray(discoverer.centroids_, dtype=np.float32).reshape(-1, X.shape[1])
    family = np.arange(len(members)) if family is None else np.asarray(family, dtype=np.int64)
    fam_centroids = (family_centroids(members, family, getattr(discoverer, "cluster_sizes_", None))
                     if len(members) else members)
    matched = match_narratives(fam_centroids, previous, threshold=threshold,
                               first_number=next_number(known_ids))
    merged_into = {l.previous_narrative_id: l.narrative_id for l in matched.lineage if l.relation == MERGED}
    # an earlier narrative merged into a family of several clusters becomes part of it (one claim, counted once)
    n_members = np.bincount(family, minlength=len(fam_centroids)) if len(family) else np.zeros(0, dtype=np.int64)
    in_family = {old: new for old, new in merged_into.items() if n_members[matched.ids.index(new)] >= 2}
    carried = [p for p in previous if p.narrative_id not in set(matched.ids) and p.narrative_id not in in_family]
    ids = matched.ids + [p.narrative_id for p in carried]
    takes_new = np.array([True] * len(matched.ids) + [p.narrative_id not in merged_into for p in carried])
    centroids = l2_normalise(np.vstack([np.asarray(fam_centroids, dtype=np.float64).reshape(-1, X.shape[1]),
                                        *[p.centroid[None, :] for p in carried]]), np.float64).astype(np.float32)
    # what a text is compared with: each discovered cluster (standing for its family), then carried ones
    probes = np.vstack([members, centroids[len(fam_centroids):]])
    probe_owner = np.concatenate([family, np.arange(len(fam_centroids), len(ids))]).astype(np.int64)
    index = {nid: k for k, nid in enumerate(ids)}
    target = np.array([index.get(in_family.get(prior.get(h), prior.get(h)), -1) for h in hashes], dtype=np.int64)

    labels = np.full(len(X), -1, dtype=np.int64)
    scores = np.zeros(len(X), dtype=np.float32)
    for start in range(0, len(X) if len(ids) else 0, ASSIGN_CHUNK):
        probe_sim = X[start:start + ASSIGN_CHUNK] @ probes.T
        sim = np.full((len(probe_sim), len(ids)), -np.inf, dtype=np.float32)
        for p, owner in enumerate(probe_owner):  # a family's similarity: its nearest cluster's
            np.maximum(sim[:, owner], probe_sim[:, p], out=sim[:, owner])
        rows = np.arange(len(sim))
        best = np.where(takes_new, sim, -np.inf).argmax(axis=1)
        top = sim[rows, best]
        tgt = target[start:start + len(sim)]
        stay = tgt >= 0
        labels[start:start + len(sim)] = np.where(stay, tgt, np.where(takes_new[best] & (top >= assign_threshold), best, -1))
        scores[start:start + len(sim)] = np.where(stay, sim[rows, np.maximum(tgt, 0)], top)

    # keep the narratives that have texts, in this order: the run's clusters, then carried ones
    sizes = np.bincount(labels[labels >= 0], minlength=len(ids))
    final = [k for k in range(len(ids)) if sizes[k]]
    remap = np.full(len(ids) + 1, -1, dtype=np.int64)
    remap[final] = np.arange(len(final))
    labels = remap[labels]
    final_ids = [ids[k] for k in final]
    n_clusters = len(matched.ids)
    alive = set(final_ids)
    absorbed = {old for old, new in merged_into.items() if new in alive}
    status = [matched.status[k] if k < n_clusters else MERGED if ids[k] in absorbed else CONTINUING for k in final]
    lineage = [l for l in matched.lineage if l.relation != DORMANT and l.narrative_id in alive]
    for k in final:
        if k >= n_clusters and ids[k] not in absorbed:
            old = by_id[ids[k]]
            members = X[labels == final.index(k)].mean(axis=0)
            lineage.append(LineageLink(old.narrative_id, old.run_id, old.narrative_id, CONTINUING,
                                       float(l2_normalise(members[None, :], np.float64)[0] @ l2_normalise(old.centroid[None, :], np.float64)[0])))
    for p in previous:
        if p.narrative_id not in alive and p.narrative_id not in absorbed:
            best = float((centroids[final] @ l2_normalise(p.centroid[None, :], np.float64)[0]).max()) if final else None
            lineage.append(LineageLink(p.narrative_id, p.run_id, p.narrative_id, DORMANT, best))
    joined = [p for p in previous if p.narrative_id in in_family and in_family[p.narrative_id] in alive]
    return Anchored(labels, scores, centroids[final], final_ids, status, lineage,
                    [k if k < n_clusters else -1 for k in final], joined)


def joined_lineage(anchored: Anchored, child_ids: Sequence[str], child_parents: Sequence[str],
                   child_centroids: np.ndarray) -> list[LineageLink]:
    """Lineage of the earlier narratives that joined a family (`anchored.joined`): each is linked to the
    child of its family whose centroid is nearest its last centroid (relation `joined`), so an analyst who
    followed it finds it again as a sub-narrative. The family's own `merged` link stays beside it."""
    family_of = {l.previous_narrative_id: l.narrative_id for l in anchored.lineage if l.relation == MERGED}
    links = []
    for old in anchored.joined:
        mine = [i for i, p in enumerate(child_parents) if p == family_of.get(old.narrative_id)]
        if not mine:
            continue
        sim = l2_normalise(np.asarray(child_centroids)[mine], np.float64) @ l2_normalise(old.centroid[None, :], np.float64)[0]
        best = int(np.argmax(sim))
        links.append(LineageLink(child_ids[mine[best]], old.run_id, old.narrative_id, JOINED, float(sim[best])))
    return links


def name_narratives(narratives: pd.DataFrame, assignments: pd.DataFrame,
                    anchored: Anchored) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set `narrative_id` and `status` on the narratives (largest first) and `narrative_id` on the
    assignments, from the `cluster` column both carry (the index into `anchored.ids`)."""
    ids = dict(enumerate(anchored.ids))
    named = narratives.assign(narrative_id=narratives["cluster"].map(ids),
                              status=narratives["cluster"].map(dict(enumerate(anchored.status))))
    named = named.sort_values(["n_posts", "narrative_id"], ascending=[False, True]).reset_index(drop=True)
    return named, assignments.assign(narrative_id=assignments["cluster"].map(ids))


def child_ids(parent_ids: Sequence[str], centroids: np.ndarray,
              previous: Sequence[tuple[str, str, np.ndarray]], known_ids: Sequence[str], *,
              threshold: float = MATCH_THRESHOLD) -> tuple[list[str], list[str]]:
    """Ids and statuses of sub-narratives: `<parent id>.<n>` (n001.1, n001.2, ...).

    A child keeps the id of the previous child of the same parent it matches one-to-one (Hungarian,
    centroid cosine >= `threshold`; `previous` holds (child id, parent id, centroid)); the others get
    the next free number under their parent (`known_ids`: every id used so far, so a retired child id
    is never reused). Order of the result follows the rows of `centroids`.
    """
    ids: list[str | None] = [None] * len(parent_ids)
    status = [NEW] * len(parent_ids)
    for parent in dict.fromkeys(parent_ids):
        mine = [i for i, p in enumerate(parent_ids) if p == parent]
        prev = [(cid, vec) for cid, pid, vec in previous if pid == parent]
        if prev:
            sim = l2_normalise(centroids[mine], np.float64) @ l2_normalise(np.stack([v for _, v in prev]), np.float64).T
            rows, cols = linear_sum_assignment(-np.where(sim >= threshold, sim, 0.0))
            for r, c in zip(rows, cols):
                if sim[r, c] >= threshold:
                    ids[mine[r]], status[mine[r]] = prev[c][0], CONTINUING
        used = [int(m.group(1)) for m in (re.match(rf"^{re.escape(parent)}\.(\d+)$", k) for k in known_ids) if m]
        number = max(used, default=0) + 1
        for i in mine:
            if ids[i] is None:
                ids[i], number = f"{parent}.{number}", number + 1
    return [str(i) for i in ids], status
