"""Merge stage: join the clusters of one claim into one narrative family.

Density clustering splits a campaign into fragments: a hashtag game or a coordinated push of one
hoax becomes eight clusters whose keywords are the same hashtags in a different order, because each
fragment is a dense pocket of near-copies. Clusters are joined into a family when the evidence that
they make the same claim is strong:

- centroid similarity, relative to this run's own spread (`relative_similarity`: 0 = the median
  pair of centroids, 1 = identical), so the thresholds do not depend on the embedding model's scale;
- a shared campaign hashtag: the largest share of texts that carry one hashtag in *both* clusters;
- shared c-TF-IDF keywords (Jaccard overlap of the top terms);
- the same accounts at the same time: cosine similarity of the clusters' author counts and of their
  daily post counts.

A pair is an edge when one of three rules holds (see `NarrativeMerger`); families are then formed by
average linkage over the edges (a cluster joins a family only when it has an edge to at least half of
its members), so one generic hashtag cannot chain unrelated clusters into one giant family.
The thresholds were chosen on real IRA campaigns (benchmarks/merge_ira.py, eval/results/merge_ira.json).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage

from .discover import l2_normalise

_HASHTAG = re.compile(r"#[^\W_][\w]*")
N_MERGE_KEYWORDS = 10


@dataclass(frozen=True)
class PairEvidence:
    """Why two clusters were (or were not) joined; one per candidate pair, for the run's record."""

    a: int
    b: int
    similarity: float
    relative_similarity: float
    hashtag: str | None
    hashtag_share: float
    keyword_overlap: float
    account_overlap: float
    time_overlap: float
    edge: bool

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def relative_similarity(centroids: np.ndarray) -> tuple[np.ndarray, float]:
    """Pairwise centroid cosine rescaled so the median pair is 0 and identical centroids are 1.

    Returns (rescaled k × k matrix, the median cosine). Every embedding model has its own scale:
    the median pair of unrelated MiniLM centroids sits near 0.15, of a multilingual model far higher;
    the rescaled value means the same for both.
    """
    C = l2_normalise(centroids, np.float64)
    sim = C @ C.T
    k = len(C)
    if k < 2:
        return sim, 0.0
    off = sim[np.triu_indices(k, 1)]
    median = float(np.median(off))
    return (sim - median) / max(1.0 - median, 1e-9), median


def hashtag_shares(texts: Sequence[str], labels: np.ndarray, n_clusters: int) -> tuple[list[str], sparse.csr_matrix]:
    """(hashtags, k × h matrix): the share of each cluster's texts that carry each hashtag."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, text in enumerate(texts):
        if labels[r] < 0:
            continue
        for tag in set(_HASHTAG.findall(text.lower())):
            rows.append(int(labels[r]))
            cols.append(vocab.setdefault(tag, len(vocab)))
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_clusters, len(vocab)))
    sizes = np.bincount(labels[labels >= 0], minlength=n_clusters).astype(np.float64)
    shares = sparse.diags(1.0 / np.maximum(sizes, 1.0)) @ counts
    names = [""] * len(vocab)
    for tag, i in vocab.items():
        names[i] = tag
    return names, shares.tocsr()


def shared_hashtags(shares: sparse.csr_matrix, floor: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """(k × k largest min(share_a(h), share_b(h)) over hashtags h, k × k index of that hashtag or -1).

    Only shares of at least `floor` count, and each hashtag is visited only for the clusters that use
    it, so a corpus with many clusters and tens of thousands of hashtags stays cheap."""
    k = shares.shape[0]
    best = np.zeros((k, k))
    which = np.full((k, k), -1, dtype=np.int64)
    cols = shares.tocsc()
    for t in range(cols.shape[1]):
        start, stop = cols.indptr[t], cols.indptr[t + 1]
        idx, vals = cols.indices[start:stop], cols.data[start:stop]
        keep = vals >= floor
        idx, vals = idx[keep], vals[keep]
        if len(idx) < 2:
            continue
        both = np.minimum.outer(vals, vals)
        block = np.ix_(idx, idx)
        better = both > best[block]
        best[block] = np.where(better, both, best[block])
        which[block] = np.where(better, t, which[block])
    return best, which


def keyword_overlap(keywords: Sequence[Sequence[str]], k: int) -> np.ndarray:
    """Jaccard overlap of the clusters' top `N_MERGE_KEYWORDS` keywords (k × k)."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for c, words in enumerate(keywords):
        for w in dict.fromkeys(words[:N_MERGE_KEYWORDS]):
            rows.append(c)
            cols.append(vocab.setdefault(w, len(vocab)))
    if not vocab:
        return np.zeros((k, k))
    K = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(k, len(vocab)))
    inter = (K @ K.T).toarray()
    size = np.asarray(K.sum(axis=1)).ravel()
    union = size[:, None] + size[None, :] - inter
    return np.where(union > 0, inter / np.where(union == 0, 1, union), 0.0)


