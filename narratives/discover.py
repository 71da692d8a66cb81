"""Discover stage: find the narratives as clusters of texts, fit on a bounded sample, assign the rest.

UMAP + HDBSCAN (as in BERTopic) find dense groups of similar texts, but cost grows faster than
linearly and HDBSCAN calls a third to a half of social posts noise. So the fit runs on a sample
(stratified by week, so a burst in one week cannot crowd out the rest), each cluster is summarised
by its centroid in the original embedding space, and every other text, as well as the sample's
noise, joins the most similar centroid when the cosine similarity clears a threshold. Clusters are
never merged, so distinct narratives stay distinct (the one exception: a cluster written in one
language folds into its translation in another, see `join_translations`); texts near no centroid
stay outliers.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .errors import NarrativesError
from .sizes import choose_sizes

OUTLIER = -1
DEFAULT_THRESHOLD = 0.45
"""Cosine similarity a text needs to its nearest narrative centroid to join it (all-MiniLM-L6-v2 scale).
On the demo corpus 0.45 rather than 0.5 halves the outliers (17% -> 9%) at the same ARI (0.81); on
200k IRA tweets it brings them from 35% to about a quarter."""
ASSIGN_CHUNK = 65_536  # rows per block of the similarity product (bounds memory)


def check_similarity(name: str, value: float) -> float:
    """A cosine-similarity threshold: a finite number in [-1, 1] (NaN would silently match nothing)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not -1.0 <= value <= 1.0:
        raise NarrativesError(f"{name} must be a cosine similarity between -1 and 1, got {value!r}")
    return float(value)


