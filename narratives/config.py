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

from .coordination import CoordinationConfig
from .engine import ENGINES
from .errors import ParameterError
from .modelcards import DEFAULT_MODEL
from .series import BurstRule


@dataclass
class EmbedConfig:
    """Which sentence embedder, and where it runs."""

    model: str = DEFAULT_MODEL  # model card id (models/*.yaml or ~/.config/narratives/models)
    model_path: str | None = None  # a local sentence-transformers folder instead of a card
    device: str = "auto"  # auto | cpu | cuda | mps (auto: cuda, then mps, then cpu)


@dataclass
class DiscoveryConfig:
    """Clustering (see `narratives.discover.NarrativeDiscoverer`)."""

    sample_size: int = 50_000  # most unique texts the clustering is fit on; the rest are assigned
    min_cluster_size: int | None = None  # HDBSCAN min_cluster_size; None: chosen from corpus size and density
    min_samples: int | None = None  # HDBSCAN min_samples; None: a quarter of min_cluster_size (at least 2)
    threshold: float | None = None  # cosine similarity a text needs to join a narrative; None: the model card's, raised on a dense corpus
    n_neighbors: int = 15  # UMAP neighbours
    n_components: int = 5  # UMAP dimensions
    reassign_noise: bool = True  # give HDBSCAN noise to the nearest centroid above `threshold`


@dataclass
class LabelConfig:
    """Naming narratives: taxonomy match, optional LLM names."""

    taxonomy: str | None = None  # taxonomy YAML; None: the packaged one
    taxonomy_threshold: float | None = None  # cosine similarity to name a narrative after a taxonomy entry; None: the card's
    llm: bool = False  # name narratives with the LLM at NARRATIVES_LLM_URL


@dataclass
class TargetsConfig:
    """Who posts are aimed at."""

    candidates: str | None = None  # candidate registry YAML; None: the packaged one


@dataclass
class TrackingConfig:
    """Identity across runs, and the burst rule of the weekly series."""

    match_threshold: float | None = None  # centroid cosine similarity that keeps an id across runs; None: the card's
    burst: BurstRule = field(default_factory=BurstRule)  # posts >= max(min_count, k x median of `window` weeks)


@dataclass
class MergeConfig:
    """Joining the clusters of one claim into one narrative family (see `narratives.merge.NarrativeMerger`)."""

    enabled: bool = True  # False: every cluster is its own narrative


@dataclass
class EngineConfig:
    """Where the heavy per-text work runs (see `narratives.engine`); the narratives found do not depend on it."""

    name: str = "local"  # local | ray (embedding, linking and stance on a Ray cluster; needs narratives[ray])
    ray_address: str | None = None  # Ray cluster to join ("auto", "ray://head:10001"); None: a local one
    partition_dir: str | None = None  # where Parquet partitions go (shared storage on a multi-node cluster); None: temp
    partition_rows: int = 50_000  # most rows per Parquet partition (fewer when that gives every actor one)
    actors: int | None = None  # embedding actors; None: one per GPU (cuda) or cluster CPUs / actor_cpus
    actor_cpus: int | None = None  # CPUs (threads) per embedding actor; None: as many as the local embedder uses
    gpus_per_actor: float = 1.0  # GPUs per embedding actor when the device is cuda (0.5: two actors per GPU)


