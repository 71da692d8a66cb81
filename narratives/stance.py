"""Stance of a post toward each candidate it mentions: against, favor or neutral, with a probability.

A multinomial logistic regression over three kinds of evidence, trained on real hand-labeled tweets:

* word (1-2) and character (2-5) TF-IDF of the post with the scored candidate's names, handles and
  name-hashtags replaced by `<target>` and every other registered candidate's by `<other>`
  (`TargetMasker`). The model learns how people write about whoever is the target ("#Never<target>",
  "<target> is a liar", "vote <target>"), not that a given name is favored, which is what carries to
  politicians it never saw; and one post scored toward two candidates reads differently for each;
* VADER on the sentence around the mention, plus a few cue words (`LEXICON_FEATURES`);
* optionally (`narrative_prior=True`), the narrative's own stance from the taxonomy (`against` /
  `favor`) and whether the candidate is one the narrative mainly targets (`PRIOR_FEATURES`). The
  shipped model leaves it out: only the demo corpus carries a narrative prior, so its weights were
  learned from synthetic posts where it almost decides stance, and in a real run the prior comes
  from the run's own, often wrong, taxonomy matches and overrode the text.

The text model reads the text, not the run's embedding vectors, so it scores alike under any card.
Where the run used a card with a shipped stance head (`narratives.stance_embed`: the default
use-m3), `score_stance` blends its probabilities with the head's, which reads the post vectors the
embed stage already computed; other cards, and posts without a vector, get the text model alone.
`benchmarks/train_stance.py` selects the configuration on P-Stance
(leave-one-target-out and the validation split), trains it on P-Stance train plus the demo corpus
(the only source of `neutral`) and writes `narratives/stance_model.json`
(sorted vocabularies, idf and coefficients rounded to 4 significant digits) byte-identically on a
rerun. Scoring uses scikit-learn's TF-IDF vectorizers rebuilt from the stored vocabularies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .util import class_probabilities, read_weights
from .stance_embed import EmbeddingStanceHead, blend, load_head
from .stance_mask import (MASK_MODES, OTHER, SUBSTRING_MIN, TARGET, TOKEN_PATTERN, TargetMasker,  # noqa: F401
                          default_masker)

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


def stance_features(items: Sequence[StanceItem], masker: TargetMasker) -> dict[str, Any]:
    """X_parts for StanceModel: {"text": masked texts, "lexicon": (n, k), "prior": (n, m)}.

    The lexicon block is VADER and cue counts on the sentence around the mention (the whole post
    without a span); the prior block is the narrative's taxonomy stance and whether the candidate is
    one the narrative mainly targets.
    """
    n = len(items)
    lex = np.zeros((n, len(LEXICON_FEATURES)), dtype=np.float64)
    prior = np.zeros((n, len(PRIOR_FEATURES)), dtype=np.float64)
    texts = []
    for i, item in enumerate(items):
        texts.append(masker.mask(item.text, item.candidate_id))
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
    return {"text": texts, "lexicon": lex, "prior": prior}


FORMAT = "narratives-stance-tfidf/1"
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)


def _sig(values: np.ndarray, digits: int = 4) -> np.ndarray:
    """Round to `digits` significant digits: the shipped JSON stays small and loads to the same floats."""
    values = np.asarray(values, dtype=np.float64)
    return np.array([float(f"{v:.{digits}g}") for v in values.ravel()]).reshape(values.shape)


def _vectorizers(word_features: int, char_features: int, word_vocab=None, char_vocab=None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(lowercase=True, token_pattern=TOKEN_PATTERN, ngram_range=WORD_NGRAMS, min_df=2,
                           max_features=word_features, sublinear_tf=True, vocabulary=word_vocab, dtype=np.float64)
    char = TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=CHAR_NGRAMS, min_df=3,
                           max_features=char_features, sublinear_tf=True, vocabulary=char_vocab, dtype=np.float64)
    return word, char


class StanceModel:
    """Logistic regression over masked word and character TF-IDF, window lexicon and (optionally) narrative prior.

    scikit-learn estimator style: hyper-parameters in `__init__`; `fit(items, y)` sets `classes_`,
    `word_vocab_`, `word_idf_`, `char_vocab_`, `char_idf_`, `mean_`, `scale_`, `coef_` and
    `intercept_` (coefficients and idf rounded to 4 significant digits, so the fitted model and the
    saved one score identically). Independent of the run's embedding model: it reads the text.
    With `narrative_prior=False` the prior block is read as zeros in `fit` and in scoring, so the
    narrative a post was assigned to cannot change its stance.
    """

    def __init__(self, C: float = 1.0, word_features: int = 20000, char_features: int = 30000,
                 mask: str = "others", class_weight: str | None = "balanced", max_iter: int = 3000,
                 random_state: int = 0, narrative_prior: bool = True):
        self.C = C
        self.word_features = word_features
        self.char_features = char_features
        self.mask = mask
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state
        self.narrative_prior = narrative_prior

    def _masker(self, masker: TargetMasker | None) -> TargetMasker:
        if masker is None:
            return default_masker(self.mask)
        if masker.mode != self.mask:
            raise ValueError(f"masker mode {masker.mode!r} differs from the model's mask {self.mask!r}")
        return masker

    def _matrix(self, X_parts: dict[str, Any]):
        from scipy import sparse

        word, char = self._fitted_vectorizers()
        dense = (self._dense(X_parts) - self.mean_) / self.scale_
        return sparse.hstack([word.transform(X_parts["text"]), char.transform(X_parts["text"]),
                              sparse.csr_matrix(dense)], format="csr")

    def _dense(self, X_parts: dict[str, Any]) -> np.ndarray:
        """The lexicon and prior blocks side by side (the prior as zeros when `narrative_prior` is off)."""
        prior = X_parts["prior"] if self.narrative_prior else np.zeros_like(X_parts["prior"])
        return np.hstack([X_parts["lexicon"], prior])

    def _fitted_vectorizers(self):
        if getattr(self, "_vec", None) is None:
            word, char = _vectorizers(self.word_features, self.char_features,
                                      {t: i for i, t in enumerate(self.word_vocab_)},
                                      {t: i for i, t in enumerate(self.char_vocab_)})
            word.idf_, char.idf_ = self.word_idf_, self.char_idf_
            self._vec = (word, char)
        return self._vec

    def fit(self, items: Sequence[StanceItem], y: Sequence[str], masker: TargetMasker | None = None,
            sample_weight: Sequence[float] | None = None) -> StanceModel:
        """Learn vocabularies (sorted), idf and the regression on labels from STANCES."""
        return self.fit_features(stance_features(items, self._masker(masker)), y, sample_weight)

    def fit_features(self, X_parts: dict[str, Any], y: Sequence[str],
                     sample_weight: Sequence[float] | None = None) -> StanceModel:
        """`fit` on features already computed by `stance_features` (with a masker in this model's mode)."""
        from sklearn.linear_model import LogisticRegression

        y = np.asarray(y)
        unknown = set(y.tolist()) - set(STANCES)
        if unknown:
            raise ValueError(f"stance labels must be in {STANCES}, got {sorted(unknown)}")
        word, char = _vectorizers(self.word_features, self.char_features)
        for vec, name in ((word, "word"), (char, "char")):
            vec.fit(X_parts["text"])
            vocab = sorted(vec.vocabulary_)
            setattr(self, f"{name}_vocab_", vocab)
            setattr(self, f"{name}_idf_", _sig(vec.idf_[[vec.vocabulary_[t] for t in vocab]]))
        dense = self._dense(X_parts)
        self.mean_ = _sig(dense.mean(axis=0))
        scale = dense.std(axis=0)
        scale[scale < 1e-6] = 1.0
        self.scale_ = _sig(scale)
        self._vec = None
        clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                 random_state=self.random_state)
        clf.fit(self._matrix(X_parts), y,
                sample_weight=None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64))
        self.classes_ = np.array([str(c) for c in clf.classes_])
        self.coef_ = _sig(clf.coef_)
        self.intercept_ = _sig(clf.intercept_)
        return self

    def predict_proba_features(self, X_parts: dict[str, Any]) -> np.ndarray:
        """`predict_proba` on features already computed by `stance_features`."""
        z = np.asarray(self._matrix(X_parts) @ self.coef_.T) + self.intercept_
        return class_probabilities(z)

    def predict_proba(self, items: Sequence[StanceItem], masker: TargetMasker | None = None) -> np.ndarray:
        """(n, len(classes_)) probabilities (softmax; two-class models use the logistic)."""
        return self.predict_proba_features(stance_features(items, self._masker(masker)))

    def predict(self, items: Sequence[StanceItem], masker: TargetMasker | None = None) -> np.ndarray:
        return self.classes_[self.predict_proba(items, masker).argmax(axis=1)]

    # ------------------------------------------------------------------ persistence
    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "params": {"C": self.C, "word_features": self.word_features, "char_features": self.char_features,
                       "mask": self.mask, "class_weight": self.class_weight, "max_iter": self.max_iter,
                       "random_state": self.random_state, "narrative_prior": self.narrative_prior},
            "classes": self.classes_.tolist(),
            "dense_features": list(LEXICON_FEATURES) + list(PRIOR_FEATURES),
            "mean": self.mean_.tolist(), "scale": self.scale_.tolist(),
            "intercept": self.intercept_.tolist(),
            "word_vocab": self.word_vocab_, "word_idf": self.word_idf_.tolist(),
            "char_vocab": self.char_vocab_, "char_idf": self.char_idf_.tolist(),
            "coef": [row.tolist() for row in self.coef_],
        }

    def save(self, path: str | Path, **metadata) -> None:
        """Write the fitted model (plus metadata such as training data and scores) as compact JSON.

        The bytes depend only on the fitted state and `metadata` (sorted keys, no timestamps), so a
        retrain on the same data reproduces the file exactly.
        """
        data = self.to_dict() | {"metadata": metadata}
        Path(path).write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path | None = None) -> StanceModel:
        """The shipped model (default) or one saved by `save`."""
        path = Path(path) if path is not None else DEFAULT_MODEL
        data = read_weights(path, FORMAT, "stance model", "python benchmarks/train_stance.py")
        model = cls(**data["params"])
        model.classes_ = np.array(data["classes"])
        model.mean_, model.scale_ = np.array(data["mean"]), np.array(data["scale"])
        model.intercept_, model.coef_ = np.array(data["intercept"]), np.array(data["coef"])
        model.word_vocab_, model.word_idf_ = list(data["word_vocab"]), np.array(data["word_idf"])
        model.char_vocab_, model.char_idf_ = list(data["char_vocab"]), np.array(data["char_idf"])
        model._vec = None
        model.metadata_ = data.get("metadata", {})
        return model


