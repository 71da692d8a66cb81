"""Discover stage on synthetic blobs: recovery, determinism, assignment of the rest, outliers, size adaptation."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from narratives.discover import NarrativeDiscoverer, l2_normalise, stratified_sample
from narratives.sizes import choose_sizes
from narratives.errors import NarrativesError


def blobs(n_per: int, k: int = 4, dim: int = 32, noise: int = 0, spread: float = 0.25, seed: int = 1):
    """k tight groups of unit vectors around random directions, plus `noise` scattered vectors."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((k, dim))
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    X = np.vstack([c + spread * rng.standard_normal((n_per, dim)) / np.sqrt(dim) for c in centers])
    y = np.repeat(np.arange(k), n_per)
    if noise:
        X = np.vstack([X, rng.standard_normal((noise, dim))])
        y = np.concatenate([y, np.full(noise, -1)])
    return X.astype(np.float32), y


def test_recovers_blobs_and_flags_scattered_points_as_outliers():
    X, y = blobs(60, noise=20)
    model = NarrativeDiscoverer(threshold=0.6).fit(X)
    assert len(model.centroids_) == 4
    inliers = y >= 0
    assert adjusted_rand_score(y[inliers], model.labels_[inliers]) == pytest.approx(1.0)
    assert (model.labels_[~inliers] == -1).mean() >= 0.9
    assert np.allclose(np.linalg.norm(model.centroids_, axis=1), 1.0, atol=1e-5)


def test_same_data_and_seed_give_identical_clusters_and_numbering():
    X, _ = blobs(50, k=3, noise=10)
    a = NarrativeDiscoverer(seed=3).fit(X)
    b = NarrativeDiscoverer(seed=3).fit(X)
    assert np.array_equal(a.labels_, b.labels_)
    assert np.array_equal(a.centroids_, b.centroids_)
    sizes = np.bincount(a.labels_[a.sample_indices_][a.labels_[a.sample_indices_] >= 0])
    assert list(sizes) == sorted(sizes, reverse=True)  # cluster 0 is the largest


def test_fit_on_sample_assigns_the_rest_by_centroid():
    X, y = blobs(150, k=3)
    model = NarrativeDiscoverer(sample_size=120, threshold=0.6).fit(X)
    assert len(model.sample_indices_) == 120
    rest = np.setdiff1d(np.arange(len(X)), model.sample_indices_)
    assert adjusted_rand_score(y[rest], model.labels_[rest]) == pytest.approx(1.0)
    assert np.array_equal(model.predict(X[rest]), model.labels_[rest])
    assert model.transform(X[:5]).shape == (5, 3)


def test_threshold_decides_what_stays_outlier():
    X, _ = blobs(60, k=3)
    far = -X[:5]  # pointing away from every cluster
    model = NarrativeDiscoverer(threshold=0.5).fit(X)
    assert (model.predict(far) == -1).all()
    assert (NarrativeDiscoverer(threshold=-1.0).fit(X).predict(far) >= 0).all()


def test_too_few_texts_give_no_clusters_rather_than_an_error():
    X, _ = blobs(3, k=2)
    model = NarrativeDiscoverer().fit(X)
    assert model.centroids_.shape == (0, X.shape[1])
    assert (model.labels_ == -1).all()


def _topics(n_topics: int, per_topic: int, spread: float = 0.1, dim: int = 64, seed: int = 3) -> np.ndarray:
    """`per_topic` near-copies (cosine about 0.99) of each of `n_topics` random directions (about 0 apart)."""
    X, _ = blobs(per_topic, k=n_topics, dim=dim, spread=spread, seed=seed)
    return l2_normalise(X)