@dataclass
class RunConfig:
    """Everything that decides what a run finds (same data + config = same narratives and ids)."""

    seed: int = 0
    embed: EmbedConfig = field(default_factory=EmbedConfig)
    discovery: DiscoveryConfig = field(default_factory=DiscoveryConfig)
    merge: MergeConfig = field(default_factory=MergeConfig)
    label: LabelConfig = field(default_factory=LabelConfig)
    targets: TargetsConfig = field(default_factory=TargetsConfig)
    tracking: TrackingConfig = field(default_factory=TrackingConfig)
    coordination: CoordinationConfig = field(default_factory=CoordinationConfig)  # narratives.coordination: the
    # account networks (co_post, co_repost, co_hashtag, co_link), each with its window and thresholds
    engine: EngineConfig = field(default_factory=EngineConfig)  # local or ray; same narratives either way

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (paths as strings)."""
        return _plain(asdict(self))

    def validate(self) -> RunConfig:
        """Raise `ParameterError` naming the first field whose value the run cannot use; return self."""
        checks = [
            ("seed", self.seed, isinstance(self.seed, int) and self.seed >= 0, "must be an integer >= 0"),
            ("discovery.sample_size", self.discovery.sample_size, self.discovery.sample_size >= 2, "must be at least 2"),
            ("discovery.min_cluster_size", self.discovery.min_cluster_size,
             self.discovery.min_cluster_size is None or self.discovery.min_cluster_size >= 2, "must be at least 2"),
            ("discovery.min_samples", self.discovery.min_samples,
             self.discovery.min_samples is None or self.discovery.min_samples >= 1, "must be at least 1"),
            ("discovery.threshold", self.discovery.threshold, _cosine(self.discovery.threshold),
             "a cosine similarity, between -1 and 1"),
            ("label.taxonomy_threshold", self.label.taxonomy_threshold, _cosine(self.label.taxonomy_threshold),
             "a cosine similarity, between -1 and 1"),
            ("tracking.match_threshold", self.tracking.match_threshold, _cosine(self.tracking.match_threshold),
             "a cosine similarity, between -1 and 1"),
            ("tracking.burst.k", self.tracking.burst.k, self.tracking.burst.k > 0, "must be above 0"),
            ("tracking.burst.window", self.tracking.burst.window, self.tracking.burst.window >= 1, "must be at least 1"),
            ("tracking.burst.min_count", self.tracking.burst.min_count, self.tracking.burst.min_count >= 1,
             "must be at least 1"),
            ("engine.name", self.engine.name, self.engine.name in ENGINES, f"must be one of {', '.join(ENGINES)}"),
            ("engine.partition_rows", self.engine.partition_rows, self.engine.partition_rows >= 1, "must be at least 1"),
            ("engine.actors", self.engine.actors, self.engine.actors is None or self.engine.actors >= 1,
             "must be at least 1"),
            ("engine.actor_cpus", self.engine.actor_cpus, self.engine.actor_cpus is None or self.engine.actor_cpus >= 1,
             "must be at least 1"),
            ("engine.gpus_per_actor", self.engine.gpus_per_actor, 0 < self.engine.gpus_per_actor <= 1,
             "must be above 0 and at most 1"),
        ]
        for name, value, ok, problem in checks:
            if not ok:
                raise ParameterError(name, problem, value)
        return self

    def with_options(self, **options: Any) -> RunConfig:
        """A copy with settings given by their short names (`sample_size=1000`, `model="minilm"`, `burst_k=2`),
        the names `run_pipeline` has always taken; see `OPTIONS` for where each lands."""
        data = self.to_dict()
        for name, value in options.items():
            if name not in OPTIONS:
                raise ParameterError(name, f"unknown option (known: {', '.join(sorted(OPTIONS))})")
            *path, last = OPTIONS[name].split(".")
            section = data
            for key in path:
                section = section[key]
            section[last] = str(value) if isinstance(value, Path) else _plain(asdict(value)) if is_dataclass(value) else value
        return RunConfig.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RunConfig:
        """The config `to_dict` wrote; missing keys take their defaults, unknown keys are an error."""
        return _build(cls, data or {}, "")


# Short option names (the keyword arguments of `run_pipeline` and the CLI's flags) -> RunConfig fields.
OPTIONS = {
    "seed": "seed",
    "model": "embed.model", "model_path": "embed.model_path", "device": "embed.device",
    "sample_size": "discovery.sample_size", "min_cluster_size": "discovery.min_cluster_size",
    "min_samples": "discovery.min_samples", "threshold": "discovery.threshold",
    "n_neighbors": "discovery.n_neighbors", "n_components": "discovery.n_components",
    "reassign_noise": "discovery.reassign_noise", "merge": "merge.enabled",
    "taxonomy": "label.taxonomy", "taxonomy_threshold": "label.taxonomy_threshold", "llm": "label.llm",
    "candidates": "targets.candidates",
    "match_threshold": "tracking.match_threshold", "burst_k": "tracking.burst.k",
    "burst_window": "tracking.burst.window", "burst_min_count": "tracking.burst.min_count",
    "engine": "engine.name", "ray_address": "engine.ray_address", "partition_dir": "engine.partition_dir",
    "coordination": "coordination",  # a CoordinationConfig (it checks its own values), or its to_dict()
}


def _cosine(value: float | None) -> bool:
    """None (the model card's threshold) or a cosine similarity."""
    return value is None or -1 <= value <= 1


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def _build(cls: type, data: dict[str, Any], prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ParameterError(prefix.rstrip(".") or "config", f"expected a mapping, got {type(data).__name__}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ParameterError(prefix + unknown[0], f"unknown setting (known: {', '.join(sorted(known))})")
    values = {}
    for name, value in data.items():
        default = getattr(cls(), name)
        values[name] = _build(type(default), value, f"{prefix}{name}.") if is_dataclass(default) else value
    return cls(**values)