def _profile_cosine(cluster_of_post: np.ndarray, keys: np.ndarray, n_clusters: int) -> np.ndarray:
    """Cosine similarity of the clusters' count profiles over `keys` (authors, days): k × k."""
    ok = (cluster_of_post >= 0) & (keys >= 0)
    if not ok.any():
        return np.zeros((n_clusters, n_clusters))
    M = sparse.csr_matrix((np.ones(int(ok.sum())), (cluster_of_post[ok], keys[ok])),
                          shape=(n_clusters, int(keys[ok].max()) + 1))
    norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
    M = sparse.diags(1.0 / np.where(norms == 0, 1.0, norms)) @ M
    return (M @ M.T).toarray()


class NarrativeMerger:
    """scikit-learn-style: joins clusters that make the same claim into families.

    A pair of clusters is an edge when any rule holds (r = relative centroid similarity):
    1. r >= `similarity` (near-identical centroids);
    2. they share a campaign hashtag carried by >= `hashtag_share` of the texts of each, and
       r >= `hashtag_similarity`;
    3. top-keyword Jaccard overlap >= `keyword_overlap`, the same accounts (author-count cosine
       >= `account_overlap`) posting in the same days (daily-count cosine >= `time_overlap`), and
       r >= `evidence_similarity`.
    Families: average linkage over the edges, cut where at least half of the cross pairs are edges.

    Fitted: `family_` (family index per cluster, families numbered by first cluster), `n_families_`,
    `pairs_` (PairEvidence of every pair with r >= `evidence_similarity` or a shared hashtag),
    `median_similarity_`.
    """

    def __init__(self, similarity: float = 0.75, hashtag_share: float = 0.5, hashtag_similarity: float = 0.3,
                 keyword_overlap: float = 0.25, account_overlap: float = 0.5, time_overlap: float = 0.5,
                 evidence_similarity: float = 0.4, enabled: bool = True):
        self.similarity = similarity
        self.hashtag_share = hashtag_share
        self.hashtag_similarity = hashtag_similarity
        self.keyword_overlap = keyword_overlap
        self.account_overlap = account_overlap
        self.time_overlap = time_overlap
        self.evidence_similarity = evidence_similarity
        self.enabled = enabled

    def get_params(self) -> dict:
        """Hyper-parameters as given (recorded with each run)."""
        return {k: getattr(self, k) for k in (
            "similarity", "hashtag_share", "hashtag_similarity", "keyword_overlap", "account_overlap",
            "time_overlap", "evidence_similarity", "enabled")}

    def fit(self, centroids: np.ndarray, labels: np.ndarray, texts: Sequence[str],
            keywords: Sequence[Sequence[str]] | None = None, post_rows: np.ndarray | None = None,
            post_authors: Sequence[str | None] | None = None, post_days: np.ndarray | None = None) -> NarrativeMerger:
        """`centroids` (k × dim) and `labels` (cluster or -1 per row of `texts`) from the discover
        stage; `keywords` per cluster (c-TF-IDF); per post: its text row (`post_rows`, -1 = none),
        author and day (any integer day number). Post-level inputs are optional (rule 3 then never fires)."""
        labels = np.asarray(labels)
        k = len(centroids)
        self.family_ = np.arange(k, dtype=np.int64)
        self.pairs_: list[PairEvidence] = []
        rel, self.median_similarity_ = relative_similarity(centroids) if k else (np.zeros((0, 0)), 0.0)
        if k < 2 or not self.enabled:
            self.n_families_ = k
            return self
        sim = l2_normalise(centroids, np.float64) @ l2_normalise(centroids, np.float64).T
        tags, shares = hashtag_shares(texts, labels, k)
        acc = tim = np.zeros((k, k))
        if post_rows is not None and post_authors is not None and post_days is not None:
            rows = np.asarray(post_rows)
            cluster_of_post = np.where(rows >= 0, labels[np.maximum(rows, 0)], -1)
            authors = np.array([a if isinstance(a, str) else "" for a in post_authors], dtype=object)
            _, author_ids = np.unique(authors, return_inverse=True)
            author_ids = np.where(authors == "", -1, author_ids)
            days = np.asarray(post_days, dtype=np.int64)
            acc = _profile_cosine(cluster_of_post, author_ids, k)
            tim = _profile_cosine(cluster_of_post, days - days.min() if len(days) else days, k)
        tag_share, tag_of = shared_hashtags(shares)
        kw_overlap = keyword_overlap(keywords, k) if keywords is not None else np.zeros((k, k))
        edge = ((rel >= self.similarity)
                | ((tag_share >= self.hashtag_share) & (rel >= self.hashtag_similarity))
                | ((kw_overlap >= self.keyword_overlap) & (acc >= self.account_overlap)
                   & (tim >= self.time_overlap) & (rel >= self.evidence_similarity)))
        np.fill_diagonal(edge, False)
        a_idx, b_idx = np.nonzero(np.triu(edge | (rel >= self.evidence_similarity) | (tag_share >= self.hashtag_share), 1))
        self.pairs_ = [PairEvidence(int(a), int(b), float(sim[a, b]), float(rel[a, b]),
                                    tags[tag_of[a, b]] if tag_of[a, b] >= 0 else None, float(tag_share[a, b]),
                                    float(kw_overlap[a, b]), float(acc[a, b]), float(tim[a, b]), bool(edge[a, b]))
                       for a, b in zip(a_idx, b_idx)]
        self.family_ = families_from_edges(edge)
        self.n_families_ = int(self.family_.max()) + 1
        return self

    def transform(self, labels: np.ndarray) -> np.ndarray:
        """Cluster labels (per row, -1 = outlier) mapped to family labels."""
        labels = np.asarray(labels)
        return np.where(labels >= 0, self.family_[np.maximum(labels, 0)], -1)