def test_cluster_size_is_the_smallest_narrative_on_a_sparse_corpus_and_grows_with_density_and_size():
    # sparse: 400 topics of 2 texts; a text has 1 neighbour, fewer than the 8 core texts (4/5) of the
    # smallest narrative to find (10 texts), so the size is that core
    sparse = choose_sizes(_topics(400, 2), 800, 0.45)
    assert sparse.neighbours == 1 and sparse.min_cluster_size == 8 and sparse.threshold == 0.45
    # the same sparse sample standing for a corpus 4 times larger: a 10-text narrative leaves 2 core texts
    # in the sample, under HDBSCAN's floor of 5
    assert choose_sizes(_topics(400, 2), 3_200, 0.45).min_cluster_size == 5
    # dense: 10 topics of 60 texts (each text has 59 neighbours): between 8 and 59, a little nearer the
    # density bound on a log scale: 8^0.38 x 59^0.62 = 27.6
    dense = choose_sizes(_topics(10, 60), 600, 0.45)
    assert dense.neighbours == 59 and dense.min_cluster_size == 28
    # twice the texts at the same number of topics: twice the neighbours, a larger size (8^0.38 x 119^0.62 = 42.7)
    assert choose_sizes(_topics(10, 120), 1_200, 0.45).min_cluster_size == 43
    # never above 50, however dense
    assert choose_sizes(_topics(2, 400), 800, 0.45).min_cluster_size == 50


def test_a_tiny_dense_corpus_still_has_room_for_ten_narratives_and_they_are_found():
    # 3 topics of 18 texts: each text has 17 neighbours, so the density bound alone would ask for
    # 8^0.38 x 17^0.62 = 12.6 -> 13 texts per cluster, a quarter of the corpus; the sample must hold ten
    # narratives of the chosen size, so 54 texts allow 5 (HDBSCAN's floor)
    X = _topics(3, 18)
    assert choose_sizes(X, 54, 0.45).min_cluster_size == 5
    model = NarrativeDiscoverer().fit(X)
    assert len(model.centroids_) == 3 and (model.labels_ >= 0).mean() == 1.0


def test_threshold_is_the_models_unless_the_corpus_is_one_dense_topic_and_given_values_are_kept():
    rng = np.random.default_rng(0)
    # one topic: every text about 0.6 similar to every other, so at 0.45 each text neighbours all the corpus
    base = rng.standard_normal(64)
    X = l2_normalise(base / np.linalg.norm(base) + 0.9 * rng.standard_normal((400, 64)) / 8)
    one_topic = choose_sizes(X, 400, 0.45)
    sims = X @ X.T
    np.fill_diagonal(sims, -np.inf)
    share = np.median((sims >= one_topic.threshold).sum(axis=1)) / 399
    assert one_topic.threshold > 0.5 and 0.49 <= share <= 0.5  # raised until a text neighbours half the corpus
    # three narratives: each text neighbours a third of the corpus, its own narrative, and the threshold stands
    assert choose_sizes(_topics(3, 100), 300, 0.45).threshold == 0.45
    given = choose_sizes(X, 400, 0.45, min_cluster_size=7, threshold=0.3)
    assert (given.min_cluster_size, given.threshold, given.given) == (7, 0.3, ("threshold", "min_cluster_size"))


def test_the_fitted_discoverer_records_its_choice_and_assigns_with_the_chosen_threshold():
    X, y = blobs(60, k=4)
    model = NarrativeDiscoverer().fit(X)
    assert model.sizes_.n_texts == 240 and model.min_cluster_size_ == model.sizes_.min_cluster_size
    assert model.threshold_ == model.sizes_.threshold >= model.base_threshold
    assert adjusted_rand_score(y, model.labels_) > 0.95
    fixed = NarrativeDiscoverer(threshold=0.99, min_cluster_size=20).fit(X)
    assert fixed.threshold_ == 0.99 and fixed.min_cluster_size_ == 20 and (fixed.labels_ == -1).mean() > 0.5


def test_stratified_sample_keeps_week_shares_and_is_deterministic():
    weeks = np.array(["2024-W40"] * 900 + ["2024-W41"] * 100)
    a = stratified_sample(1000, 100, weeks, seed=0)
    assert len(a) == 100 and len(set(a)) == 100
    assert (weeks[a] == "2024-W41").sum() == 10
    assert np.array_equal(a, stratified_sample(1000, 100, weeks, seed=0))
    assert not np.array_equal(a, stratified_sample(1000, 100, weeks, seed=1))
    assert np.array_equal(stratified_sample(50, 100, weeks[:50], seed=0), np.arange(50))


