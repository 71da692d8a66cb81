"""Stance of a post toward each candidate it mentions: against, favor or neutral, with a probability.

Why a small linear model over three kinds of evidence rather than one big classifier:

* the post embedding (all-MiniLM-L6-v2, computed once by the embed stage and passed in) says what
  the post is about and in which register (attack copy, campaign cheer, news);
* VADER on the sentence around the mention, plus a few cue words, makes the decision specific to
  the target (a post can praise Gloria Johnson and attack Marsha Blackburn in the same breath);
* the narrative's own stance from the taxonomy (`against` / `favor`), and whether the candidate is
  one the narrative mainly targets, is a strong prior the pipeline already knows.

A multinomial logistic regression over [embedding, lexicon, prior] is trained offline by
`benchmarks/train_stance.py` and shipped as JSON coefficients (`narratives/stance_model.json`,
about 60 kB), so a run needs neither training nor scikit-learn objects to score stance, and the
weights are reviewable and reproducible from the script.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import NarrativesError

STANCES = ("against", "favor", "neutral")
MAIN_RATIO = 0.6
"""A narrative's main targets: candidates named in at least this share of the posts its top target is."""
DEFAULT_MODEL = Path(__file__).resolve().parent / "stance_model.json"

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_FAVOR_CUES = re.compile(
    r"\b(vote for|voted for|voting for|vote \w+ for|early vote|support|proud|thank|thanks|grateful|great|love|hero|"
    r"deserves|fights? for|for senate|for congress|let'?s go|chip in|solid|right about|good on|"
    r"credit where|gets my vote|#vote\w+)\b", re.IGNORECASE)
_AGAINST_CUES = re.compile(
    r"\b(corrupt\w*|resign|vote (him|her|them) out|vote out|fire|investigate|shame\w*|disgust\w*|bought|puppet|"
    r"traitor|lock (him|her) up|scheme|insider|crook\w*|liar|lies|lying|sold out|owned by|on the payroll|"
    r"for sale|pathetic|too old|wrong on|disappoint\w*|not a fan|retire|no thanks)\b", re.IGNORECASE)
_NEUTRAL_CUES = re.compile(
    r"\b(per|according to|says|said|reports?|reported|reportedly|announce[sd]?|visits?|visited|tours?|toured|"
    r"will hold|to hold|holds|spoke|speaks|interview|statement|declined to comment|expected to|wins|won|leads|"
    r"poll|polls|schedule|scheduled|introduced|co-?sponsors?|hearing|ap|reuters|breaking|update|just in|new)\b",
    re.IGNORECASE)
LEXICON_FEATURES = ("vader_neg", "vader_neu", "vader_pos", "vader_compound", "post_compound", "favor_cues",
                    "against_cues", "neutral_cues", "question", "n_targets")
PRIOR_FEATURES = ("narrative_against", "narrative_favor", "narrative_none", "main_target",
                  "favor_main", "favor_other", "against_main")


@dataclass(frozen=True)
class StanceItem:
    """One (post, candidate) pair to score.

    `row` indexes the embedding matrix (-1: no vector); `narrative_stance` is the taxonomy stance of
    the post's narrative (None: outlier or unnamed narrative); `main_target` says whether the
    candidate is one that narrative mainly targets.
    """

    text: str
    start: int | None
    end: int | None
    candidate_id: str
    row: int = -1
    n_targets: int = 1
    narrative_stance: str | None = None
    main_target: bool = False


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=100_000)
def _polarity(text: str) -> tuple[float, float, float, float]:
    s = _vader().polarity_scores(text)
    return s["neg"], s["neu"], s["pos"], s["compound"]


def mention_window(text: str, start: int | None) -> str:
    """The sentence holding the mention (the whole post when there is no span)."""
    if start is None:
        return text
    for m in _SENTENCE.finditer(text):
        if m.start() <= start < m.end():
            return m.group().strip() or text
    return text


