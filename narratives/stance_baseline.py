"""Stance scoring shared by `narratives eval` and the stance trainer, and the VADER-sign baseline.

Which metric a set gets depends on its gold labels:

- a set whose gold has only favor and against (P-Stance, SemEval without NONE rows) is scored as
  SemEval-2016 does: F-avg = mean of F1(favor) and F1(against). A predicted `neutral` (or a target
  the run did not find) is simply a miss for the gold class; there is no neutral F1 to average in.
- a set with neutral gold (our labeled JSONL sets) is scored by macro-F1 over against, favor and
  neutral.

The baseline is the plain sign of VADER's compound score on the whole post: favor when it is
positive, against when negative. On a set with neutral gold, a compound within
`NEUTRAL_BAND` of zero (VADER's own convention) is neutral; on a two-class set the sign alone
decides (0 counts as favor). It knows nothing about targets, so a stance model that does not beat
it has learned nothing beyond sentiment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from .metrics import accuracy, macro_f1
from .stance import STANCES, _polarity

TWO_CLASS = ("against", "favor")
NEUTRAL_BAND = 0.05
F_AVG = "f_avg (mean F1 of favor and against; SemEval-2016)"
MACRO3 = "macro_f1 (against, favor, neutral)"


def has_neutral(gold: Sequence[str]) -> bool:
    """Whether a set's gold uses the neutral class (decides its stance metric)."""
    return "neutral" in set(gold)


def vader_sign(text: str, three_class: bool) -> str:
    """The VADER-sign stance of one post (see the module docstring)."""
    compound = _polarity(text)[3]
    if three_class and abs(compound) < NEUTRAL_BAND:
        return "neutral"
    return "favor" if compound >= 0 else "against"


def vader_baseline(texts: Sequence[str], three_class: bool) -> list[str]:
    """VADER-sign stance for each text."""
    return [vader_sign(t, three_class) for t in texts]


def stance_metrics(gold: Sequence[str], pred: Sequence[str | None]) -> dict[str, Any]:
    """Scores of predicted against gold stances over (post, target) pairs; None = no prediction (a miss).

    `metric` names the headline figure in `score`: F-avg on a two-class set, else 3-class macro-F1.
    Both are also given under their own names, with per-class F1 and accuracy.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold and pred differ in length ({len(gold)} vs {len(pred)})")
    if not gold:
        return {"n_pairs": 0, "metric": None, "score": None}
    three = has_neutral(gold)
    pred = [p if p is not None else "<none>" for p in pred]
    per_class = {c: macro_f1(gold, pred, [c]) for c in STANCES if three or c in TWO_CLASS}
    f_avg = (per_class["against"] + per_class["favor"]) / 2
    macro3 = macro_f1(gold, pred, list(STANCES)) if three else None
    return {
        "n_pairs": len(gold),
        "metric": MACRO3 if three else F_AVG,
        "score": macro3 if three else f_avg,
        "f_avg": f_avg,
        "macro_f1": macro3,
        "accuracy": accuracy(gold, pred),
        "per_class_f1": per_class,
        "predicted_neutral": sum(p == "neutral" for p in pred) / len(pred),
        "gold_distribution": dict(sorted(Counter(gold).items())),
    }
