"""The harness: each set through the pipeline once per model, in a store of its own, and the files written."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from ..baseline import BASELINE, run_bertopic
from ..embed import resolve_device
from ..errors import NarrativesError, ParameterError
from .sets import EvalSet, load_eval_set
from ..api import RunResult, ingest, open_store, run
from ..config import RunConfig
from ..modelcards import DEFAULT_MODEL, load_card
from ..sources.base import Post
from ..stance import StanceItem, StanceModel, score_stance
from ..util import none_if_nan
from .records import DEFAULT_SEED, OURS, Evaluation, PostPrediction, RunOutput
from .render import models_chart, render_markdown, results_chart
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
    config = RunConfig(seed=seed).with_options(device=device, **({"model": model} if model else {}))
    with open_store(workdir / "eval.duckdb") as store:
        start = time.perf_counter()
        ingest(store, labeled, format="labeled")
        ingest_seconds = time.perf_counter() - start
        result = run(store, config=config, report=False)
        output = read_run(store, result, eval_set.posts, {"ingest": ingest_seconds})
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


def read_run(store, result: RunResult, posts: Sequence[Post], extra_seconds: dict[str, float]) -> RunOutput:
    """Predictions, bursts, timings and the embedded vectors of a finished run, aligned with `posts`:
    what the run returned, and what it stored (read back through the store's queries)."""
    run_id = result.run_id
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
    rule = (result.config or RunConfig()).tracking.burst  # the rule the tracker used
    texts = [p.text for p in posts]
    # the run's vectors (rows of its unique texts), one per post; a text empty once normalised: zeros
    row_of = dict(zip(zip(result.corpus.posts["platform"], result.corpus.posts["post_id"]), result.corpus.posts["row"]))
    embeddings = np.zeros((len(posts), result.embeddings.shape[1]), dtype=np.float32)
    for i, p in enumerate(posts):
        row = int(row_of.get((p.platform, p.post_id), -1))
        if row >= 0:
            embeddings[i] = result.embeddings[row]
    stage_seconds = {**extra_seconds, **(record.get("timings") or {})}
    edges = store.coordination_edges(run_id)
    pairs = set(zip(edges["account_a"], edges["account_b"]))
    embed_s = (record.get("timings") or {}).get("embed")
    rate = round(result.n_embedded / embed_s, 1) if embed_s and result.n_embedded else None
    return RunOutput(run_id, record["model"], record.get("device") or "", predictions, bursts, rule,
                     stage_seconds, texts, embeddings, rate, pairs)


# --- the whole evaluation --------------------------------------------------------------------------

def evaluate(
    sets: Sequence[str | Path],
    *,
    models: Sequence[str | None] = (None,),
    device: str = "auto",
    out: str | Path = "eval-results",
    limit: int | None = None,
    baseline: bool = True,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    results: str | Path | None = None,
) -> Evaluation:
    """Score the pipeline on labeled sets, once per model card (`None`: the default model), beside the
    BERTopic baseline; write metrics.json, report.md and predictions under `out`.

    Each set runs through the public API (`open_store`, `ingest`, `run`) in a temporary store of its own.
    With `results` (e.g. `eval/results`), each set's metrics are also written to `results/<set>.json`,
    the files the docs' figures are generated from (`scripts/docs_figures.py`).
    """
    if not sets:
        raise ParameterError("sets", "give at least one labeled set")
    out_dir = Path(out)
    models = list(models) or [None]
    say = progress or (lambda message: None)
    # an absent GPU, or one a model's card cannot use, is an error before any work
    resolved = {m: resolve_device(device, load_card(m or DEFAULT_MODEL)) for m in models}
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
            say(f"{eval_set.name}: {len(eval_set.posts)} posts, model {model or 'default'}, device {resolved[model]}")
            with tempfile.TemporaryDirectory(prefix="narratives-eval-") as tmp, PeakRSS() as rss:
                output = run_set(eval_set, model, resolved[model], Path(tmp), seed)
            base = None
            if baseline and eval_set.has("narrative"):  # the baseline only competes on narratives
                say(f"{eval_set.name}: BERTopic baseline on the same {output.model} embeddings")
                base = run_bertopic(output.texts, output.embeddings, seed=seed)
            scores = score_run(eval_set, output, base)
            seconds = dict(output.stage_seconds)
            if base is not None and base.topics is not None:
                seconds[f"baseline_{BASELINE}"] = base.seconds
            scores["timings"] = {"device": output.device or resolved[model], "model": output.model,
                                 "run_id": output.run_id, "n_posts": len(eval_set.posts),
                                 "stages": timings(len(eval_set.posts), seconds),
                                 "embed_texts_per_s": output.embed_texts_per_s, "peak_rss_mib": rss.peak_mib}
            metrics.setdefault(eval_set.name, {})[output.model] = scores
            _write_predictions(out_dir / eval_set.name / output.model / "predictions.jsonl", output.predictions)
    evaluation = Evaluation(metrics, out_dir, meta)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=False, default=_default) + "\n",
                                          encoding="utf-8")
    (out_dir / "report.md").write_text(render_markdown(evaluation), encoding="utf-8")
    if len(models) > 1:
        (out_dir / "models.svg").write_text(models_chart(metrics), encoding="utf-8")
    if results is not None:
        write_results(evaluation, Path(results), limit=limit, seed=seed, device=", ".join(sorted(set(resolved.values()))))
    return evaluation


class PeakRSS:
    """Peak resident memory of this process while the block runs (sampled every 20 ms, Linux /proc;
    elsewhere the process's lifetime peak, which is an upper bound)."""

    def __enter__(self) -> PeakRSS:
        self.peak_mib = self._now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mib = round(max(self.peak_mib, self._now()), 1)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak_mib = max(self.peak_mib, self._now())

    @staticmethod
    def _now() -> float:
        try:
            with open("/proc/self/statm") as fh:
                return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError, IndexError):
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def write_results(evaluation: Evaluation, results_dir: Path, *, limit: int | None, seed: int, device: str) -> list[Path]:
    """One JSON file per set: how it was measured (set, posts, limit, seed, device, date) and its metrics;
    beside it `<set>.svg`, the models' quality and cost as a chart (`results_chart` of that file)."""
    results_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, by_model in evaluation.metrics.items():
        info = evaluation.meta.get(name, {})
        record = {"set": name, "path": info.get("path"), "layout": info.get("layout"), "n_posts": info.get("n_posts"),
                  "rejected": info.get("rejected"), "limit": limit, "seed": seed, "device": device,
                  "measured_on": date.today().isoformat(), "models": by_model}
        path = results_dir / f"{name}.json"
        path.write_text(json.dumps(record, indent=2, default=_default) + "\n", encoding="utf-8")
        chart = results_dir / f"{name}.svg"
        chart.write_text(results_chart(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
        written += [path, chart]
    return written


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
