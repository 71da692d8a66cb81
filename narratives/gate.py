"""Gate stage: a narrative whose taxonomy entry names a framing classifier keeps only the posts that carry it.

Embedding similarity matches a cluster to the `antisemitic_tropes` entry because its posts are about
Jews or Israel, not because they are antisemitic. After the label stage, each cluster matched to an
entry with a `classifier` (prompts/narratives.yaml) is split by that classifier (narratives.framing):
its texts that pass stay in the narrative with the taxonomy id; the others form a sibling narrative,
new, unnamed (keyword label, no taxonomy id). A cluster with fewer than `min_positive` passing texts
loses the taxonomy id altogether. Pure: arrays and labels in, arrays and labels out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from .discover import l2_normalise
from .framing import FramingClassifier, load_classifier
from .label import ClusterLabel, representatives
from .taxonomy import Taxonomy
from .track import NEW, Anchored, LineageLink, format_id

MIN_POSITIVE = 1


def _unnamed(lab: ClusterLabel, cluster: int, example_rows: Sequence[int]) -> ClusterLabel:
    return ClusterLabel(", ".join(lab.keywords[:3]) or f"cluster {cluster}", None, lab.taxonomy_score, lab.keywords,
                        tuple(example_rows))


def gate_clusters(clusters: Anchored, labels: list[ClusterLabel], texts: Sequence[str], X: np.ndarray,
                  taxonomy: Taxonomy, first_number: int, *, min_positive: int = MIN_POSITIVE,
                  load: Callable[[str], FramingClassifier] = load_classifier) -> tuple[Anchored, list[ClusterLabel]]:
    """Split every cluster whose taxonomy entry declares a classifier into passing and other texts.

    `texts`/`X` are the unique texts and their vectors (rows of `clusters.labels_`); new sibling
    narratives take ids `first_number`, `first_number + 1`, ... in cluster order. Returns the new
    clusters (siblings appended after the existing ones) and one label per cluster.
    """
    gated = {e.id: e.classifier for e in taxonomy.entries if e.classifier}
    if not gated or not any(lab.taxonomy_id in gated for lab in labels):
        return clusters, labels
    models: dict[str, FramingClassifier] = {}
    cluster_of = clusters.labels_.copy()
    scores = clusters.scores_.copy()
    centroids = [c for c in np.asarray(clusters.centroids_, dtype=np.float32)]
    ids, status, lineage = list(clusters.ids), list(clusters.status), list(clusters.lineage)
    out = list(labels)
    split: list[tuple[int, int]] = []  # (parent, sibling)
    for k, lab in enumerate(labels):
        name = gated.get(lab.taxonomy_id)
        if name is None:
            continue
        rows = np.flatnonzero(cluster_of == k)
        if not len(rows):
            continue
        model = models.setdefault(name, load(name))
        passed = np.asarray(model.predict([texts[r] for r in rows]), dtype=bool)
        if passed.all():
            continue
        if passed.sum() < min_positive:  # too few posts carry the framing: the cluster does not earn the name
            out[k] = _unnamed(lab, k, lab.example_rows)
            continue
        sibling = len(ids)
        ids.append(format_id(first_number + len(split)))
        status.append(NEW)
        lineage.append(LineageLink(ids[sibling], None, None, NEW, None))
        cluster_of[rows[~passed]] = sibling
        for c, members in ((k, rows[passed]), (sibling, rows[~passed])):
            centroid = l2_normalise(X[members].mean(axis=0, keepdims=True), np.float64)[0].astype(np.float32)
            if c < len(centroids):
                centroids[c] = centroid
            else:
                centroids.append(centroid)
            scores[members] = X[members] @ centroid
        out.append(_unnamed(lab, sibling, ()))
        split.append((k, sibling))
    if not split:
        return replace(clusters, labels_=cluster_of), out
    result = Anchored(cluster_of, scores.astype(np.float32), np.vstack(centroids).astype(np.float32), ids, status,
                      lineage, list(clusters.source) + [-1] * (len(ids) - len(clusters.source)), clusters.joined)
    for parent, sibling in split:
        for c in (parent, sibling):
            out[c] = replace(out[c], example_rows=tuple(representatives(X, cluster_of, result.scores_, c)))
    return result, out