def _check_count(name: str, value: int, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
        raise NarrativesError(f"{name} must be a whole number of at least {least}, got {value!r}")


class NarrativeDiscoverer:
    """scikit-learn-style estimator: hyper-parameters here, learned state in attributes ending in `_`.

    Rows of `X` must be in a deterministic order (the pipeline sorts texts by hash): with the same
    rows, order and `seed`, `fit` gives identical labels. Cluster k is numbered by size (largest
    first), ties broken by the smallest row index among its members.
    """

    def __init__(
        self,
        min_cluster_size: int | None = None,
        min_samples: int | None = None,
        sample_size: int = 50_000,
        threshold: float | None = None,
        n_neighbors: int = 15,
        n_components: int = 5,
        seed: int = 0,
        reassign_noise: bool = True,
        cross_lingual: float | None = None,
        base_threshold: float = DEFAULT_THRESHOLD,
    ):
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.sample_size = sample_size
        self.threshold = threshold
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.seed = seed
        self.reassign_noise = reassign_noise
        self.cross_lingual = cross_lingual
        self.base_threshold = base_threshold

    def check_params(self) -> NarrativeDiscoverer:
        """Raise NarrativesError (naming the parameter) for a value `fit` cannot use; called by `fit`."""
        if self.threshold is not None:
            check_similarity("threshold", self.threshold)
        check_similarity("base_threshold", self.base_threshold)
        for name in ("sample_size", "n_neighbors", "n_components"):
            _check_count(name, getattr(self, name), 1)
        for name in ("min_cluster_size", "min_samples"):
            if getattr(self, name) is not None:
                _check_count(name, getattr(self, name), 2 if name == "min_cluster_size" else 1)
        return self

    def get_params(self) -> dict:
        """Hyper-parameters as given (recorded with each run)."""
        return {k: getattr(self, k) for k in (
            "min_cluster_size", "min_samples", "sample_size", "threshold",
            "n_neighbors", "n_components", "seed", "reassign_noise", "cross_lingual", "base_threshold",
        )}

    def fit(self, X: np.ndarray, weeks: np.ndarray | None = None,
            languages: np.ndarray | None = None) -> NarrativeDiscoverer:
        """Cluster a sample of `X` (rows = unique texts), then assign every row by centroid.

        HDBSCAN only decides which clusters exist and where their centroids are; every row,
        sampled or not, then gets the same rule as `predict`, so a text's narrative never depends
        on whether it was drawn into the sample, and UMAP cannot glue a far-off text into a cluster.

        Sizes left at None are chosen from the corpus (`choose_sizes`): the threshold from how dense it
        is, `min_cluster_size` from its size and density.

        Sets `sample_indices_`, `sample_labels_` (HDBSCAN's labels of the sample), `sizes_` (the
        `SizeChoice`: what was chosen and from what), `min_cluster_size_`, `min_samples_`, `threshold_`,
        `centroids_` (k × dim, L2-normalised),
        `cluster_sizes_` (sample members per cluster), `labels_` (cluster or -1 per row of X)
        and `scores_` (cosine similarity to the nearest centroid). The same as `fit_centroids`, then
        `set_assignment(*assign(X))`: the split lets an engine assign the rows elsewhere.
        """
        X = l2_normalise(X)
        self._fit_centroids(X, weeks, languages)
        return self.set_assignment(*self._assign(X))

    def fit_centroids(self, X: np.ndarray, weeks: np.ndarray | None = None,
                      languages: np.ndarray | None = None) -> NarrativeDiscoverer:
        """`fit` without the assignment: sets everything but `labels_` and `scores_`. The caller assigns every
        row (`assign`, or the same rule elsewhere, e.g. on a cluster) and hands the result to `set_assignment`."""
        return self._fit_centroids(l2_normalise(X), weeks, languages)

    def assign(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(labels, scores) of every row of `X` by the `predict` rule: nearest centroid, -1 below `threshold_`."""
        return self._assign(l2_normalise(X))

    def set_assignment(self, labels: np.ndarray, scores: np.ndarray) -> NarrativeDiscoverer:
        """Set `labels_` and `scores_` from the assignment of every row of the `X` the centroids were fit on;
        with `reassign_noise=False` the sample's noise stays -1, as in `fit`."""
        labels, scores = np.array(labels, dtype=np.int64), np.asarray(scores, dtype=np.float32)
        if len(labels) != self.sizes_.n_texts or len(scores) != self.sizes_.n_texts:
            raise NarrativesError(f"labels, scores: need {self.sizes_.n_texts} rows (the fitted X), "
                                  f"got {len(labels)}, {len(scores)}")
        if not self.reassign_noise:
            labels[self.sample_indices_[self.sample_labels_ == OUTLIER]] = OUTLIER
        self.labels_, self.scores_ = labels, scores
        return self

    def _fit_centroids(self, X: np.ndarray, weeks, languages) -> NarrativeDiscoverer:
        self.check_params()
        n = len(X)
        self.sample_indices_ = stratified_sample(n, self.sample_size, weeks, self.seed)
        m = len(self.sample_indices_)
        self.sizes_ = choose_sizes(X[self.sample_indices_], n, self.base_threshold, seed=self.seed,
                                   min_cluster_size=self.min_cluster_size, threshold=self.threshold)
        self.min_cluster_size_ = self.sizes_.min_cluster_size
        self.min_samples_ = self.min_samples or max(2, self.min_cluster_size_ // 4)
        self.threshold_ = self.sizes_.threshold
        sample_labels = self._cluster(X[self.sample_indices_])
        if self.cross_lingual is not None and languages is not None:
            sample_labels = join_translations(X[self.sample_indices_], sample_labels,
                                              np.asarray(languages, dtype=object)[self.sample_indices_],
                                              self.cross_lingual)
        k = int(sample_labels.max()) + 1 if m else 0
        dim = X.shape[1]
        self.centroids_ = np.zeros((k, dim), dtype=np.float32)
        for c in range(k):
            self.centroids_[c] = X[self.sample_indices_[sample_labels == c]].mean(axis=0)
        self.centroids_ = l2_normalise(self.centroids_)
        self.cluster_sizes_ = np.bincount(sample_labels[sample_labels >= 0], minlength=k)
        self.sample_labels_ = sample_labels
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Cosine similarity of each row to each centroid (n × k)."""
        return l2_normalise(X) @ self.centroids_.T

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Nearest centroid when its cosine similarity is at least `threshold_` (as fitted), else -1."""
        return self._assign(l2_normalise(X))[0]

    def _assign(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return nearest_centroid(X, self.centroids_, self.threshold_)

    def _cluster(self, Xs: np.ndarray) -> np.ndarray:
        """HDBSCAN on a UMAP reduction of the sample; clusters renumbered by (size desc, first row)."""
        m = len(Xs)
        if m < 2 * self.min_cluster_size_:
            return np.full(m, OUTLIER, dtype=np.int64)
        import hdbscan

        reduced = self._reduce(Xs)
        if not np.isfinite(reduced).all() or np.ptp(reduced, axis=0).max() == 0:
            return np.full(m, OUTLIER, dtype=np.int64)  # identical vectors: no density structure to find
        raw = hdbscan.HDBSCAN(
            min_cluster_size=self.min_cluster_size_,
            min_samples=min(self.min_samples_, self.min_cluster_size_),
            cluster_selection_method="eom",
            core_dist_n_jobs=1,
        ).fit_predict(reduced)
        return _renumber(raw)

    def _reduce(self, Xs: np.ndarray) -> np.ndarray:
        """UMAP to a few dimensions (density-based clustering fails in 384); tiny samples skip it."""
        m = len(Xs)
        if m <= self.n_components + 2:
            return Xs
        import umap

        k = max(2, min(self.n_neighbors, m - 1))
        reducer = umap.UMAP(
            n_neighbors=k,
            n_components=self.n_components,
            min_dist=0.0,
            metric="cosine",
            random_state=self.seed,
            init=pca_init(Xs, self.n_components),
            n_jobs=1,
            precomputed_knn=exact_knn(Xs, k),
        )
        with warnings.catch_warnings():
            # we pass neighbours without a search index: fine, the reducer never transforms new data
            warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]")
            return reducer.fit_transform(Xs)


def nearest_centroid(X: np.ndarray, centroids: np.ndarray, threshold: float,
                     chunk: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(labels, scores) of the L2-normalised rows `X`: the most similar of `centroids` and its cosine similarity,
    -1 below `threshold`; one matrix product per block of `chunk` rows (default `ASSIGN_CHUNK`) from row 0.
    A row's float32 result can depend on the size of its block, so the same blocks give the same bits."""
    chunk = chunk or ASSIGN_CHUNK
    labels = np.full(len(X), OUTLIER, dtype=np.int64)
    scores = np.zeros(len(X), dtype=np.float32)
    if len(centroids) == 0:
        return labels, scores
    for start in range(0, len(X), chunk):
        sim = X[start : start + chunk] @ centroids.T
        best = sim.argmax(axis=1)
        top = sim[np.arange(len(best)), best]
        labels[start : start + len(best)] = np.where(top >= threshold, best, OUTLIER)
        scores[start : start + len(best)] = top
    return labels, scores


LANGUAGE_SHARE = 0.8  # a cluster is "in one language" when this share of its members are


def join_translations(X: np.ndarray, labels: np.ndarray, languages: np.ndarray, threshold: float) -> np.ndarray:
    """Fold each cluster written in one language into the nearest cluster of another language when their
    centroids' cosine similarity is at least `threshold`; clusters renumbered as `_renumber` does.

    A multilingual model puts a translation near its original, but a content farm's Chinese copy is
    closer still to the rest of its Chinese copy, so density clustering finds it as a cluster of its own:
    the same narrative twice, split by language. `languages` holds a code per row, or None where the
    script does not tell (Latin); only clusters whose members are mostly in detected languages are
    folded, and only into a cluster that is not (on the demo, a Chinese or Russian narrative's centroid
    scores 0.64-0.76 against its English counterpart and at most 0.51 against any other narrative).
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    if k < 2:
        return labels
    detected = np.array([v is not None for v in languages])
    # a cluster is "written in other scripts" when most of its members are in a detected language (one
    # language, or several: a content farm's Chinese and Russian copies of one claim cluster together)
    foreign = [bool(labels[labels == c].size) and detected[labels == c].mean() >= LANGUAGE_SHARE for c in range(k)]
    cents = l2_normalise(np.array([X[labels == c].mean(axis=0) for c in range(k)]))
    sim = cents @ cents.T
    target = {}
    for c in range(k):
        if not foreign[c]:
            continue
        others = [d for d in range(k) if not foreign[d]]  # fold into a cluster of the main script only: no chains
        if others:
            d = max(others, key=lambda j: (sim[c, j], -j))
            if sim[c, d] >= threshold:
                target[c] = d
    if not target:
        return labels
    out = labels.copy()
    for c, d in target.items():
        out[labels == c] = d
    return _renumber(out)


def exact_knn(X: np.ndarray, k: int, chunk: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine k nearest neighbours (self first), ties broken by row index.

    UMAP's own approximate search (pynndescent) runs numba-parallel and gives slightly different
    neighbours from run to run even with a fixed seed; exact neighbours make the reduction
    reproducible, and blocked matrix products keep them affordable for a 50,000-text sample.
    """
    n = len(X)
    indices = np.empty((n, k), dtype=np.int64)
    dists = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, chunk):
        sim = X[start : start + chunk] @ X.T
        rows = np.arange(len(sim))
        sim[rows, start + rows] = np.inf  # self is always the first neighbour
        part = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(sim, part, axis=1)
        order = np.lexsort((part, -top), axis=1)
        indices[start : start + chunk] = np.take_along_axis(part, order, axis=1)
        dists[start : start + chunk] = np.clip(1.0 - np.take_along_axis(top, order, axis=1), 0.0, 2.0)
    return indices, dists


def pca_init(X: np.ndarray, n_components: int) -> np.ndarray:
    """Starting layout for UMAP: the top principal components, signs fixed, scaled to [0, 10].

    UMAP's default spectral start (ARPACK) differs in the last bits from run to run, and the
    layout amplifies that into different clusters; a PCA start is reproducible and keeps the
    global structure that a random start would lose.
    """
    centred = X.astype(np.float64) - X.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    top = vectors[:, ::-1][:, :n_components]
    top *= np.sign(top[np.abs(top).argmax(axis=0), np.arange(top.shape[1])])
    Y = centred @ top
    span = Y.max(axis=0) - Y.min(axis=0)
    return (10.0 * (Y - Y.min(axis=0)) / np.where(span == 0, 1.0, span)).astype(np.float32)


def stratified_sample(n: int, size: int, weeks: np.ndarray | None, seed: int) -> np.ndarray:
    """Sorted row indices: all rows when n <= size, else a per-week proportional random sample."""
    if n <= size:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    groups = np.zeros(n, dtype=np.int64) if weeks is None else np.unique(np.asarray(weeks), return_inverse=True)[1].ravel()
    counts = np.bincount(groups)
    quota = counts * size / n
    take = np.floor(quota).astype(np.int64)
    # largest remainders get the rows left over (ties: earlier group), so the total is exactly `size`
    leftover = size - int(take.sum())
    order = np.lexsort((np.arange(len(quota)), -(quota - take)))
    take[order[:leftover]] += 1
    chosen = [rng.choice(np.flatnonzero(groups == g), size=t, replace=False) for g, t in enumerate(take) if t]
    return np.sort(np.concatenate(chosen))


def _renumber(raw: np.ndarray) -> np.ndarray:
    """Clusters numbered by size (desc), ties by their first row; noise stays -1."""
    ids = [c for c in np.unique(raw) if c >= 0]
    first = {c: int(np.flatnonzero(raw == c)[0]) for c in ids}
    size = {c: int((raw == c).sum()) for c in ids}
    order = sorted(ids, key=lambda c: (-size[c], first[c]))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(c, OUTLIER) for c in raw], dtype=np.int64)


def l2_normalise(X: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), so a dot product is a cosine similarity."""
    X = np.asarray(X, dtype=dtype)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)