def stance_features(items: Sequence[StanceItem], embeddings: np.ndarray | None) -> dict[str, np.ndarray]:
    """X_parts for StanceModel: {"embedding": (n, d), "lexicon": (n, k), "prior": (n, m)}.

    A missing vector (row -1, or no matrix) is a row of NaN: the model reads it as the training
    mean, so the lexicon and prior decide alone.
    """
    n = len(items)
    dim = embeddings.shape[1] if embeddings is not None and embeddings.ndim == 2 else 0
    emb = np.full((n, dim), np.nan, dtype=np.float32)
    lex = np.zeros((n, len(LEXICON_FEATURES)), dtype=np.float32)
    prior = np.zeros((n, len(PRIOR_FEATURES)), dtype=np.float32)
    for i, item in enumerate(items):
        if dim and item.row >= 0:
            emb[i] = embeddings[item.row]
        window = mention_window(item.text, item.start)
        neg, neu, pos, compound = _polarity(window)
        post_compound = compound if window == item.text else _polarity(item.text)[3]
        lex[i] = (neg, neu, pos, compound, post_compound, len(_FAVOR_CUES.findall(window)),
                  len(_AGAINST_CUES.findall(window)), len(_NEUTRAL_CUES.findall(item.text)), float("?" in window),
                  1.0 / max(item.n_targets, 1))
        against, favor = item.narrative_stance == "against", item.narrative_stance == "favor"
        main = float(item.main_target)
        prior[i] = (against, favor, item.narrative_stance is None, main, favor * main, favor * (1 - main),
                    against * main)
    return {"embedding": emb, "lexicon": lex, "prior": prior}


