"""The harness: each set through the pipeline once per model, in a store of its own, and the files written."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..baseline import BASELINE, run_bertopic
from ..embed import resolve_device
from ..errors import NarrativesError, ParameterError
from ..evalsets import EvalSet, load_eval_set
from ..ingest import ingest_file
from ..pipeline import run_pipeline
from ..series import BurstRule
from ..sources.base import Post
from ..stance import StanceItem, StanceModel, score_stance
from ..store import Store
from ..text import text_hash
from ..util import none_if_nan
from .records import DEFAULT_SEED, Evaluation, PostPrediction, RunOutput
from .render import render_markdown
from .scoring import score_run, timings

Progress = Callable[[str], None]

# --- one set through the pipeline ------------------------------------------------------------------

def sample_posts(eval_set: EvalSet, limit: int | None, seed: int = DEFAULT_SEED) -> EvalSet:
    """A seeded random sample of `limit` posts in file order (the same for every model); all when None."""
    if limit is None or limit >= len(eval_set.posts):
        return eval_set
    if limit < 1:
        raise ParameterError("limit", "must be at least 1", limit)
    keep = np.sort(np.random.default_rng(seed).choice(len(eval_set.posts), size=limit, replace=False))
    return replace(eval_set, posts=[eval_set.posts[i] for i in keep])


def run_set(eval_set: EvalSet, model: str | None, device: str, workdir: Path, seed: int = DEFAULT_SEED) -> RunOutput:
    """Ingest the set into a fresh store under `workdir`, run the pipeline and read the run back."""
    labeled = workdir / f"{eval_set.name}.jsonl"
    write_labeled(eval_set.posts, labeled)
    with Store(workdir / "eval.duckdb") as store:
        start = time.perf_counter()
        ingest_file(store, labeled, format="labeled")
        ingest_seconds = time.perf_counter() - start
        chosen = {"model": model} if model else {}  # None: the pipeline's default model
        result = run_pipeline(store, device=device, seed=seed, progress=False, **chosen)
        output = read_run(store, result.run_id, eval_set.posts, {"ingest": ingest_seconds})
    output.gold_pair_stance = gold_pair_stances(eval_set.posts, output.predictions)
    return output


def gold_pair_stances(posts: Sequence[Post], predictions: Sequence[PostPrediction],
                      model: StanceModel | None = None) -> list[dict[str, str]]:
    """Stance toward every gold target of each post: the run's where it linked the target, else the
    stance model on the whole post (no span, no narrative prior). Aligned with `posts`."""
    model = model or StanceModel.load()
    out = [dict(pred.stance) for pred in predictions]
    missing = [(i, cid) for i, p in enumerate(posts) for cid in sorted(p.gold.stance or {}) if cid not in out[i]]
    if missing:
        scored = score_stance(model, [StanceItem(posts[i].text, None, None, cid) for i, cid in missing])
        for (i, cid), (stance, _) in zip(missing, scored):
            out[i][cid] = stance
    return out


_LABELED_KEYS = {"post_id": "id", "author_handle": "author"}
_SKIPPED_FIELDS = {"source_line", "gold"}


def write_labeled(posts: Sequence[Post], path: Path) -> None:
    """Write posts (any layout, gold included) as labeled-set JSONL, the format `narratives ingest` reads."""
    with path.open("w", encoding="utf-8") as fh:
        for p in posts:
            row = {_LABELED_KEYS.get(name, name): value for name, value in asdict(p).items()
                   if name not in _SKIPPED_FIELDS and value is not None}
            row["created_at"] = p.created_at.isoformat() + "Z"
            row.update(narrative=p.gold.narrative, targets=p.gold.targets, stance=p.gold.stance,
                       coordinated=p.gold.coordinated)
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_run(store, run_id: str, posts: Sequence[Post], extra_seconds: dict[str, float]) -> RunOutput:
    """Predictions, bursts, timings and the embedded vectors of a finished run, aligned with `posts`."""
    record = store.run_record(run_id)
    narratives = store.run_narratives(run_id)
    label = dict(zip(narratives["narrative_id"], narratives["label"]))
    taxonomy = dict(zip(narratives["narrative_id"], narratives["taxonomy_id"]))
    assigned = {(r.platform, r.post_id): r.narrative_id for r in store.run_assignments(run_id).itertuples()}
    targets: dict[tuple[str, str], dict[str, str | None]] = {}
    for m in store.run_mentions(run_id).itertuples():
        stances = targets.setdefault((m.platform, m.post_id), {})
        stances[m.candidate_id] = stances.get(m.candidate_id) or m.stance
    members = store.coordination_members(run_id)
    flagged = set(zip(members["platform"], members["post_id"]))
    predictions = []
    for p in posts:
        key = (p.platform, p.post_id)
        nid = none_if_nan(assigned.get(key))
        found = targets.get(key, {})
        predictions.append(PostPrediction(
            id=p.post_id, narrative=nid, narrative_label=label.get(nid), taxonomy_id=none_if_nan(taxonomy.get(nid)),
            targets=sorted(found), stance={c: s for c, s in sorted(found.items()) if s},
            coordinated=key in flagged))
    bursts: dict[str, set[str]] = {}
    for row in store.weekly(run_id):
        if row["burst"]:
            bursts.setdefault(row["narrative_id"], set()).add(row["week"])
    params = store.track_params(run_id) or {}  # the rule the tracker used in this run
    rule = BurstRule(**{k: params[f"burst_{k}"] for k in ("k", "window", "min_count") if f"burst_{k}" in params})
    texts = [p.text for p in posts]
    hashes = [text_hash(t) for t in texts]
    index, matrix = store.cached_embeddings(sorted(set(hashes)), record["model"])
    embeddings = np.zeros((len(posts), matrix.shape[1]), dtype=np.float32)  # a text empty once normalised: zeros
    for i, h in enumerate(hashes):
        if h in index:
            embeddings[i] = matrix[index[h]]
    stage_seconds = {**extra_seconds, **(record.get("timings") or {})}
    return RunOutput(run_id, record["model"], record.get("device") or "", predictions, bursts, rule,
                     stage_seconds, texts, embeddings)


# --- the whole evaluation --------------------------------------------------------------------------

def evaluate(
    sets: Sequence[Path],
    *,
    models: Sequence[str | None] = (None,),
    device: str = "auto",
    out_dir: Path = Path("eval-results"),
    limit: int | None = None,
    baseline: bool = True,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> Evaluation:
    """Run every set through the pipeline once per model; write metrics.json, report.md and predictions."""
    say = progress or (lambda message: None)
    resolved = resolve_device(device)  # an absent GPU is an error before any work
    loaded = [sample_posts(load_eval_set(Path(p)), limit, seed) for p in sets]
    names = [s.name for s in loaded]
    if len(set(names)) != len(names):
        raise NarrativesError(f"two sets share a name: {', '.join(names)} (rename one file)")
    out_dir.mkdir(parents=True, exist_ok=True)
    metrics: dict[str, dict[str, dict[str, Any]]] = {}
    meta: dict[str, dict[str, Any]] = {}
    for eval_set in loaded:
        meta[eval_set.name] = {"path": str(eval_set.path), "layout": eval_set.layout, "n_posts": len(eval_set.posts),
                               "rejected": eval_set.reject_summary()}
        for model in models:
            say(f"{eval_set.name}: {len(eval_set.posts)} posts, model {model or 'default'}, device {resolved}")
            with tempfile.TemporaryDirectory(prefix="narratives-eval-") as tmp:
                run = run_set(eval_set, model, resolved, Path(tmp), seed)
            base = None
            if baseline and eval_set.has("narrative"):  # the baseline only competes on narratives
                say(f"{eval_set.name}: BERTopic baseline on the same {run.model} embeddings")
                base = run_bertopic(run.texts, run.embeddings, seed=seed)
            scores = score_run(eval_set, run, base)
            seconds = dict(run.stage_seconds)
            if base is not None and base.topics is not None:
                seconds[f"baseline_{BASELINE}"] = base.seconds
            scores["timings"] = {"device": run.device or resolved, "model": run.model, "run_id": run.run_id,
                                 "n_posts": len(eval_set.posts), "stages": timings(len(eval_set.posts), seconds)}
            metrics.setdefault(eval_set.name, {})[run.model] = scores
            _write_predictions(out_dir / eval_set.name / run.model / "predictions.jsonl", run.predictions)
    evaluation = Evaluation(metrics, out_dir, meta)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=False, default=_default) + "\n",
                                          encoding="utf-8")
    (out_dir / "report.md").write_text(render_markdown(evaluation), encoding="utf-8")
    return evaluation


def _write_predictions(path: Path, predictions: Sequence[PostPrediction]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for p in predictions:
            fh.write(json.dumps(p.as_line(), ensure_ascii=False) + "\n")


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