def families_from_edges(edge: np.ndarray) -> np.ndarray:
    """Family per node: average linkage on (1 - edge), cut where half the cross pairs are edges.

    Families are numbered by their smallest node, so cluster order (largest first) carries over.
    """
    k = len(edge)
    if k < 2 or not edge.any():
        return np.arange(k, dtype=np.int64)
    dist = 1.0 - edge.astype(np.float64)
    Z = linkage(dist[np.triu_indices(k, 1)], method="average")
    raw = fcluster(Z, t=0.5, criterion="distance")
    first: dict[int, int] = {}
    for node, f in enumerate(raw):
        first.setdefault(int(f), len(first))
    return np.array([first[int(f)] for f in raw], dtype=np.int64)


@dataclass
class SubNarratives:
    """The sub-narratives (children) of the families that joined several clusters.

    Per text row: `labels_` (child index or -1) and `scores_` (cosine to that child's centroid);
    per child: `centroids_`, `parent` (index of its family among the run's narratives) and
    `cluster` (the discovered cluster it stands for). Same attribute names as the discoverer, so the
    label and summarise stages take it in its place.
    """

    labels_: np.ndarray
    scores_: np.ndarray
    centroids_: np.ndarray
    parent: np.ndarray
    cluster: np.ndarray


def sub_narratives(X: np.ndarray, narrative_labels: np.ndarray, narrative_source: Sequence[int],
                   family: np.ndarray, centroids: np.ndarray) -> SubNarratives:
    """Split each family narrative back into its clusters: a text of the family goes to the nearest
    of the family's cluster centroids. `narrative_labels` (narrative index per row) and
    `narrative_source` (this run's family index per narrative, -1 for one carried from an earlier
    run) come from anchoring; `family` maps clusters to families. A family of one cluster has no children."""
    X = l2_normalise(X)
    centroids = l2_normalise(np.asarray(centroids).reshape(-1, X.shape[1]))
    family = np.asarray(family, dtype=np.int64)
    labels = np.full(len(X), -1, dtype=np.int64)
    scores = np.zeros(len(X), dtype=np.float32)
    parent, cluster = [], []
    for k, f in enumerate(narrative_source):
        members = np.flatnonzero(family == f) if f >= 0 else np.array([], dtype=np.int64)
        if len(members) < 2:
            continue
        rows = np.flatnonzero(narrative_labels == k)
        sim = X[rows] @ centroids[members].T
        best = sim.argmax(axis=1) if len(rows) else np.array([], dtype=np.int64)
        labels[rows] = len(parent) + best
        scores[rows] = sim[np.arange(len(rows)), best] if len(rows) else scores[rows]
        parent.extend([k] * len(members))
        cluster.extend(members.tolist())
    cluster_arr = np.array(cluster, dtype=np.int64)
    return SubNarratives(labels, scores, centroids[cluster_arr] if len(cluster_arr) else np.zeros((0, X.shape[1]), np.float32),
                         np.array(parent, dtype=np.int64), cluster_arr)
