"""`RunConfig`: every knob of a run, in one dataclass with one small section per stage.

The CLI builds it from its flags, `narratives.run` takes it, and the run stores it (the runs table's
`params` column) so a report can say exactly how its narratives were found. Defaults come from the
stage modules that own them, so there is one source of truth for each.

To add a knob: add a field with a default and a one-line comment to the section of the stage that
reads it (or a new section dataclass, plus one field on `RunConfig`), then pass it on in `pipeline.py`.
`from_dict` accepts what `to_dict` wrote, so stored configs stay readable as sections grow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from .coordination import DEFAULT_MIN_COSINE, DEFAULT_WINDOW
from .discover import DEFAULT_THRESHOLD
from .errors import NarrativesError
from .label import TAXONOMY_THRESHOLD
from .series import BurstRule
from .track import MATCH_THRESHOLD


class ConfigValueError(NarrativesError, ValueError):
    """A RunConfig field has a value the run cannot use; `parameter` names the field (e.g. `discovery.sample_size`)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


@dataclass
class EmbedConfig:
    """Which sentence embedder, and where it runs."""

    model: str = "minilm"  # model card id (models/*.yaml or ~/.config/narratives/models)
    model_path: str | None = None  # a local sentence-transformers folder instead of a card
    device: str = "auto"  # auto | cpu | cuda | mps (auto: cuda, then mps, then cpu)


@dataclass
class DiscoveryConfig:
    """Clustering (see `narratives.discover.NarrativeDiscoverer`)."""

    sample_size: int = 50_000  # most unique texts the clustering is fit on; the rest are assigned
    min_cluster_size: int | None = None  # HDBSCAN min_cluster_size; None: grows with the sample
    min_samples: int | None = None  # HDBSCAN min_samples; None: a quarter of min_cluster_size (at least 2)
    threshold: float = DEFAULT_THRESHOLD  # cosine similarity a text needs to join a narrative
    n_neighbors: int = 15  # UMAP neighbours
    n_components: int = 5  # UMAP dimensions
    reassign_noise: bool = True  # give HDBSCAN noise to the nearest centroid above `threshold`


@dataclass
class LabelConfig:
    """Naming narratives: taxonomy match, optional LLM names."""

    taxonomy: str | None = None  # taxonomy YAML; None: the packaged one
    taxonomy_threshold: float = TAXONOMY_THRESHOLD  # cosine similarity to name a narrative with a taxonomy entry
    llm: bool = False  # name narratives with the LLM at NARRATIVES_LLM_URL


@dataclass
class TargetsConfig:
    """Who posts are aimed at."""

    candidates: str | None = None  # candidate registry YAML; None: the packaged one


@dataclass
class TrackingConfig:
    """Identity across runs, and the burst rule of the weekly series."""

    match_threshold: float = MATCH_THRESHOLD  # centroid cosine similarity that keeps an id across runs
    burst: BurstRule = field(default_factory=BurstRule)  # posts >= max(min_count, k x median of `window` weeks)


@dataclass
class CoordinationConfig:
    """Near-duplicate posts by different accounts within a short window."""

    window_seconds: float = DEFAULT_WINDOW.total_seconds()  # most seconds between two linked posts
    min_cosine: float = DEFAULT_MIN_COSINE  # embedding similarity that counts as a near duplicate


@dataclass
class RunConfig:
    """Everything that decides what a run finds (same data + config = same narratives and ids)."""

    seed: int = 0
    embed: EmbedConfig = field(default_factory=EmbedConfig)
    discovery: DiscoveryConfig = field(default_factory=DiscoveryConfig)
    label: LabelConfig = field(default_factory=LabelConfig)
    targets: TargetsConfig = field(default_factory=TargetsConfig)
    tracking: TrackingConfig = field(default_factory=TrackingConfig)
    coordination: CoordinationConfig = field(default_factory=CoordinationConfig)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (paths as strings)."""
        return _plain(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RunConfig:
        """The config `to_dict` wrote; missing keys take their defaults, unknown keys are an error."""
        return _build(cls, data or {}, "")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def _build(cls: type, data: dict[str, Any], prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigValueError(prefix.rstrip(".") or "config", f"expected a mapping, got {type(data).__name__}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigValueError(prefix + unknown[0], f"unknown setting (known: {', '.join(sorted(known))})")
    values = {}
    for name, value in data.items():
        default = getattr(cls(), name)
        values[name] = _build(type(default), value, f"{prefix}{name}.") if is_dataclass(default) else value
    return cls(**values)