def score_stance(model: StanceModel, items: Sequence[StanceItem], embeddings: np.ndarray | None = None,
                 embedding_model: str | None = None, masker: TargetMasker | None = None,
                 head: EmbeddingStanceHead | None | str = "shipped") -> list[tuple[str, float]]:
    """(stance, probability of that stance) for each item.

    The text model scores every item. Where `embedding_model` (the run's card id) has a stance head
    (`narratives.stance_embed.HEADS`; `head="shipped"` loads it, None turns it off) and an item has a
    vector (`row` >= 0 in `embeddings`, the embed stage's matrix), its probabilities are blended with
    the head's (`blend`). Any other card, or a post without a vector, gets the text model alone.
    """
    if not items:
        return []
    proba = model.predict_proba(items, masker)
    if isinstance(head, str):
        head = load_head(embedding_model)
    if head is not None and embeddings is not None and len(embeddings):
        if embedding_model is not None and embedding_model != head.embedding_model:
            raise ValueError(f"stance head is for {head.embedding_model!r}, the embeddings come from {embedding_model!r}")
        if list(head.classes_) != list(model.classes_):
            raise ValueError(f"stance head classes {list(head.classes_)} differ from the model's {list(model.classes_)}")
        rows = np.array([it.row for it in items], dtype=np.int64)
        has = (rows >= 0) & (rows < len(embeddings))
        if has.any():
            proba[has] = blend(proba[has], head.predict_proba(embeddings[rows[has]]), head.weight)
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
