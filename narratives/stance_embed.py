"""An embedding head for stance: the run's own sentence vectors, blended with the text model.

The text model (`narratives.stance.StanceModel`) reads masked n-grams and VADER around the mention.
A sentence encoder sees more of the post at once (irony, register, the claim it makes), so where
the run embedded the post with the card a head was trained for, stance is the product of both
models' probabilities:

    p(stance) ∝ p_text(stance) * p_head(stance) ** weight

The head is a multinomial logistic regression over the standardised post vector. It reads the
vectors the embed stage already computed (it never embeds anything itself), and a run with another
card, or a post without a vector, gets the text model alone: the head is keyed by the card id
(`HEADS`), and vectors of another dimension are refused. `benchmarks/train_stance.py` trains it on
P-Stance train plus the demo corpus (the same pairs as the text model), selects `weight` by
leave-one-target-out and validation on P-Stance, and writes the JSON byte-identically on a rerun.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .util import class_probabilities, read_weights

FORMAT = "narratives-stance-embedding-head/1"
_PACKAGE = Path(__file__).resolve().parent
HEADS = {"use-m3": _PACKAGE / "stance_head_use-m3.json"}
"""Embedding cards that have a shipped stance head, and where its weights live."""


def _sig(values, digits: int = 4) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return np.array([float(f"{v:.{digits}g}") for v in values.ravel()]).reshape(values.shape)


class EmbeddingStanceHead:
    """Logistic regression over a post's sentence embedding (scikit-learn estimator style).

    `fit(E, y)` sets `classes_`, `mean_`, `scale_`, `coef_` and `intercept_` (rounded to 4
    significant digits, so the fitted head and the saved one score identically). `weight` is the
    exponent of the head's probabilities in the blend with the text model (`blend`).
    """

    def __init__(self, embedding_model: str = "use-m3", C: float = 0.05, weight: float = 1.0,
                 class_weight: str | None = "balanced", max_iter: int = 300, tol: float = 1e-3):
        self.embedding_model = embedding_model
        self.C = C
        self.weight = weight
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tol = tol

    def get_params(self) -> dict:
        return {"embedding_model": self.embedding_model, "C": self.C, "weight": self.weight,
                "class_weight": self.class_weight, "max_iter": self.max_iter, "tol": self.tol}

    def fit(self, E: np.ndarray, y, sample_weight=None) -> EmbeddingStanceHead:
        from sklearn.linear_model import LogisticRegression

        E = np.asarray(E, dtype=np.float64)
        self.mean_ = _sig(E.mean(axis=0))
        scale = E.std(axis=0)
        scale[scale < 1e-9] = 1.0
        self.scale_ = _sig(scale)
        clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, tol=self.tol)
        clf.fit((E - self.mean_) / self.scale_, np.asarray(y),
                sample_weight=None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64))
        self.classes_ = np.array([str(c) for c in clf.classes_])
        self.coef_, self.intercept_ = _sig(clf.coef_), _sig(clf.intercept_)
        return self

    @property
    def dimension(self) -> int:
        return int(self.mean_.shape[0])

    def predict_proba(self, E: np.ndarray) -> np.ndarray:
        E = np.asarray(E, dtype=np.float64)
        if E.ndim != 2 or E.shape[1] != self.dimension:
            raise ValueError(f"embeddings must have {self.dimension} columns ({self.embedding_model}), "
                             f"got shape {E.shape}")
        z = ((E - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_
        return class_probabilities(z)

    # ---------------------------------------------------------------- persistence
    def save(self, path: str | Path, **metadata) -> None:
        data = {"format": FORMAT, "params": self.get_params(), "classes": self.classes_.tolist(),
                "mean": self.mean_.tolist(), "scale": self.scale_.tolist(), "intercept": self.intercept_.tolist(),
                "coef": [row.tolist() for row in self.coef_], "metadata": metadata}
        Path(path).write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> EmbeddingStanceHead:
        data = read_weights(path, FORMAT, "stance embedding head", "python benchmarks/train_stance.py")
        head = cls(**data["params"])
        head.classes_ = np.array(data["classes"])
        head.mean_, head.scale_ = np.array(data["mean"]), np.array(data["scale"])
        head.coef_, head.intercept_ = np.array(data["coef"]), np.array(data["intercept"])
        head.metadata_ = data.get("metadata", {})
        return head


@lru_cache(maxsize=4)
def load_head(embedding_model: str | None) -> EmbeddingStanceHead | None:
    """The shipped head for an embedding card, or None when the card has none (the text model alone)."""
    path = HEADS.get(embedding_model or "")
    return None if path is None else EmbeddingStanceHead.load(path)


def blend(p_text: np.ndarray, p_head: np.ndarray, weight: float) -> np.ndarray:
    """Normalised p_text * p_head ** weight (rows: items; columns: the same classes in both)."""
    z = np.log(np.clip(p_text, 1e-12, 1.0)) + weight * np.log(np.clip(p_head, 1e-12, 1.0))
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
