"""Framing classifiers: does a post carry a narrative's framing, or does it merely mention its topic?

A taxonomy entry matched by embedding similarity collects every post *about* its topic: the
antisemitic-framing narrative would collect every post about Jews or Israel. An entry that names a
`classifier` in prompts/narratives.yaml keeps only the posts this classifier accepts (see
`narratives.gate`). The classifier is a logistic regression over TF-IDF word (1-2) and character
(2-5, within words) n-grams of the normalised text, so it does not depend on the embedding model the
run uses. The shipped weights (`narratives/framing_antisemitic.json`) are rebuilt byte-identically
by `benchmarks/train_framing.py` from the ISCA 2019-2020 labels.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .errors import NarrativesError
from .util import read_weights
from .text import normalize_text

FORMAT = "narratives-framing-tfidf-logreg/1"
_PACKAGE = Path(__file__).resolve().parent
CLASSIFIERS = {"antisemitic_framing": _PACKAGE / "framing_antisemitic.json"}
"""Classifier names a taxonomy entry may declare, and where each one's weights live."""


class FramingClassifier:
    """TF-IDF word + character n-grams and a logistic regression (scikit-learn estimator style).

    Hyper-parameters live in `__init__`; `fit` sets `vocabulary_` / `idf_` per block, `coef_`,
    `intercept_` and (via `set_threshold`) `threshold_`, the probability above which `predict` says yes.
    """

    def __init__(self, C: float = 2.0, word_features: int = 20_000, char_features: int = 30_000,
                 class_weight: str | None = "balanced", max_iter: int = 3000):
        self.C = C
        self.word_features = word_features
        self.char_features = char_features
        self.class_weight = class_weight
        self.max_iter = max_iter

    def get_params(self) -> dict:
        return {"C": self.C, "word_features": self.word_features, "char_features": self.char_features,
                "class_weight": self.class_weight, "max_iter": self.max_iter}

    def _vectorizers(self, vocabularies: dict[str, dict[str, int]] | None = None) -> dict[str, TfidfVectorizer]:
        vocab = vocabularies or {}
        return {
            "word": TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False,
                                    token_pattern=r"(?u)[#@]?\b\w+\b", max_features=self.word_features,
                                    vocabulary=vocab.get("word"), dtype=np.float64),
            "char": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                                    lowercase=False, max_features=self.char_features,
                                    vocabulary=vocab.get("char"), dtype=np.float64),
        }

    def _features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        norm = [normalize_text(t) for t in texts]
        blocks = []
        for name, vec in self._vectorizers(self.vocabulary_).items():
            vec.idf_ = self.idf_[name]
            blocks.append(vec.transform(norm))
        return sparse.hstack(blocks).tocsr()

    def fit(self, texts: Sequence[str], y: Sequence[int], sample_weight: Sequence[float] | None = None) -> FramingClassifier:
        norm = [normalize_text(t) for t in texts]
        self.vocabulary_, self.idf_ = {}, {}
        blocks = []
        for name, vec in self._vectorizers().items():
            blocks.append(vec.fit_transform(norm))
            self.vocabulary_[name] = {term: int(i) for term, i in vec.vocabulary_.items()}
            self.idf_[name] = vec.idf_.copy()
        X = sparse.hstack(blocks).tocsr()
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, solver="liblinear")
        model.fit(X, np.asarray(y, dtype=int), sample_weight=sample_weight)
        self.coef_ = model.coef_[0].copy()
        self.intercept_ = float(model.intercept_[0])
        self.threshold_ = 0.5
        return self

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros(0)
        return self._features(texts) @ self.coef_ + self.intercept_

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """P(framing) per text (one column: the positive class)."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(texts)))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """True where the text carries the framing (probability >= `threshold_`)."""
        return self.predict_proba(texts) >= self.threshold_

    def set_threshold(self, threshold: float) -> FramingClassifier:
        self.threshold_ = float(threshold)
        return self

    # ---------------------------------------------------------------- persistence
    def to_dict(self) -> dict:
        """The fitted state with rounded numbers, so the same data always gives the same bytes."""
        blocks = {}
        offset = 0
        for name in ("word", "char"):
            vocab = self.vocabulary_[name]
            terms = sorted(vocab, key=vocab.get)
            cols = np.arange(offset, offset + len(terms))
            blocks[name] = {"terms": terms, "idf": [round(float(v), 5) for v in self.idf_[name]],
                            "coef": [round(float(v), 5) for v in self.coef_[cols]]}
            offset += len(terms)
        return {"format": FORMAT, "params": self.get_params(), "intercept": round(self.intercept_, 6),
                "threshold": round(self.threshold_, 6), "blocks": blocks}

    def save(self, path: str | Path, **metadata) -> None:
        Path(path).write_text(json.dumps(self.to_dict() | {"metadata": metadata}, ensure_ascii=False,
                                         separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> FramingClassifier:
        data = read_weights(path, FORMAT, "framing classifier", "python benchmarks/train_framing.py")
        model = cls(**data["params"])
        model.vocabulary_, model.idf_, coef = {}, {}, []
        for name in ("word", "char"):
            block = data["blocks"][name]
            model.vocabulary_[name] = {t: i for i, t in enumerate(block["terms"])}
            model.idf_[name] = np.asarray(block["idf"], dtype=np.float64)
            coef.extend(block["coef"])
        model.coef_ = np.asarray(coef, dtype=np.float64)
        model.intercept_ = float(data["intercept"])
        model.threshold_ = float(data["threshold"])
        return model


def load_classifier(name: str) -> FramingClassifier:
    """The shipped classifier a taxonomy entry names (see CLASSIFIERS)."""
    if name not in CLASSIFIERS:
        raise NarrativesError(f"unknown classifier {name!r} (known: {', '.join(sorted(CLASSIFIERS))})")
    return FramingClassifier.load(CLASSIFIERS[name])
