"""How big a narrative must be, and how similar its texts, chosen from the corpus itself.

`choose_sizes` picks HDBSCAN's `min_cluster_size` and the assignment threshold from the corpus size and
density (see its docstring); `SizeChoice` records what was chosen and from what, and is stored with
each run; `describe_sizes` says it in one line for `narratives run`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

MIN_NARRATIVE = 10
"""The smallest narrative a run must be able to find, in texts of the corpus (a campaign of 10-30 posts in a week)."""
CORE_SHARE = 0.8
"""HDBSCAN keeps the dense core of a group and calls its fringe noise (the centroid rule takes the fringe
back): a narrative of MIN_NARRATIVE texts can only be asked for a cluster of about this share of them.
On eval/downballot_2024.jsonl (use-m3) a smallest narrative of 10 sample texts gave ARI 0.634, of 8: 0.646."""
MAX_NEIGHBOUR_SHARE = 0.5
"""A text that is threshold-similar to more than half the corpus is similar to everything, not to a
narrative: when the typical text is, the threshold sits under the corpus's background similarity (one
dense topic, or a model whose scale the card did not foresee) and is raised to it."""
DENSITY_WEIGHT = 0.62  # exponent of the density bound in the cluster size (see `choose_sizes`)
DENSITY_PROBES = 1_000  # sample texts whose neighbourhoods measure the corpus density
ROOM = 10
"""The sample must have room for this many narratives of the chosen size: on a tiny, dense corpus (a few dozen
texts on one topic) the density bound alone asks for a third of the corpus per cluster, and HDBSCAN then
calls everything noise."""


@dataclass(frozen=True)
class SizeChoice:
    """What `choose_sizes` chose, and the corpus figures it chose from (stored with each run)."""

    n_texts: int  # texts of the corpus
    n_sample: int  # texts the clustering is fit on
    base_threshold: float  # the model card's assignment threshold
    threshold: float  # the assignment threshold used
    neighbours: float  # median number of sample texts at least `threshold`-similar to a sample text
    density: float  # neighbours / n_sample
    smallest: float  # the smallest narrative to find (MIN_NARRATIVE texts), in sample texts
    min_cluster_size: int
    given: tuple[str, ...] = ()  # the sizes the caller set (not chosen)

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else list(v) if isinstance(v, tuple) else v)
                for k, v in asdict(self).items()}


def describe_sizes(chosen: dict, min_samples: int | None = None) -> str:
    """One line saying what `choose_sizes` chose and why, from `SizeChoice.as_dict()` (as a run stores it)."""
    given = set(chosen.get("given", []))
    why = (f"{chosen['n_texts']:,} texts, clustered on {chosen['n_sample']:,}; a typical text has "
           f"{chosen['neighbours']:g} neighbours ({chosen['density']:.1%} of the sample), the smallest narrative "
           f"to find is {chosen['smallest']:g} sample texts")
    size = f"min_cluster_size {chosen['min_cluster_size']}" + (" (given)" if "min_cluster_size" in given else "")
    if "threshold" in given:
        cut = f"threshold {chosen['threshold']:g} (given)"
    elif chosen["threshold"] > chosen["base_threshold"]:
        cut = f"threshold {chosen['threshold']:g} (raised from the model's {chosen['base_threshold']:g}: a dense corpus)"
    else:
        cut = f"threshold {chosen['threshold']:g} (the model's)"
    samples = f", min_samples {min_samples}" if min_samples is not None else ""
    return f"{size}{samples}, {cut}; chosen from {why}"


def _probe_similarities(Xs: np.ndarray, probes: int, seed: int, chunk: int = 250):
    """Blocks of cosine similarity between a seeded sample of rows (at most `probes`) and every row of `Xs`,
    each probe's own entry set to -inf (it is not its own neighbour)."""
    m = len(Xs)
    rows = np.arange(m) if m <= probes else np.sort(np.random.default_rng(seed).choice(m, probes, replace=False))
    for start in range(0, len(rows), chunk):
        sim = Xs[rows[start : start + chunk]] @ Xs.T
        sim[np.arange(len(sim)), rows[start : start + chunk]] = -np.inf
        yield sim


