"""The main job, in data-flow order: select posts → embed → discover → track (stable ids) → label →
coordinate → targets → store → track (weekly series, bursts).

This is the only module that knows the order of the stages. Each step is one call on plain values
(arrays, data frames, dataclasses); the store is touched only to read the window, use the
embedding cache and write the finished run in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .config import RunConfig
from .coordination import CoordinationResult, detect_coordination
from .discover import OUTLIER, NarrativeDiscoverer
from .embed import Embedder, embed_cached
from .engine import make_engine
from .errors import NarrativesError, ParameterError
from .label import ClusterLabel, class_keywords, label_clusters
from .taxonomy import Taxonomy, load_taxonomy, taxonomy_vectors
from .languages import coverage_warning, script_language
from .merge import NarrativeMerger, SubNarratives, sub_narratives
from .modelcards import card_for_path, load_card
from .text import normalize_text, text_hash
from .gate import gate_clusters
from .series import BurstRule, compute_weekly
from .track import (MATCH_THRESHOLD, Anchored, PreviousNarrative, anchor_to_history, child_ids, joined_lineage,
                    name_narratives, next_number)
from .candidates import load_registry
from .targets import Linker, TargetsResult, find_targets


@dataclass
class Corpus:
    """The posts of the window and their unique texts (rows sorted by text hash, for determinism).

    `posts` has one row per post (platform, post_id, created_at, is_repost, text, text_hash) plus
    `row`: the index of its text in `hashes`/`texts`, or -1 when the text is empty after normalising.
    """

    posts: pd.DataFrame
    hashes: list[str]
    texts: list[str]
    weeks: np.ndarray


@dataclass
class RunResult:
    """What a run found; `narratives` and `assignments` hold exactly the rows written to the store."""

    run_id: str
    params: dict
    n_posts: int
    n_texts: int
    n_embedded: int
    outlier_share: float
    timings: dict[str, float]
    narratives: pd.DataFrame  # columns of the narratives table, largest first (families, then sub-narratives)
    assignments: pd.DataFrame  # platform, post_id, narrative_id (None = outlier), score, sub_id
    corpus: Corpus = field(repr=False)
    embeddings: np.ndarray = field(repr=False)  # rows of corpus.texts
    targets: TargetsResult | None = field(default=None, repr=False)  # mentions with stance, per-narrative summary
    coordination: CoordinationResult | None = field(default=None, repr=False)  # account networks and groups
    config: RunConfig | None = field(default=None, repr=False)  # the settings the run used (stored in params)
    report_paths: list[Path] = field(default_factory=list)  # files `narratives.run` wrote, if it wrote a report
    warnings: list[str] = field(default_factory=list)  # e.g. many posts in languages the model does not cover


def run_pipeline(
    store,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    config: RunConfig | None = None,
    *,
    progress: bool = True,
    **options,
) -> RunResult:
    """Find and name the narratives of the posts in [since, until) and record the run in the store.

    `config` holds every setting (default: `RunConfig()`); `options` override single settings by
    their short names (`sample_size=1000`, `model="minilm"`, see `narratives.config.OPTIONS`).
    A date `until` includes that whole day. Same store, config and seed give the same narratives,
    ids and assignments. The config is stored with the run (`params["config"]`).
    """
    config = (config or RunConfig()).with_options(**options).validate()
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    timer = _Timer()
    start, end = _window(since, until)
    emb, disc, lab, trk, crd = config.embed, config.discovery, config.label, config.tracking, config.coordination
    card = card_for_path(Path(emb.model_path)) if emb.model_path else load_card(emb.model)
    cut = card.thresholds  # cosine scales differ between models: a threshold left at None is the card's
    taxonomy_threshold = cut.taxonomy if lab.taxonomy_threshold is None else lab.taxonomy_threshold
    match_threshold = cut.match if trk.match_threshold is None else trk.match_threshold
    tax = load_taxonomy(lab.taxonomy)
    registry = load_registry(config.targets.candidates)  # a malformed registry fails before the expensive stages
    embedder = Embedder(card, emb.device)
    engine = make_engine(config.engine)  # local, or Ray Data stages for embedding, assignment, linking, stance
    discoverer = NarrativeDiscoverer(min_cluster_size=disc.min_cluster_size, min_samples=disc.min_samples,
                                     sample_size=disc.sample_size, threshold=disc.threshold, base_threshold=cut.discover,
                                     n_neighbors=disc.n_neighbors, n_components=disc.n_components,
                                     seed=config.seed, reassign_noise=disc.reassign_noise,
                                     cross_lingual=cut.cross_lingual)
    merger = NarrativeMerger(enabled=config.merge.enabled)

    with timer("select"):
        corpus = select_posts(store, start, end)
        warnings = [w for w in [coverage_warning(corpus.texts, card.id, card.languages)] if w]
    with timer("embed"), _progress(progress, len(corpus.hashes)) as advance:
        X, n_embedded = embed_cached(store, engine.embedder(embedder), corpus.hashes, corpus.texts, progress=advance)
    with timer("discover"):
        scripts = np.array([script_language(t) for t in corpus.texts], dtype=object)
        discoverer.fit_centroids(X, corpus.weeks, languages=scripts)  # on the sample, on the driver
        discoverer.set_assignment(*engine.assign(discoverer, X))  # every text to its nearest centroid (Ray: on actors)
    authors = store.post_authors(corpus.posts)
    with timer("merge"):  # one claim, one narrative: join the fragments of a campaign
        merger.fit(discoverer.centroids_, discoverer.labels_, corpus.texts,
                   class_keywords(corpus.texts, discoverer.labels_, len(discoverer.centroids_))
                   if merger.enabled else None,
                   corpus.posts["row"].to_numpy(), authors,
                   corpus.posts["created_at"].to_numpy().astype("datetime64[D]").astype(np.int64))
    with timer("track"):  # stable ids; texts an earlier run assigned keep their narrative
        clusters = anchor(store, corpus.hashes, X, discoverer, threshold=match_threshold, family=merger.family_)
        anchored = clusters
    with timer("label"):
        entry_vectors = taxonomy_vectors(tax, lambda texts: _embed_plain(store, embedder, texts))
        labels = label_clusters(corpus.texts, X, clusters.labels_, clusters.scores_, clusters.centroids_,
                                tax, entry_vectors, taxonomy_threshold)
        if lab.llm:
            labels = llm_relabel(labels, corpus, tax)
    with timer("gate"):  # an entry with a framing classifier keeps only the posts that carry the framing
        clusters, labels = gate_clusters(clusters, labels, corpus.texts, X, tax,
                                         first_number=next_number([*store.known_narrative_ids(), *clusters.ids]))
    with timer("label"):  # the sub-narratives: each family split back into the clusters it joined
        source = list(clusters.source) + [-1] * (len(clusters.ids) - len(clusters.source))
        children = sub_narratives(X, clusters.labels_, source, merger.family_, discoverer.centroids_)
        child_names = child_ids([clusters.ids[k] for k in children.parent], children.centroids_,
                                store.latest_child_centroids(), store.known_narrative_ids(),
                                threshold=match_threshold)
        clusters.lineage.extend(joined_lineage(anchored, child_names[0], [clusters.ids[k] for k in children.parent],
                                               children.centroids_))
        child_labels = label_clusters(corpus.texts, X, children.labels_, children.scores_, children.centroids_,
                                      tax, entry_vectors, taxonomy_threshold) if len(children.parent) else []
    with timer("coordinate"):
        coordinated = detect_coordination(store.coordination_input(start, end), crd)
    narratives, assignments = summarize_narratives(corpus, clusters, labels)
    narratives, assignments = name_narratives(narratives, assignments, clusters)
    with timer("targets"):  # who each post is aimed at, and for or against them
        targets = find_targets(corpus.posts, assignments, narratives, {e.id: e.stance for e in tax.entries}, X,
                               linker=engine.linker(Linker(registry), corpus.posts["text"].fillna("").tolist()),
                               stance_model=engine.stance_model(), embedding_model=card.id)
    narratives, assignments = add_children(corpus, narratives, assignments, children, child_labels, child_names)

    params = {
        "since": start.isoformat() if start else None, "until": end.isoformat() if end else None,
        "model": card.id, "model_name": card.name, "device": embedder.device, "seed": config.seed,
        "taxonomy": str(tax.file), "taxonomy_threshold": taxonomy_threshold, "llm": lab.llm,
        "match_threshold": match_threshold,
        "candidates": str(registry.source), "warnings": warnings,
        "discover": discoverer.get_params() | {"min_cluster_size_fitted": discoverer.min_cluster_size_,
                                              "min_samples_fitted": discoverer.min_samples_,
                                              "threshold_fitted": discoverer.threshold_,
                                              "chosen": discoverer.sizes_.as_dict()},
        "merge": merger.get_params() | {
            "n_clusters": int(len(discoverer.centroids_)), "n_families": int(merger.n_families_),
            "median_similarity": round(float(merger.median_similarity_), 4),
            "joined": [p.as_dict() for p in merger.pairs_ if p.edge]},
        "config": config.to_dict(),
    }
    result = RunResult(
        run_id=_run_id(started, params), params=params, n_posts=len(corpus.posts), n_texts=len(corpus.hashes),
        n_embedded=n_embedded, outlier_share=float(assignments["narrative_id"].isna().mean()),
        timings=timer.seconds, narratives=narratives, assignments=assignments, corpus=corpus, embeddings=X,
        targets=targets, config=config, coordination=coordinated, warnings=warnings,
    )
    with timer("store"), store.transaction():  # all of the run lands, or none of it
        save_run(store, result, started, start, end)
        store.save_mentions(result.run_id, targets.mentions)
        # the weekly series (per narrative and per narrative x candidate) is built from the stored rows
        record_tracking(store, result.run_id, clusters, threshold=match_threshold, rule=trk.burst)
        store.save_coordination(result.run_id, coordinated)
    return result


def anchor(store, hashes: list[str], X: np.ndarray, discoverer, *, threshold: float = MATCH_THRESHOLD,
           family: np.ndarray | None = None) -> Anchored:
    """`track.anchor_to_history` over what earlier runs stored: their latest centroids, the ids used so
    far, and the narrative each of these texts was last put in."""
    previous = [PreviousNarrative(nid, rid, vec) for nid, rid, vec in store.latest_centroids()]
    return anchor_to_history(hashes, X, discoverer, previous, store.known_narrative_ids(),
                             store.prior_text_narratives(hashes), threshold=threshold, family=family)


def record_tracking(store, run_id: str, anchored: Anchored, *, threshold: float = MATCH_THRESHOLD,
                    rule: BurstRule = BurstRule()) -> list[dict]:
    """After the run's narratives, assignments and mentions are stored: write lineage, the tracking
    parameters and the weekly series (with growth and bursts) in one transaction; return the weekly rows."""
    with store.transaction():
        store.save_lineage(run_id, anchored.lineage)
        store.save_track_params(run_id, threshold, rule.k, rule.window, rule.min_count)
        present = store.run_weeks(run_id)
        history = store.weekly_history(run_id, present[0]) if present else []
        rows = compute_weekly(present, history, store.weekly_counts(run_id) if present else [], rule)
        store.save_weekly(run_id, rows)
        return rows


def select_posts(store, since: datetime | None, until: datetime | None) -> Corpus:
    """Posts in the window and their unique normalised texts; reposts share the text they amplify."""
    posts = store.run_posts(since, until)
    if posts.empty:
        raise NarrativesError(
            f"no posts in the store {getattr(store, 'path', '')} between {since or 'the start'} and "
            f"{until or 'the end'}; ingest posts first or widen since/until"
        )
    first = _originals(posts, "text_hash")
    first = first.assign(norm=first["text"].map(normalize_text))
    first = first[first["norm"] != ""].sort_values("text_hash")
    if first.empty:
        raise NarrativesError(f"none of the {len(posts)} posts in the window has text once URLs and "
                              "retweet prefixes are removed; nothing to cluster")
    hashes = first["text_hash"].tolist()
    weeks = posts.groupby("text_hash")["created_at"].min().reindex(hashes).dt.strftime("%G-W%V").to_numpy()
    rows = pd.Series(np.arange(len(hashes)), index=hashes)
    posts["row"] = posts["text_hash"].map(rows).fillna(-1).astype(np.int64)
    return Corpus(posts, hashes, first["norm"].tolist(), weeks)


def _originals(posts: pd.DataFrame, key: str) -> pd.DataFrame:
    """One post per `key`: the earliest original post of that text (a repost only when there is none)."""
    return posts.sort_values(["is_repost", "created_at", "platform", "post_id"]).drop_duplicates(key)


def summarize_narratives(corpus: Corpus, discoverer: NarrativeDiscoverer | Anchored,
                         labels: list[ClusterLabel]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per narrative (cluster order) and one assignment per post (narrative_id = cluster index)."""
    posts = corpus.posts
    valid = posts["row"].to_numpy() >= 0
    cluster = np.where(valid, discoverer.labels_[np.maximum(posts["row"].to_numpy(), 0)], OUTLIER)
    score = np.where(valid, discoverer.scores_[np.maximum(posts["row"].to_numpy(), 0)], np.nan)
    originals = _originals(posts, "row")
    example_post = originals.set_index("row")
    rows = []
    for c, lab in enumerate(labels):
        members = posts[cluster == c]
        rows.append({
            "cluster": c,
            "label": lab.label,
            "taxonomy_id": lab.taxonomy_id,
            "taxonomy_score": round(lab.taxonomy_score, 6),
            "kind": lab.kind,
            "keywords": list(lab.keywords),
            "examples": [
                {"platform": example_post.at[r, "platform"], "post_id": example_post.at[r, "post_id"],
                 "text": example_post.at[r, "text"]}
                for r in lab.example_rows
            ],
            "n_posts": len(members),
            "share": len(members) / len(posts),
            "first_seen": members["created_at"].min(),
            "last_seen": members["created_at"].max(),
            "centroid": discoverer.centroids_[c].tolist(),
            "min_hash": members["text_hash"].min() if len(members) else "",
        })
    narratives = pd.DataFrame(rows, columns=[
        "cluster", "label", "taxonomy_id", "taxonomy_score", "kind", "keywords", "examples", "n_posts", "share",
        "first_seen", "last_seen", "centroid", "min_hash"])
    narratives = narratives[narratives["n_posts"] > 0]
    assignments = pd.DataFrame({"platform": posts["platform"], "post_id": posts["post_id"],
                                "cluster": cluster, "score": score})
    return narratives, assignments