class StanceModel:
    """Multinomial logistic regression over [embedding, lexicon, prior] (scikit-learn estimator style).

    Hyper-parameters live in `__init__`; `fit` sets `classes_`, `mean_`, `scale_`, `coef_`,
    `intercept_` and `embedding_dim_`. Prediction is plain numpy, so a model loaded from JSON
    scores without scikit-learn.
    """

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced", max_iter: int = 2000,
                 random_state: int = 0):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    @staticmethod
    def _matrix(X_parts: dict[str, np.ndarray]) -> np.ndarray:
        return np.hstack([np.asarray(X_parts[k], dtype=np.float64) for k in ("embedding", "lexicon", "prior")])

    def fit(self, X_parts: dict[str, np.ndarray], y: Sequence[str]) -> StanceModel:
        """Standardise the features and fit the regression on labels from STANCES."""
        from sklearn.linear_model import LogisticRegression

        X = self._matrix(X_parts)
        X = np.where(np.isnan(X), np.nanmean(X, axis=0), X)
        y = np.asarray(y)
        unknown = set(y) - set(STANCES)
        if unknown:
            raise ValueError(f"stance labels must be in {STANCES}, got {sorted(unknown)}")
        self.mean_ = X.mean(axis=0)
        self.scale_ = X.std(axis=0)
        self.scale_[self.scale_ == 0] = 1.0
        clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                 random_state=self.random_state)
        clf.fit((X - self.mean_) / self.scale_, y)
        self.classes_ = np.array([str(c) for c in clf.classes_])
        self.coef_ = clf.coef_
        self.intercept_ = clf.intercept_
        self.embedding_dim_ = int(np.asarray(X_parts["embedding"]).shape[1])
        return self

    def decision_function(self, X_parts: dict[str, np.ndarray]) -> np.ndarray:
        """Linear scores; embeddings of another width (another model) or NaN rows count as the training mean."""
        emb = np.asarray(X_parts["embedding"], dtype=np.float64)
        if emb.ndim != 2 or emb.shape[1] != self.embedding_dim_:
            emb = np.full((len(X_parts["lexicon"]), self.embedding_dim_), np.nan)
        X = self._matrix({**X_parts, "embedding": emb})
        X = np.where(np.isnan(X), self.mean_, X)
        return ((X - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_

    def predict_proba(self, X_parts: dict[str, np.ndarray]) -> np.ndarray:
        """(n, len(classes_)) probabilities (softmax; two-class models use the logistic)."""
        z = self.decision_function(X_parts)
        if len(self.classes_) == 2:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1.0 - p, p])
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X_parts: dict[str, np.ndarray]) -> np.ndarray:
        return self.classes_[self.predict_proba(X_parts).argmax(axis=1)]

    # ------------------------------------------------------------------ persistence
    def to_dict(self) -> dict:
        return {
            "format": "narratives-stance-logreg/1",
            "params": {"C": self.C, "class_weight": self.class_weight, "max_iter": self.max_iter,
                       "random_state": self.random_state},
            "classes": self.classes_.tolist(),
            "embedding_dim": self.embedding_dim_,
            "features": ["embedding"] * self.embedding_dim_ + list(LEXICON_FEATURES) + list(PRIOR_FEATURES),
            "mean": _floats(self.mean_), "scale": _floats(self.scale_),
            "coef": [_floats(row) for row in self.coef_], "intercept": _floats(self.intercept_),
        }

    def save(self, path: str | Path, **metadata) -> None:
        """Write the fitted model (plus e.g. training data and scores) as JSON."""
        Path(path).write_text(json.dumps(self.to_dict() | {"metadata": metadata}, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path | None = None) -> StanceModel:
        """The shipped model (default) or one saved by `save`."""
        path = Path(path) if path is not None else DEFAULT_MODEL
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NarrativesError(f"{path}: stance model not found (train one: python benchmarks/train_stance.py)") from None
        except json.JSONDecodeError as exc:
            raise NarrativesError(f"{path}:{exc.lineno}: stance model is not valid JSON: {exc.msg}") from None
        if data.get("format") != "narratives-stance-logreg/1":
            raise NarrativesError(f"{path}: field 'format': not a narratives stance model")
        model = cls(**data["params"])
        model.classes_ = np.array(data["classes"])
        model.embedding_dim_ = int(data["embedding_dim"])
        model.mean_ = np.array(data["mean"])
        model.scale_ = np.array(data["scale"])
        model.coef_ = np.array(data["coef"])
        model.intercept_ = np.array(data["intercept"])
        model.metadata_ = data.get("metadata", {})
        return model


def _floats(values: np.ndarray) -> list[float]:
    """Full float precision: rounding a tiny feature scale to 0 would divide by zero on load."""
    return [float(v) for v in np.ravel(values)]


def score_stance(model: StanceModel, items: Sequence[StanceItem], embeddings: np.ndarray | None,
                 embedding_model: str | None = None) -> list[tuple[str, float]]:
    """(stance, probability of that stance) for each item.

    Vectors from another embedding model than the one the stance model was trained on
    (`embedding_model` vs the model's metadata) are ignored rather than misread.
    """
    if not items:
        return []
    trained_on = getattr(model, "metadata_", {}).get("embedding_model")
    if embedding_model is not None and trained_on is not None and embedding_model != trained_on:
        embeddings = None
    proba = model.predict_proba(stance_features(items, embeddings))
    best = proba.argmax(axis=1)
    return [(str(model.classes_[k]), round(float(proba[i, k]), 4)) for i, k in enumerate(best)]


def labeled_items(posts: Sequence[dict], mentions: Sequence[Sequence], narrative_stance: dict[str, str],
                  rows: Sequence[int] | None = None, main_ratio: float = MAIN_RATIO) -> tuple[list[StanceItem], list[str]]:
    """(items, gold stances) for every gold (post, target) pair of a labeled set (eval/README.md format).

    The span is the target's first linked mention (the whole post when the linker missed it); the
    narrative prior is the gold narrative's taxonomy stance, and a candidate is a narrative's main
    target when it is a gold target of at least `main_ratio` times as many of its posts as its most
    targeted candidate. Used to train and to score the stance model apart from clustering.
    """
    targeted: dict[tuple[str, str], int] = {}
    for post in posts:
        for cid in post.get("targets") or []:
            key = (post.get("narrative"), cid)
            targeted[key] = targeted.get(key, 0) + 1
    top: dict[str, int] = {}
    for (nid, _), count in targeted.items():
        top[nid] = max(top.get(nid, 0), count)
    items, gold = [], []
    for i, (post, found) in enumerate(zip(posts, mentions, strict=True)):
        nid = post.get("narrative")
        for cid, stance in sorted((post.get("stance") or {}).items()):
            span = next(((m.start, m.end) for m in found if m.candidate_id == cid), (None, None))
            main = targeted.get((nid, cid), 0) >= main_ratio * top.get(nid, 0)
            items.append(StanceItem(post["text"], span[0], span[1], cid, rows[i] if rows is not None else -1,
                                    len(post.get("targets") or []) or 1, narrative_stance.get(nid), main and nid != "none"))
            gold.append(stance)
    return items, gold