def neighbour_count(Xs: np.ndarray, threshold: float, probes: int = DENSITY_PROBES, seed: int = 0) -> float:
    """Median, over a seeded sample of rows of `Xs` (L2-normalised), of how many other rows are at least
    `threshold` similar to it: how many neighbours a typical text has."""
    return float(np.median(np.concatenate([(sim >= threshold).sum(axis=1) for sim in _probe_similarities(Xs, probes, seed)])))


def similarity_at_share(Xs: np.ndarray, share: float, probes: int = DENSITY_PROBES, seed: int = 0) -> float:
    """The similarity at which a typical row of `Xs` has `share` of the other rows as neighbours: the
    median over sampled rows of their ceil(share x (m - 1))-th largest similarity."""
    k = max(1, math.ceil(share * (len(Xs) - 1)))
    kth = [np.partition(sim, -k, axis=1)[:, -k] for sim in _probe_similarities(Xs, probes, seed)]
    return float(np.median(np.concatenate(kth)))


def choose_sizes(Xs: np.ndarray, n_texts: int, base_threshold: float, *, seed: int = 0,
                 min_cluster_size: int | None = None, threshold: float | None = None) -> SizeChoice:
    """The assignment threshold and HDBSCAN's `min_cluster_size` for the sample `Xs` (L2-normalised rows)
    of a corpus of `n_texts` texts; a value the caller gives is kept.

    Density is the median number of sample texts a sample text is at least threshold-similar to: the
    neighbours it has whatever narrative it is in. Two demands bound the cluster size:
    - a narrative of `MIN_NARRATIVE` texts must still be findable: in the sample it holds
      s = CORE_SHARE x MIN_NARRATIVE x n_sample / n_texts texts that HDBSCAN can see as its core, an upper bound;
    - a group no larger than the neighbourhood every text has anyway (the density, d) is no narrative,
      a lower bound.
    On a sparse corpus (d <= s) both hold at s; on a dense one they conflict, and the size is the weighted
    geometric mean s^0.38 x d^0.62 (a little nearer the density bound on a log scale), within [5, 50] and
    at most n_sample / ROOM:
    at the plain geometric mean the synthetic demo (templated, dense) broke its planted narratives into
    fragments (ARI 0.81 at size 30 against 0.84 at 41, discover + merge on use-m3); the weight is the one
    that gives the demo the size it had before. A bigger corpus has more
    neighbours at the same density, so the size grows with it, but only as fast as its density says.
    Threshold: the model card's (`base_threshold`), raised where the typical text is threshold-similar to
    more than `MAX_NEIGHBOUR_SHARE` of the corpus (one dense topic) to the similarity at which it is not.
    On the labeled sets and the IRA windows the typical pair of texts is far less similar (0.08-0.15)
    than the cards' thresholds (0.375-0.45), so the cards' thresholds stand there.
    """
    m = len(Xs)
    given = tuple(name for name, v in (("threshold", threshold), ("min_cluster_size", min_cluster_size)) if v is not None)
    chosen = base_threshold if threshold is None else threshold
    if m >= 2:
        if threshold is None:
            chosen = max(base_threshold, round(similarity_at_share(Xs, MAX_NEIGHBOUR_SHARE, seed=seed), 4))
        neighbours = neighbour_count(Xs, chosen, seed=seed)
    else:
        neighbours = 0.0
    smallest = CORE_SHARE * MIN_NARRATIVE * m / max(n_texts, 1)
    size = min_cluster_size or int(max(5, min(50, m // ROOM, round(smallest ** (1 - DENSITY_WEIGHT)
                                                                   * max(neighbours, smallest) ** DENSITY_WEIGHT))))
    return SizeChoice(int(n_texts), int(m), float(base_threshold), float(chosen), neighbours,
                      neighbours / max(m - 1, 1), float(smallest), int(size), given)
