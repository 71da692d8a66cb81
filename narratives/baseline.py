"""BERTopic with default settings on our own embeddings: the familiar baseline beside every figure.

A reader judges a narrative map against what they know; BERTopic is what most of them know. It
runs on the very vectors our pipeline embedded (no second model, nothing downloaded: with
`embedding_model=None` and precomputed embeddings BERTopic never selects a backend). The only
departure from its defaults is `random_state` on its UMAP (otherwise its own defaults:
n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine"), because an unseeded UMAP gives
different topics on every run and a baseline that moves cannot be compared with.
BERTopic is an optional extra (`pip install 'narratives[baselines]'`).
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass

import numpy as np

BASELINE = "bertopic"


@dataclass(frozen=True)
class BaselineResult:
    """Topic per post (None: BERTopic's outlier topic -1), or why there are none; seconds it took."""

    name: str
    topics: list[int | None] | None
    seconds: float
    error: str | None = None


def bertopic_available() -> bool:
    """Whether the optional BERTopic extra is installed."""
    return importlib.util.find_spec("bertopic") is not None


def run_bertopic(texts: list[str], embeddings: np.ndarray, seed: int = 0) -> BaselineResult:
    """Fit BERTopic (defaults, seeded UMAP) on `texts` with their precomputed `embeddings`."""
    if not bertopic_available():
        return BaselineResult(BASELINE, None, 0.0, "not installed (pip install 'narratives[baselines]')")
    from bertopic import BERTopic
    from umap import UMAP

    start = time.perf_counter()
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(embedding_model=None, umap_model=umap_model)
    try:
        topics, _ = model.fit_transform(texts, embeddings=np.asarray(embeddings, dtype=np.float32))
    except (ValueError, TypeError, IndexError) as exc:  # too few posts for UMAP/HDBSCAN, degenerate input
        return BaselineResult(BASELINE, None, time.perf_counter() - start, f"failed: {exc}")
    return BaselineResult(BASELINE, [None if t == -1 else int(t) for t in topics], time.perf_counter() - start)
