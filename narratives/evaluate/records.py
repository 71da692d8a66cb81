"""What an evaluation produces: per-post predictions, one run read back, and the whole evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..series import BurstRule

NONE = "none"
OURS = "ours"
DEFAULT_SEED = 0

@dataclass
class PostPrediction:
    """What one run said about one post (a line of predictions.jsonl)."""

    id: str
    narrative: str | None
    narrative_label: str | None
    taxonomy_id: str | None
    targets: list[str]
    stance: dict[str, str]
    coordinated: bool | None

    def as_line(self) -> dict[str, Any]:
        return {"id": self.id, "narrative": self.narrative, "narrative_label": self.narrative_label,
                "taxonomy_id": self.taxonomy_id, "targets": self.targets, "stance": self.stance,
                "coordinated": self.coordinated}


@dataclass
class RunOutput:
    """A pipeline run on one set, read back from its store; lists are aligned with the set's posts."""

    run_id: str
    model: str
    device: str
    predictions: list[PostPrediction]
    burst_weeks: dict[str, set[str]]
    burst_rule: BurstRule
    stage_seconds: dict[str, float]
    texts: list[str]
    embeddings: np.ndarray
    embed_texts_per_s: float | None = None  # unique texts embedded per second of the embed stage
    account_pairs: set[tuple[str, str]] = field(default_factory=set)  # (a, b), a < b: accounts the run linked
    gold_pair_stance: list[dict[str, str]] = field(default_factory=list)  # see harness.gold_pair_stances


@dataclass
class Evaluation:
    """metrics.json as a dict (set -> model -> {...}) and where the outputs were written."""

    metrics: dict[str, dict[str, dict[str, Any]]]
    out_dir: Path
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)
