"""Coordination parameters: one `NetworkConfig` per co-action network inside one `CoordinationConfig`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import ParameterError

NETWORKS = ("co_post", "co_repost", "co_hashtag", "co_link")
COMMUNITIES = ("components", "leiden")


@dataclass(frozen=True)
class NetworkConfig:
    """How one network links accounts and which of its edges count.

    window_s: most seconds between two accounts' posts of the same object (inclusive).
    min_weight: least number of distinct objects two accounts co-acted on for their edge to count.
    weight_percentile: also drop edges whose weight is below this percentile (0-100) of the network's
        edge weights, as CooRTweet does; 0 keeps all.
    min_participation: least number of co-actions (distinct objects, over kept edges) an account needs.
    min_accounts: least distinct accounts linked on one object for its co-actions to count (a burst, not
        two strangers who happen to write the same phrase).
    enabled: whether to build this network at all.
    """

    window_s: float = 60.0
    min_weight: int = 1
    weight_percentile: float = 0.0
    min_participation: int = 1
    min_accounts: int = 2
    enabled: bool = True


@dataclass(frozen=True)
class CoordinationConfig:
    """Every coordination parameter, with the defaults a run uses; stored with the run.

    The four networks have their own window and thresholds. Three or more accounts pasting the same
    text within 30 minutes is evidence at weight 1 (two strangers writing the same short phrase is
    chance, so co_post needs `min_accounts=3` on one text); co-reposts, shared hashtag sequences and
    links are ordinary one at a time, so those networks need two co-actions by the same pair of
    accounts within a minute.

    jaccard: least estimated Jaccard similarity of two texts' shingle sets for co_post.
    shingle: characters per shingle. num_perm: MinHash permutations; bands: LSH bands (num_perm must
        be a multiple of bands; more bands find less similar pairs as candidates).
    min_hashtags: least hashtags a post needs to enter co_hashtag.
    min_group_accounts: least accounts a group needs.
    community: "components" (connected components) or "leiden" (needs the `leidenalg` package).
    max_links: most earlier posts of the same object one post is linked to (bounds the cost of huge bursts).
    seed: MinHash and Leiden seed.
    """

    co_post: NetworkConfig = field(default_factory=lambda: NetworkConfig(window_s=1800, min_weight=1,
                                                                                   min_accounts=3))
    co_repost: NetworkConfig = field(default_factory=lambda: NetworkConfig(window_s=60, min_weight=2))
    co_hashtag: NetworkConfig = field(default_factory=lambda: NetworkConfig(window_s=60, min_weight=2))
    co_link: NetworkConfig = field(default_factory=lambda: NetworkConfig(window_s=60, min_weight=2))
    jaccard: float = 0.7
    shingle: int = 5
    num_perm: int = 64
    bands: int = 16
    min_hashtags: int = 2
    min_group_accounts: int = 3
    community: str = "components"
    max_links: int = 100
    seed: int = 0

    def __post_init__(self) -> None:
        """Check every value; a bad one raises ParameterError naming it (e.g. `coordination.jaccard`)."""
        for name in NETWORKS:
            net = getattr(self, name)
            if isinstance(net, dict):  # from a stored run's JSON
                object.__setattr__(self, name, NetworkConfig(**net))
                net = getattr(self, name)
            for key, ok, problem in (("window_s", net.window_s >= 0, "must be >= 0"),
                                     ("min_weight", net.min_weight >= 1, "must be at least 1"),
                                     ("min_participation", net.min_participation >= 1, "must be at least 1"),
                                     ("min_accounts", net.min_accounts >= 2, "must be at least 2"),
                                     ("weight_percentile", 0 <= net.weight_percentile <= 100, "must be in [0, 100]")):
                if not ok:
                    raise ParameterError(f"coordination.{name}.{key}", problem, getattr(net, key))
        for key, ok, problem in (
                ("jaccard", 0 < self.jaccard <= 1, "must be in (0, 1]"),
                ("shingle", self.shingle >= 1, "must be at least 1"),
                ("bands", self.bands >= 1, "must be at least 1"),
                ("num_perm", self.num_perm >= 1 and self.num_perm % max(self.bands, 1) == 0,
                 f"must be a positive multiple of bands ({self.bands})"),
                ("community", self.community in COMMUNITIES, f"must be one of {', '.join(COMMUNITIES)}"),
                ("min_group_accounts", self.min_group_accounts >= 2, "must be at least 2"),
                ("max_links", self.max_links >= 1, "must be at least 1"),
                ("min_hashtags", self.min_hashtags >= 1, "must be at least 1")):
            if not ok:
                raise ParameterError(f"coordination.{key}", problem, getattr(self, key))

    def to_dict(self) -> dict:
        """Plain JSON-ready values (what a run stores in its params)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> CoordinationConfig:
        return cls(**values)

    def with_overrides(self, overrides: Iterable[str] | dict[str, object]) -> CoordinationConfig:
        """A copy with `name=value` settings applied, e.g. "jaccard=0.8", "co_post.window_s=600",
        "co_link.enabled=false". Unknown names and bad values raise ParameterError naming the parameter."""
        items = overrides.items() if isinstance(overrides, dict) else (_split(o) for o in overrides)
        values = self.to_dict()
        for name, raw in items:
            head, _, leaf = name.partition(".")
            if head in NETWORKS and leaf:
                target, key = values[head], leaf
                kinds = {f.name: f.type for f in dataclasses.fields(NetworkConfig)}
            elif not leaf and head in values and head not in NETWORKS:
                target, key = values, head
                kinds = {f.name: f.type for f in dataclasses.fields(CoordinationConfig)}
            else:
                raise ParameterError(f"coordination.{name}", f"unknown setting (known: {', '.join(_known_names())})")
            if key not in kinds:
                raise ParameterError(f"coordination.{name}", f"unknown setting (known: {', '.join(_known_names())})")
            target[key] = _coerce(name, raw, target[key])
        return CoordinationConfig.from_dict(values)


def _split(item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise ParameterError("coordination", "expected name=value, e.g. co_post.window_s=600", item)
    return name.strip(), value.strip()


def _known_names() -> list[str]:
    top = [f.name for f in dataclasses.fields(CoordinationConfig) if f.name not in NETWORKS]
    nested = [f"{n}.{f.name}" for n in NETWORKS for f in dataclasses.fields(NetworkConfig)]
    return top + nested


def _coerce(name: str, raw: object, current: object) -> object:
    if not isinstance(raw, str):
        return raw
    try:
        if isinstance(current, bool):
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(raw)
            return raw.lower() in ("true", "1", "yes")
        if isinstance(current, int):
            return int(raw)
        if isinstance(current, float):
            return float(raw)
    except ValueError:
        raise ParameterError(f"coordination.{name}", f"expected a {type(current).__name__}", raw) from None
    return raw
