"""Merge stage on synthetic clusters: which evidence joins two clusters, how families form, children and their ids."""

from __future__ import annotations

import numpy as np

from narratives.merge import NarrativeMerger, families_from_edges, relative_similarity, sub_narratives
from narratives.track import child_ids


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _centroids(offset: float = 0.0, dim: int = 16) -> np.ndarray:
    """Six clusters: 0 and 1 close (r well above 0.75), 2 and 3 moderately close, 4 and 5 unrelated.
    `offset` adds a shared direction, as a model whose unrelated texts are all fairly similar would."""
    e = np.eye(dim)
    C = np.stack([e[0], e[0] + 0.12 * e[1], e[2], e[2] + 1.0 * e[3], e[4], e[5]])
    return _unit(_unit(C) + offset * e[dim - 1])


def _texts(tags: dict[int, str], n: int = 10) -> tuple[list[str], np.ndarray]:
    texts, labels = [], []
    for c in range(6):
        for i in range(n):
            tag = f" {tags[c]}" if c in tags and i < 8 else ""
            texts.append(f"text {c} {i}{tag}")
            labels.append(c)
    return texts, np.array(labels)


def test_near_identical_centroids_join_and_unrelated_clusters_stay_apart():
    texts, labels = _texts({})
    merger = NarrativeMerger().fit(_centroids(), labels, texts)
    fam = merger.family_
    assert fam[0] == fam[1]
    assert len({fam[2], fam[3], fam[4], fam[5], fam[0]}) == 5
    assert merger.n_families_ == 5
    assert merger.transform(np.array([1, -1, 3])).tolist() == [fam[1], -1, fam[3]]


def test_a_shared_campaign_hashtag_joins_moderately_similar_clusters_but_not_unrelated_ones():
    texts, labels = _texts({2: "#islamkills", 3: "#islamkills", 4: "#islamkills", 5: "#other"})
    fam = NarrativeMerger().fit(_centroids(), labels, texts).family_
    assert fam[2] == fam[3]  # same hashtag in 80% of each, relative similarity ~0.7
    assert fam[4] != fam[2]  # same hashtag but an unrelated claim (centroid at the median)
    joined = NarrativeMerger(hashtag_share=0.9).fit(_centroids(), labels, texts).family_
    assert joined[2] != joined[3]  # a hashtag in only 80% of the texts is not enough at 0.9


def test_thresholds_are_relative_so_a_model_with_a_higher_similarity_floor_merges_the_same():
    texts, labels = _texts({2: "#game", 3: "#game"})
    plain = NarrativeMerger().fit(_centroids(), labels, texts).family_
    raised = NarrativeMerger().fit(_centroids(offset=1.5), labels, texts).family_
    rel, median = relative_similarity(_centroids(offset=1.5))
    assert median > 0.5  # raw cosine of unrelated clusters is high under this "model"
    assert plain.tolist() == raised.tolist()
    assert np.allclose(np.diag(rel), 1.0)


def test_same_accounts_same_days_and_keywords_join_clusters_that_other_accounts_do_not():
    texts, labels = _texts({})
    rows = np.repeat(np.arange(len(texts)), 2)
    c = labels[rows]
    days = np.where(np.isin(c, [2, 3]), 100, 100 + c)  # clusters 2 and 3 post on the same day
    authors = np.where(np.isin(c, [2, 3]), "troll", np.char.add("acct", c.astype(str)))
    keywords = [["a"], ["b"], ["hoax", "poison", "thanksgiving"], ["hoax", "poison", "walmart"], ["x"], ["y"]]
    fam = NarrativeMerger().fit(_centroids(), labels, texts, keywords, rows, authors.tolist(), days).family_
    assert fam[2] == fam[3]
    other = np.where(c == 3, "someone_else", authors)
    fam = NarrativeMerger().fit(_centroids(), labels, texts, keywords, rows, other.tolist(), days).family_
    assert fam[2] != fam[3]


def test_average_linkage_stops_a_chain_of_pairwise_edges_from_becoming_one_family():
    edge = np.zeros((4, 4), dtype=bool)
    for a, b in [(0, 1), (1, 2), (2, 3)]:
        edge[a, b] = edge[b, a] = True
    fam = families_from_edges(edge)
    assert fam[0] == fam[1] and fam[2] == fam[3] and fam[0] != fam[2]
    assert families_from_edges(np.zeros((3, 3), dtype=bool)).tolist() == [0, 1, 2]


def test_disabled_merger_keeps_every_cluster_its_own_family():
    texts, labels = _texts({})
    merger = NarrativeMerger(enabled=False).fit(_centroids(), labels, texts)
    assert merger.family_.tolist() == list(range(6)) and merger.pairs_ == []


def test_sub_narratives_split_a_family_back_into_its_clusters():
    e = np.eye(4)
    centroids = np.stack([e[0], e[1], e[2]])
    X = np.stack([e[0], e[0] + 0.2 * e[1], e[1], e[2], e[3]])
    family = np.array([0, 0, 1])  # clusters 0 and 1 are one family, 2 alone
    narrative_labels = np.array([0, 0, 0, 1, -1])  # anchored: family 0 is narrative 0, family 1 narrative 1
    sub = sub_narratives(X, narrative_labels, [0, 1], family, centroids)
    assert sub.labels_.tolist() == [0, 0, 1, -1, -1]
    assert sub.parent.tolist() == [0, 0] and sub.cluster.tolist() == [0, 1]


def test_child_ids_continue_under_their_parent_and_never_reuse_a_retired_number():
    e = np.eye(4)
    ids, status = child_ids(["n001", "n001", "n002"], np.stack([e[0], e[1], e[2]]), [], ["n001", "n002"])
    assert ids == ["n001.1", "n001.2", "n002.1"] and status == ["new", "new", "new"]
    previous = [("n001.1", "n001", e[0]), ("n001.2", "n001", e[1]), ("n002.1", "n002", e[2])]
    known = ["n001", "n002", "n001.1", "n001.2", "n001.3", "n002.1"]
    # next run: the children come in another order, one is new; n001.3 was used once and retired
    ids, status = child_ids(["n001", "n001"], np.stack([e[1], e[3]]), previous, known)
    assert ids == ["n001.2", "n001.4"] and status == ["continuing", "new"]
