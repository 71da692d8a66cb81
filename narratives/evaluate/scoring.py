"""Scores (pure functions of gold and predicted values): narratives, taxonomy, targets, stance, time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np

from ..baseline import BASELINE, BaselineResult
from ..sources.labeled_sets import EvalSet
from ..metrics import (
    accuracy,
    binary_prf,
    clustering_scores,
    macro_f1,
    match_one_to_one,
    multilabel_prf,
    prf,
    set_prf,
)
from ..series import BurstRule, burst_flags, week_of, week_range
from ..stance_baseline import has_neutral, stance_metrics, vader_baseline
from .records import NONE, OURS, RunOutput


def _clustering_view(gold: Sequence[str], pred: Sequence[str | None]) -> dict[str, Any]:
    scores = clustering_scores(gold, pred)
    if len(set(gold)) < 2:
        scores.update(ari=None, nmi=None, v_measure=None, note="fewer than 2 gold classes: ARI/NMI/V undefined")
    return scores


def score_clustering(gold: Sequence[str], pred: Sequence[str | None],
                     labels: dict[Any, str] | None = None) -> dict[str, Any]:
    """Clustering and matching scores of one narrative map (ours or the baseline) on posts with gold."""
    keep = [i for i, g in enumerate(gold) if g != NONE]
    classes = sorted({gold[i] for i in keep})
    matches = match_one_to_one(gold, pred, gold_classes=classes)
    per = {}
    for m in matches:
        per[m.gold] = {"matched": None if m.pred is None else str(m.pred),
                       "matched_label": None if m.pred is None else (labels or {}).get(m.pred, str(m.pred)),
                       **m.scores.as_dict()}
    return {
        "n_posts": len(gold),
        "n_predicted": len({p for p in pred if p is not None}),
        "outlier_share": sum(p is None for p in pred) / len(pred) if pred else None,
        "gold_narratives": _clustering_view([gold[i] for i in keep], [pred[i] for i in keep]),
        "all_posts": _clustering_view(list(gold), list(pred)),
        "per_narrative": per,
        "matched_macro_f1": float(np.mean([m.scores.f1 for m in matches])) if matches else None,
    }


def score_taxonomy(gold: Sequence[str], taxonomy: Sequence[str | None]) -> dict[str, Any]:
    """Per gold taxonomy id: P/R/F1 of "assigned to a narrative the labeller named with this id"."""
    return {g: binary_prf([x == g for x in gold], [t == g for t in taxonomy]).as_dict()
            for g in sorted(set(gold) - {NONE})}


def score_targets(gold: Sequence[list[str]], pred: Sequence[list[str]]) -> dict[str, Any]:
    """Candidates found per post against the gold targets, micro and per candidate."""
    micro, per = multilabel_prf(gold, pred)
    return {"n_posts": len(gold), "micro": micro.as_dict(), "per_candidate": {c: s.as_dict() for c, s in per.items()}}


def score_stance(gold: Sequence[dict[str, str]], pred: Sequence[dict[str, str]], texts: Sequence[str] | None = None,
                 gold_pairs: Sequence[dict[str, str]] | None = None) -> dict[str, Any]:
    """Over (post, gold target) pairs, with the VADER-sign baseline on the same pairs (`texts` aligned with gold).

    The headline `macro_f1` follows `metric` (`narratives.stance_baseline`): SemEval's F-avg (mean F1 of
    favor and against) on a set whose gold has no neutral, else macro-F1 over against/favor/neutral.
    A gold target the run did not find counts as a miss; `coverage` is the share it found with a
    stance. `gold_pairs` (the model's stance on every gold pair, linked or not) adds the same scores
    without the linking misses.
    """
    pairs = [(stance, p.get(cand), i) for i, (g, p) in enumerate(zip(gold, pred)) for cand, stance in g.items()]
    gold_s = [g for g, _, _ in pairs]
    pred_s = [p for _, p, _ in pairs]
    found = [(g, p) for g, p, _ in pairs if p is not None]
    if not pairs:
        return {"n_pairs": 0, "accuracy": None, "macro_f1": None, "coverage": None, "accuracy_when_found": None}
    ours = stance_metrics(gold_s, pred_s)
    result = {
        "n_pairs": len(pairs),
        "metric": ours["metric"],
        "accuracy": ours["accuracy"],
        "macro_f1": ours["score"],
        "per_class_f1": ours["per_class_f1"],
        "coverage": len(found) / len(pairs),
        "accuracy_when_found": accuracy([g for g, _ in found], [p for _, p in found]) if found else None,
        "gold_distribution": ours["gold_distribution"],
    }
    if texts is not None:
        vader = stance_metrics(gold_s, vader_baseline([texts[i] for _, _, i in pairs], has_neutral(gold_s)))
        result["vader_sign"] = {"accuracy": vader["accuracy"], "macro_f1": vader["score"],
                                "per_class_f1": vader["per_class_f1"]}
    if gold_pairs is not None:
        on_gold = stance_metrics(gold_s, [gold_pairs[i].get(cand) for i, g in enumerate(gold) for cand in g])
        result["gold_pairs"] = {"accuracy": on_gold["accuracy"], "macro_f1": on_gold["score"],
                                "per_class_f1": on_gold["per_class_f1"]}
    return result


def gold_burst_weeks(times: Sequence[datetime], gold: Sequence[str], rule: BurstRule) -> dict[str, set[str]]:
    """Weeks in which each gold narrative bursts under the tracker's rule (zero weeks filled)."""
    weeks = [week_of(t) for t in times]
    span = week_range(min(weeks), max(weeks)) if weeks else []
    out = {}
    for g in sorted(set(gold) - {NONE}):
        counts = Counter(w for w, x in zip(weeks, gold) if x == g)
        out[g] = {w for w, flag in zip(span, burst_flags([counts[w] for w in span], rule)) if flag}
    return out


def score_time(gold_weeks: dict[str, set[str]], matched: dict[str, str | None],
               flagged: dict[str, set[str]], rule: BurstRule) -> dict[str, Any]:
    """Gold burst weeks vs the weeks flagged for each gold narrative's matched narrative; micro over all."""
    per, tp, fp, fn = {}, 0, 0, 0
    for g, weeks in gold_weeks.items():
        pred_weeks = flagged.get(matched.get(g) or "", set())
        s = set_prf(weeks, pred_weeks)
        tp, fp, fn = tp + s.tp, fp + s.fp, fn + s.fn
        scores = s.as_dict()
        if not weeks and not pred_weeks:  # nothing to find and nothing flagged: agreement, but no score
            scores.update(precision=None, recall=None, f1=None)
        per[g] = {"matched": matched.get(g), "gold_burst_weeks": sorted(weeks), "flagged_weeks": sorted(pred_weeks),
                  **scores}
    return {"rule": rule.describe(), "micro": prf(tp, fp, fn).as_dict(), "per_narrative": per}


def score_run(eval_set: EvalSet, run: RunOutput, baseline: BaselineResult | None) -> dict[str, Any]:
    """Every metric of one run (and its baseline) on one set; keys follow metrics.json."""
    posts, preds = eval_set.posts, run.predictions
    result: dict[str, Any] = {}
    with_narr = [i for i, p in enumerate(posts) if p.gold.narrative is not None]
    if with_narr:
        gold = [posts[i].gold.narrative for i in with_narr]
        labels = {p.narrative: p.narrative_label for p in preds if p.narrative is not None}
        ours = score_clustering(gold, [preds[i].narrative for i in with_narr], labels)
        ours["taxonomy"] = score_taxonomy(gold, [preds[i].taxonomy_id for i in with_narr])
        result["narratives"] = {OURS: ours, BASELINE: _baseline_scores(gold, with_narr, baseline)}
        if eval_set.dated:
            matched = {g: v["matched"] for g, v in ours["per_narrative"].items()}
            gold_weeks = gold_burst_weeks([posts[i].created_at for i in with_narr], gold, run.burst_rule)
            result["time"] = score_time(gold_weeks, matched, run.burst_weeks, run.burst_rule)
        else:
            result["time"] = {"skipped": f"the {eval_set.layout} layout has no dates"}
    else:
        result["narratives"] = {"skipped": "no gold narratives in this set"}
        result["time"] = {"skipped": "no gold narratives in this set"}
    with_targets = [i for i, p in enumerate(posts) if p.gold.targets is not None]
    result["targets"] = (score_targets([posts[i].gold.targets for i in with_targets],
                                       [preds[i].targets for i in with_targets])
                         if with_targets else {"skipped": "no gold targets in this set"})
    with_stance = [i for i, p in enumerate(posts) if p.gold.stance]
    result["stance"] = (score_stance([posts[i].gold.stance for i in with_stance],
                                     [preds[i].stance for i in with_stance], [posts[i].text for i in with_stance],
                                     [run.gold_pair_stance[i] for i in with_stance] if run.gold_pair_stance else None)
                        if with_stance else {"skipped": "no gold stance in this set"})
    with_coord = [i for i, p in enumerate(posts) if p.gold.coordinated is not None]
    result["coordination"] = (
        {"n_posts": len(with_coord), **binary_prf([posts[i].gold.coordinated for i in with_coord],
                                                  [bool(preds[i].coordinated) for i in with_coord]).as_dict(),
         "account_pairs": score_account_pairs([posts[i] for i in with_coord], run.account_pairs)}
        if with_coord else {"skipped": "no gold coordination labels in this set"})
    return result


PAIR_WINDOW_S = 3600


def gold_account_pairs(posts: Sequence, window_s: float = PAIR_WINDOW_S) -> set[tuple[str, str]]:
    """Pairs of accounts (a < b) the gold says acted together: both wrote gold-coordinated posts with the
    same gold narrative at most `window_s` apart (the gold marks posts, not bursts, so time stands in)."""
    marked = sorted(((p.gold.narrative or "", p.created_at, p.author_handle) for p in posts
                     if p.gold.coordinated and p.author_handle), key=lambda r: (r[0], r[1]))
    pairs, start = set(), 0
    for j, (narrative, when, author) in enumerate(marked):
        while marked[start][0] != narrative or (when - marked[start][1]).total_seconds() > window_s:
            start += 1
        pairs.update((min(a, author), max(a, author)) for _, _, a in marked[start:j] if a != author)
    return pairs


def score_account_pairs(posts: Sequence, predicted: set[tuple[str, str]]) -> dict[str, Any]:
    """Pairwise account-level P/R/F1: account pairs the run linked (an edge of any network, both accounts
    among `posts`' authors) against `gold_account_pairs`."""
    authors = {p.author_handle for p in posts if p.author_handle}
    gold = gold_account_pairs(posts)
    pred = {pair for pair in predicted if pair[0] in authors and pair[1] in authors}
    return {"n_gold_pairs": len(gold), "window_s": PAIR_WINDOW_S, **set_prf(gold, pred).as_dict()}


def _baseline_scores(gold: list[str], rows: list[int], baseline: BaselineResult | None) -> dict[str, Any]:
    if baseline is None:
        return {"skipped": "baseline not run"}
    if baseline.topics is None:
        return {"error": baseline.error}
    return score_clustering(gold, [baseline.topics[i] for i in rows])


def timings(n_posts: int, stage_seconds: dict[str, float]) -> dict[str, Any]:
    """Seconds and posts/s per stage (posts/s is None for a stage that took no measurable time)."""
    return {stage: {"seconds": round(s, 3), "posts_per_s": round(n_posts / s, 1) if s > 0 else None}
            for stage, s in stage_seconds.items()}
