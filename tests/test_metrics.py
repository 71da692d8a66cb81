"""Metric code against values worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest

from narratives.metrics import (
    accuracy,
    bcubed,
    binary_prf,
    clustering_scores,
    macro_f1,
    match_one_to_one,
    multilabel_prf,
    prf,
    set_prf,
)


def test_prf_counts_and_empty_denominators():
    # tp=3 fp=1 fn=2: P = 3/4 = 0.75, R = 3/5 = 0.6, F1 = 2*0.75*0.6/1.35 = 0.9/1.35 = 2/3
    s = prf(3, 1, 2)
    assert (s.precision, s.recall) == (0.75, 0.6)
    assert s.f1 == pytest.approx(2 / 3)
    assert s.support == 5
    # nothing predicted, nothing gold: every ratio is 0, not a division error
    assert prf(0, 0, 0).as_dict() == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0,
                                      "support": 0}


def test_bcubed_by_hand():
    gold = ["a", "a", "a", "b", "b"]
    pred = [1, 1, 2, 2, None]  # clusters {0,1}, {2,3} and outlier {4} as a singleton
    # precision per item: 2/2, 2/2, 1/2, 1/2, 1/1 -> 4/5 = 0.8
    # recall per item:    2/3, 2/3, 1/3, 1/2, 1/2 -> (8/3)/5 = 8/15
    # F1 = 2*(4/5)*(8/15) / (4/5 + 8/15) = (64/75) / (4/3) = 0.64
    s = bcubed(gold, pred)
    assert s.precision == pytest.approx(0.8)
    assert s.recall == pytest.approx(8 / 15)
    assert s.f1 == pytest.approx(0.64)


def test_bcubed_perfect_and_all_outliers():
    assert bcubed(["a", "a", "b"], [7, 7, 3]).f1 == pytest.approx(1.0)
    # every post an outlier: precision 1 (singletons), recall per item 1/2, 1/2, 1/1 -> 2/3
    s = bcubed(["a", "a", "b"], [None, None, None])
    assert (s.precision, s.recall) == (pytest.approx(1.0), pytest.approx(2 / 3))


def test_clustering_scores_ari_by_hand_and_outliers_as_singletons():
    # gold [a,a,b,b] vs pred [1,1,1,2]: contingency a:{1:2}, b:{1:1, 2:1}
    # sum C(n_ij,2) = 1; rows C(2,2)+C(2,2) = 2; cols C(3,2)+C(1,2) = 3; C(4,2) = 6
    # expected = 2*3/6 = 1, max = (2+3)/2 = 2.5, ARI = (1-1)/(2.5-1) = 0
    assert clustering_scores(["a", "a", "b", "b"], [1, 1, 1, 2])["ari"] == pytest.approx(0.0)
    # relabelled perfect clustering: ARI = NMI = V = 1
    perfect = clustering_scores(["a", "a", "b"], ["x", "x", "y"])
    assert perfect["ari"] == perfect["nmi"] == perfect["v_measure"] == pytest.approx(1.0)
    assert perfect["outlier_share"] == 0.0
    # two outliers are two singletons, not one shared cluster: sum C(n_ij,2) = 0, rows = 1, cols = 0
    # expected = 0, max = 0.5, ARI = 0 (it would be 1 if outliers formed one cluster)
    scores = clustering_scores(["a", "a", "b"], [None, None, 1])
    assert scores["ari"] == pytest.approx(0.0)
    assert scores["outlier_share"] == pytest.approx(2 / 3)
    assert clustering_scores([], [])["ari"] is None


def test_match_one_to_one_by_hand():
    gold = ["a", "a", "a", "b", "b", "none", "none"]
    pred = [1, 1, 2, 2, 2, 2, None]  # cluster sizes: 1 -> 2, 2 -> 4
    # F1(a,1): tp2 fp0 fn1 -> P 1, R 2/3, F1 0.8      F1(a,2): tp1 fp3 fn2 -> P 1/4, R 1/3, F1 2/7
    # F1(b,1): 0                                     F1(b,2): tp2 fp2 fn0 -> P 1/2, R 1, F1 2/3
    # best total: a->1, b->2 (0.8 + 2/3); the "none" posts in cluster 2 are false positives of b
    matches = {m.gold: m for m in match_one_to_one(gold, pred, gold_classes=["a", "b"])}
    assert matches["a"].pred == 1 and matches["a"].scores.f1 == pytest.approx(0.8)
    assert matches["b"].pred == 2
    assert (matches["b"].scores.precision, matches["b"].scores.recall) == (0.5, 1.0)
    assert "none" not in matches


def test_match_one_to_one_is_not_greedy():
    gold = ["a", "a", "b", "b", "b"]
    pred = [1, 1, 1, 1, 2]
    # F1(a,1): tp2 fp2 fn0 -> 2/3      F1(b,1): tp2 fp2 fn1 -> P 1/2, R 2/3, F1 4/7
    # F1(a,2): 0                       F1(b,2): tp1 fp0 fn2 -> P 1, R 1/3, F1 1/2
    # a->1, b->2 totals 2/3 + 1/2 = 7/6 > b->1 alone (4/7): cluster 1 goes to a, b gets cluster 2
    matches = {m.gold: m for m in match_one_to_one(gold, pred)}
    assert matches["a"].pred == 1 and matches["b"].pred == 2
    assert matches["b"].scores.f1 == pytest.approx(0.5)


def test_match_one_to_one_unmatched_class_scores_zero():
    # two gold classes, one cluster: b is left unmatched with recall 0 over its 1 post
    matches = {m.gold: m for m in match_one_to_one(["a", "a", "b"], [1, 1, None])}
    assert matches["a"].pred == 1 and matches["a"].scores.f1 == pytest.approx(1.0)
    assert matches["b"].pred is None
    assert (matches["b"].scores.f1, matches["b"].scores.fn) == (0.0, 1)


def test_multilabel_prf_micro_and_per_label():
    gold = [{"x"}, {"x", "y"}, set()]
    pred = [{"x"}, {"y", "z"}, {"x"}]
    # tp: x (post 0), y (post 1) = 2; fp: z (post 1), x (post 2) = 2; fn: x (post 1) = 1
    # micro P = 2/4, R = 2/3, F1 = 2*(1/2)*(2/3)/(7/6) = 4/7
    micro, per = multilabel_prf(gold, pred)
    assert (micro.precision, micro.recall) == (0.5, pytest.approx(2 / 3))
    assert micro.f1 == pytest.approx(4 / 7)
    # x: tp1 fp1 fn1 -> 1/2 each; y: tp1 -> 1; z: fp1 only -> 0 with support 0
    assert per["x"].f1 == pytest.approx(0.5)
    assert per["y"].f1 == pytest.approx(1.0)
    assert per["z"].precision == 0.0 and per["z"].support == 0


def test_accuracy_and_macro_f1_by_hand():
    gold = ["against", "against", "favor", "neutral"]
    pred = ["against", "favor", "favor", None]  # None: the target was not found in the post
    # accuracy = 2/4
    assert accuracy(gold, pred) == 0.5
    # against: tp1 fp0 fn1 -> F1 2/3; favor: tp1 fp1 fn0 -> F1 2/3; neutral: tp0 fp0 fn1 -> 0
    # macro = (2/3 + 2/3 + 0) / 3 = 4/9
    assert macro_f1(gold, pred, ["against", "favor", "neutral"]) == pytest.approx(4 / 9)
    assert macro_f1([], [], None) == 0.0


def test_binary_and_set_prf_by_hand():
    # gold [T,T,F,F] vs pred [T,F,T,F]: tp1 fp1 fn1 -> 1/2 each
    s = binary_prf([True, True, False, False], [True, False, True, False])
    assert (s.precision, s.recall, s.f1) == (0.5, 0.5, 0.5)
    # gold weeks {1,2} vs flagged {2,3,4}: tp1 fp2 fn1 -> P 1/3, R 1/2, F1 = 2*(1/6)/(5/6) = 0.4
    w = set_prf({1, 2}, {2, 3, 4})
    assert (w.precision, w.recall) == (pytest.approx(1 / 3), 0.5)
    assert w.f1 == pytest.approx(0.4)


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="differ in length"):
        bcubed(["a"], [1, 2])