def add_children(corpus: Corpus, narratives: pd.DataFrame, assignments: pd.DataFrame, children: SubNarratives,
                 labels: list[ClusterLabel], ids: tuple[list[str], list[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Append the sub-narratives (rows with `parent_id`) after the families and set each post's `sub_id`."""
    names, status = ids
    parents = narratives.set_index("cluster")["narrative_id"]
    narratives = narratives.assign(parent_id=None)
    sub, _ = summarize_narratives(corpus, children, labels)
    sub = sub.assign(narrative_id=sub["cluster"].map(dict(enumerate(names))),
                     status=sub["cluster"].map(dict(enumerate(status))),
                     parent_id=sub["cluster"].map(lambda c: parents.get(int(children.parent[c]))))
    sub = sub.sort_values(["n_posts", "narrative_id"], ascending=[False, True])
    rows = corpus.posts["row"].to_numpy()
    child = np.where(rows >= 0, children.labels_[np.maximum(rows, 0)], -1)
    sub_id = pd.Series(child).map(dict(enumerate(names))).to_numpy()
    return (pd.concat([narratives, sub], ignore_index=True) if len(sub) else narratives,
            assignments.assign(sub_id=sub_id))


def save_run(store, result: RunResult, started: datetime, since: datetime | None, until: datetime | None) -> None:
    """Write the run row, its narratives and every assignment in one transaction."""
    run = {
        "run_id": result.run_id, "started_at": started, "finished_at": datetime.now(timezone.utc).replace(tzinfo=None), "since": since,
        "until": until, "model": result.params["model"], "device": result.params["device"],
        "seed": result.params["seed"], "params": result.params, "n_posts": result.n_posts,
        "n_texts": result.n_texts, "n_embedded": result.n_embedded, "timings": result.timings, "status": "done",
    }
    narr = result.narratives.drop(columns=["cluster", "min_hash"]).assign(run_id=result.run_id)
    assign = result.assignments[["platform", "post_id", "narrative_id", "score", "sub_id"]].assign(run_id=result.run_id)
    store.save_run(run, narr, assign)


def llm_relabel(labels: list[ClusterLabel], corpus: Corpus, taxonomy: Taxonomy) -> list[ClusterLabel]:
    """Replace keyword labels by the LLM's where it answers well. The taxonomy id stays the embedding
    match: the LLM reads adversary-written posts, so it may name a narrative but never classify it."""
    from .llm import LLMConfig, LLMLabeller

    labeller = LLMLabeller(LLMConfig.from_env(), taxonomy)
    out = []
    for lab in labels:
        got = labeller.label(lab.keywords, [corpus.texts[r] for r in lab.example_rows])
        if got is None:
            out.append(lab)
        else:
            out.append(ClusterLabel(got.label, lab.taxonomy_id, lab.taxonomy_score,
                                    lab.keywords, lab.example_rows, lab.kind))
    return out


def _embed_plain(store, embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Embed short reference texts (taxonomy) through the same cache, so a cached run never loads the model."""
    return embed_cached(store, embedder, [text_hash(t) for t in texts], texts)[0]


def _window(since, until) -> tuple[datetime | None, datetime | None]:
    """[start, end) as naive UTC datetimes; a date `until` covers its whole day."""

    def parse(value, name: str):
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ParameterError(name, "expected a date like 2024-10-01 or an ISO timestamp", value) from None

    start, end = parse(since, "since"), parse(until, "until")
    if isinstance(start, date) and not isinstance(start, datetime):
        start = datetime.combine(start, datetime.min.time())
    if isinstance(end, date) and not isinstance(end, datetime):
        end = datetime.combine(end + timedelta(days=1), datetime.min.time())
    start, end = (v.astimezone(timezone.utc).replace(tzinfo=None) if v and v.tzinfo else v for v in (start, end))
    if start and end and start >= end:
        raise ParameterError("since", f"is not before until={until!r}", since)
    return start, end


def _run_id(started: datetime, params: dict) -> str:
    digest = hashlib.blake2b(f"{started.isoformat()}{json.dumps(params, sort_keys=True)}".encode(), digest_size=3)
    return f"r{started:%Y%m%dT%H%M%S}-{digest.hexdigest()}"


class _Timer:
    """Wall seconds per stage, in the order the stages ran."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + time.perf_counter() - t0, 3)


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator:
    """Yield a callback advancing a rich progress bar (with texts/s) on stderr, or None when disabled."""
    if not enabled or total == 0:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} texts/s" if speed else "", style="progress.data.speed")

    with Progress(TextColumn("embed"), BarColumn(), MofNCompleteColumn(), Rate(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("embed", total=total)
        yield lambda n: bar.advance(task, n)
