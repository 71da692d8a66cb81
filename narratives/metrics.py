"""Scores for a narrative map against hand labels: clustering, one-to-one matching, P/R/F1.

Why our own code: B-cubed, Hungarian matching on F1 and multi-label micro scores are a few
lines each and their conventions matter (how outliers count, what an empty class scores), so
they are written here and tested against hand-computed values. ARI, NMI and V-measure come
from scikit-learn.

Convention for clusterings: a prediction of ``None`` is an outlier (no narrative). For the
clustering scores every outlier is its own singleton cluster, because an unassigned post is
grouped with nothing; the outlier share is reported beside them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn import metrics as skm


@dataclass(frozen=True)
class PRF:
    """Precision, recall, F1 and the counts behind them (support = gold positives)."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def as_dict(self) -> dict:
        return {**asdict(self), "support": self.support}


def prf(tp: int, fp: int, fn: int) -> PRF:
    """P/R/F1 from counts; a ratio with an empty denominator is 0.0 (nothing predicted = no precision credit)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, tp, fp, fn)


def binary_prf(gold: Sequence[bool], pred: Sequence[bool]) -> PRF:
    """P/R/F1 of a yes/no decision (e.g. "flagged as coordinated", "assigned the antisemitic narrative")."""
    _same_length(gold, pred)
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    return prf(tp, fp, fn)


def multilabel_prf(gold: Sequence[Iterable[Hashable]], pred: Sequence[Iterable[Hashable]]) -> tuple[PRF, dict]:
    """Micro P/R/F1 and per-label P/R/F1 of set-valued predictions (e.g. the candidates a post targets).

    Labels that appear in gold or predictions both get a row, so a candidate that is only ever
    predicted shows up with its false positives.
    """
    _same_length(gold, pred)
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for g_items, p_items in zip(gold, pred):
        g, p = set(g_items), set(p_items)
        for label in g & p:
            tp[label] += 1
        for label in p - g:
            fp[label] += 1
        for label in g - p:
            fn[label] += 1
    labels = sorted(set(tp) | set(fp) | set(fn), key=str)
    per_label = {label: prf(tp[label], fp[label], fn[label]) for label in labels}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return micro, per_label


def accuracy(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Share of exact matches; 0.0 on empty input."""
    _same_length(gold, pred)
    return sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0


def macro_f1(gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Sequence[Hashable] | None = None) -> float:
    """Unweighted mean of per-class F1 over `labels` (default: the classes present in gold).

    A prediction outside `labels` (e.g. "no stance found") is simply wrong: it adds a false
    negative to the gold class and a false positive to no class.
    """
    _same_length(gold, pred)
    classes = list(labels) if labels is not None else sorted(set(gold), key=str)
    if not classes:
        return 0.0
    scores = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        scores.append(prf(tp, fp, fn).f1)
    return float(np.mean(scores))


def _singletons(pred: Sequence[Hashable | None]) -> list:
    """Replace each outlier (None) by a cluster label of its own."""
    return [("__outlier__", i) if p is None else ("cluster", p) for i, p in enumerate(pred)]


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable | None]) -> PRF:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al. 2009).

    For each item: precision = share of its predicted cluster that shares its gold class,
    recall = share of its gold class that shares its predicted cluster; both averaged over
    items. Outliers are singleton clusters. tp/fp/fn are not defined here and are 0.
    """
    _same_length(gold, pred)
    if not gold:
        return PRF(0.0, 0.0, 0.0, 0, 0, 0)
    clusters = _singletons(pred)
    pair = Counter(zip(gold, clusters))
    gold_size = Counter(gold)
    cluster_size = Counter(clusters)
    precision = sum(pair[(g, c)] / cluster_size[c] for g, c in zip(gold, clusters)) / len(gold)
    recall = sum(pair[(g, c)] / gold_size[g] for g, c in zip(gold, clusters)) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, 0, 0, 0)


def clustering_scores(gold: Sequence[Hashable], pred: Sequence[Hashable | None]) -> dict:
    """ARI, NMI, V-measure and B-cubed of a clustering against gold classes (outliers as singletons)."""
    _same_length(gold, pred)
    n = len(gold)
    outliers = sum(1 for p in pred if p is None)
    if n == 0:
        return {"n_posts": 0, "ari": None, "nmi": None, "v_measure": None, "bcubed_precision": None,
                "bcubed_recall": None, "bcubed_f1": None, "outlier_share": None}
    clusters = [str(c) for c in _singletons(pred)]
    gold_labels = [str(g) for g in gold]
    b3 = bcubed(gold, pred)
    return {
        "n_posts": n,
        "ari": float(skm.adjusted_rand_score(gold_labels, clusters)),
        "nmi": float(skm.normalized_mutual_info_score(gold_labels, clusters)),
        "v_measure": float(skm.v_measure_score(gold_labels, clusters)),
        "bcubed_precision": b3.precision,
        "bcubed_recall": b3.recall,
        "bcubed_f1": b3.f1,
        "outlier_share": outliers / n,
    }


@dataclass(frozen=True)
class Match:
    """A gold class and the predicted cluster the one-to-one matching gave it (None: left unmatched)."""

    gold: Hashable
    pred: Hashable | None
    scores: PRF


def match_one_to_one(
    gold: Sequence[Hashable], pred: Sequence[Hashable | None], gold_classes: Iterable[Hashable] | None = None
) -> list[Match]:
    """Pair each gold class with at most one predicted cluster, maximising the total F1 (Hungarian).

    F1 of class g against cluster c uses every post: tp = |g ∩ c|, fp = |c \\ g|, fn = |g \\ c|.
    Outliers (None) are never a cluster to match. `gold_classes` limits which gold classes are
    matched (e.g. all but "none"); posts of the other classes still count as false positives.
    A class matched only to a cluster it shares no post with is reported unmatched.
    """
    _same_length(gold, pred)
    classes = sorted(set(gold) if gold_classes is None else set(gold_classes), key=str)
    clusters = sorted({p for p in pred if p is not None}, key=str)
    pair = Counter((g, p) for g, p in zip(gold, pred) if p is not None)
    gold_size = Counter(gold)
    cluster_size = Counter(p for p in pred if p is not None)

    def score(g: Hashable, c: Hashable) -> PRF:
        tp = pair[(g, c)]
        return prf(tp, cluster_size[c] - tp, gold_size[g] - tp)

    assigned: dict = {}
    if classes and clusters:
        f1 = np.array([[score(g, c).f1 for c in clusters] for g in classes])
        rows, cols = linear_sum_assignment(f1, maximize=True)
        assigned = {classes[r]: clusters[c] for r, c in zip(rows, cols) if f1[r, c] > 0}
    return [
        Match(g, assigned[g], score(g, assigned[g])) if g in assigned else Match(g, None, prf(0, 0, gold_size[g]))
        for g in classes
    ]


def set_prf(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> PRF:
    """P/R/F1 of one predicted set against one gold set (e.g. burst weeks of a narrative)."""
    g, p = set(gold), set(pred)
    return prf(len(g & p), len(p - g), len(g - p))


def _same_length(a: Sequence, b: Sequence) -> None:
    if len(a) != len(b):
        raise ValueError(f"gold and predictions differ in length: {len(a)} vs {len(b)}")