def test_fit_labels_follow_the_predict_rule_and_noise_reassignment_can_be_turned_off(monkeypatch):
    X, y = blobs(60, k=3)
    model = NarrativeDiscoverer(threshold=0.6).fit(X)
    assert np.array_equal(model.labels_, model.predict(X))  # a text's narrative never depends on the sample

    # HDBSCAN calling every 4th text noise: reassigned by centroid, or kept as outliers when asked
    hdbscan_labels = np.where(np.arange(len(X)) % 4 == 0, -1, y)
    monkeypatch.setattr(NarrativeDiscoverer, "_cluster", lambda self, Xs: hdbscan_labels)
    noise = np.flatnonzero(hdbscan_labels == -1)
    assert (NarrativeDiscoverer(threshold=0.6).fit(X).labels_[noise] == y[noise]).all()
    assert (NarrativeDiscoverer(threshold=0.6, reassign_noise=False).fit(X).labels_[noise] == -1).all()


def test_identical_vectors_give_outliers_rather_than_an_error():
    v = np.random.default_rng(0).normal(size=16).astype(np.float32)
    X = np.tile(v / np.linalg.norm(v), (30, 1))
    fitted = NarrativeDiscoverer(min_cluster_size=5, seed=0).fit(X)
    # no density contrast, so no cluster: every point an outlier, and nothing new joins a cluster either
    assert fitted.labels_.tolist() == [-1] * 30 and len(fitted.centroids_) == 0
    assert fitted.predict(X[:3]).tolist() == [-1, -1, -1]


def test_a_cluster_in_one_language_folds_into_its_translation_and_nothing_else_does():
    from narratives.discover import join_translations

    rng = np.random.default_rng(0)
    claim, other_claim, chatter = np.eye(16)[0], np.eye(16)[1], np.eye(16)[2]
    zh_offset = np.eye(16)[3]  # what a language adds to every vector of its script

    def group(centre, n):
        return centre + 0.05 * rng.standard_normal((n, 16))

    X = np.vstack([group(claim, 30), group(other_claim, 30), group(claim + 0.9 * zh_offset, 12),
                   group(chatter + 0.9 * zh_offset, 12)])
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    labels = np.repeat([0, 1, 2, 3], [30, 30, 12, 12])
    langs = np.array([None] * 60 + ["zh"] * 24, dtype=object)
    joined = join_translations(X, labels, langs, threshold=0.58)
    assert (joined[60:72] == joined[0]).all()  # the Chinese copy of the claim joins the English claim
    assert len(set(joined[72:])) == 1 and joined[72] not in set(joined[:72])  # Chinese chatter stays apart
    assert joined[30] != joined[0]  # two English narratives are never merged
    assert np.array_equal(join_translations(X, labels, np.array([None] * 84, dtype=object), 0.58), labels)


@pytest.mark.parametrize("reassign_noise", [True, False])
def test_fit_is_fit_centroids_then_assign_then_set_assignment(monkeypatch, reassign_noise):
    X, y = blobs(60, k=3, noise=15)
    monkeypatch.setattr("narratives.discover.ASSIGN_CHUNK", 50)  # several blocks of the similarity product
    hdbscan_labels = np.where(np.arange(len(X)) % 4 == 0, -1, y)  # HDBSCAN calling every 4th text noise
    monkeypatch.setattr(NarrativeDiscoverer, "_cluster", lambda self, Xs: hdbscan_labels)
    whole = NarrativeDiscoverer(threshold=0.6, reassign_noise=reassign_noise).fit(X)
    split = NarrativeDiscoverer(threshold=0.6, reassign_noise=reassign_noise).fit_centroids(X)
    assert not hasattr(split, "labels_")
    labels, scores = split.assign(X)
    split.set_assignment(labels, scores)
    assert np.array_equal(split.centroids_, whole.centroids_)
    assert np.array_equal(split.labels_, whole.labels_) and np.array_equal(split.scores_, whole.scores_)
    assert (whole.labels_ == -1).any() and len(set(whole.labels_)) == 4  # three narratives and outliers
    noise = split.sample_indices_[split.sample_labels_ == -1]
    assert (labels[noise] >= 0).any()  # the raw assignment reassigns some of HDBSCAN's noise ...
    assert (split.labels_[noise] >= 0).any() == reassign_noise  # ... which `set_assignment` keeps only when asked
    with pytest.raises(NarrativesError, match="labels, scores"):
        split.set_assignment(labels[:-1], scores[:-1])
