"""`narratives eval`: score the pipeline on hand-labeled sets, with BERTopic beside every narrative figure.

Each set goes, once per embedding model, through the same stages as `narratives run`, in a store of
its own (a temporary DuckDB file): ingest the posts, `run_pipeline`, then read back what the run
stored (assignments, narratives, mentions, coordination, weekly bursts, timings). Gold labels ride
along into the store's `gold` table, which no pipeline stage reads. Scores:

- narratives: ARI, NMI, V-measure and B-cubed over the posts whose gold narrative is not "none"
  (the narratives we are asked to find) and over all posts ("none" as one more class); outliers
  are singleton clusters (see `narratives.metrics`), their share is reported; each gold narrative
  is matched one-to-one (Hungarian on F1) to a predicted narrative and scored by P/R/F1; and per
  gold taxonomy id, P/R/F1 of "assigned to a narrative labelled with that id" (for the ISCA set:
  assigned to the antisemitic-framing narrative versus Biased = 1). BERTopic on the same vectors
  gets the same clustering and matching scores.
- targets: P/R/F1 of the candidates found per post, micro and per candidate.
- stance: accuracy and macro-F1 (against/favor/neutral) over (post, gold target) pairs; a gold
  target the run did not find counts as a wrong stance.
- time: weeks in which each gold narrative bursts (the tracker's own burst rule, from the run's
  track parameters, applied to gold weekly counts) versus the weeks the tracker flagged for the
  matched predicted narrative.
- coordination: P/R/F1 of "in a flagged group" against gold `coordinated`.
- timings: posts/s per stage, device, model.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from .baseline import BASELINE, BaselineResult, run_bertopic
from .embed import resolve_device
from .errors import NarrativesError
from .evalsets import EvalSet, load_eval_set
from .metrics import (
    accuracy,
    binary_prf,
    clustering_scores,
    macro_f1,
    match_one_to_one,
    multilabel_prf,
    prf,
    set_prf,
)
from .report import md_escape
from .stance import STANCES
from .targets import none_if_nan
from .series import BurstRule, burst_flags, week_of, week_range
from .ingest import ingest_file
from .pipeline import run_pipeline
from .sources.base import Post
from .store import Store
from .text import text_hash

NONE = "none"
OURS = "ours"
DEFAULT_SEED = 0

Progress = Callable[[str], None]


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
                "targets": self.targets, "stance": self.stance, "coordinated": self.coordinated}


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


# --- scoring (pure) -----------------------------------------------------------------------------------

def _clustering_view(gold: Sequence[str], pred: Sequence[str | None]) -> dict[str, Any]:
    scores = clustering_scores(gold, pred)
    if len(set(gold)) < 2:
        scores.update(ari=None, nmi=None, v_measure=None, note="fewer than 2 gold classes: ARI/NMI/V undefined")
    return scores


def score_clustering(gold: Sequence[str], pred: Sequence[str | None],
                     labels: dict[Any, str] | None = None) -> dict[str, Any]:
    """Clustering and matching scores of one narrative map (ours or the baseline) on posts with gold."""
    keep = [i for i, g in enumerate(gold) if g != NONE]
    classes = sorted({gold[i] for i in keep})
    matches = match_one_to_one(gold, pred, gold_classes=classes)
    per = {}
    for m in matches:
        per[m.gold] = {"matched": None if m.pred is None else str(m.pred),
                       "matched_label": None if m.pred is None else (labels or {}).get(m.pred, str(m.pred)),
                       **m.scores.as_dict()}
    return {
        "n_posts": len(gold),
        "n_predicted": len({p for p in pred if p is not None}),
        "outlier_share": sum(p is None for p in pred) / len(pred) if pred else None,
        "gold_narratives": _clustering_view([gold[i] for i in keep], [pred[i] for i in keep]),
        "all_posts": _clustering_view(list(gold), list(pred)),
        "per_narrative": per,
        "matched_macro_f1": float(np.mean([m.scores.f1 for m in matches])) if matches else None,
    }


def score_taxonomy(gold: Sequence[str], taxonomy: Sequence[str | None]) -> dict[str, Any]:
    """Per gold taxonomy id: P/R/F1 of "assigned to a narrative the labeller named with this id"."""
    return {g: binary_prf([x == g for x in gold], [t == g for t in taxonomy]).as_dict()
            for g in sorted(set(gold) - {NONE})}


def score_targets(gold: Sequence[list[str]], pred: Sequence[list[str]]) -> dict[str, Any]:
    """Candidates found per post against the gold targets, micro and per candidate."""
    micro, per = multilabel_prf(gold, pred)
    return {"n_posts": len(gold), "micro": micro.as_dict(), "per_candidate": {c: s.as_dict() for c, s in per.items()}}


def score_stance(gold: Sequence[dict[str, str]], pred: Sequence[dict[str, str]]) -> dict[str, Any]:
    """Over (post, gold target) pairs; `coverage` is the share of pairs whose target the run found with a stance."""
    pairs = [(stance, p.get(cand)) for g, p in zip(gold, pred) for cand, stance in g.items()]
    gold_s = [g for g, _ in pairs]
    pred_s = [p for _, p in pairs]
    found = [(g, p) for g, p in pairs if p is not None]
    return {
        "n_pairs": len(pairs),
        "accuracy": accuracy(gold_s, pred_s) if pairs else None,
        # over the stances present in gold or predictions: a set without "neutral" (P-Stance) is not capped
        "macro_f1": macro_f1(gold_s, pred_s, [s for s in STANCES if s in {*gold_s, *pred_s}]) if pairs else None,
        "coverage": len(found) / len(pairs) if pairs else None,
        "accuracy_when_found": accuracy([g for g, _ in found], [p for _, p in found]) if found else None,
        "gold_distribution": dict(sorted(Counter(gold_s).items())),
    }


def gold_burst_weeks(times: Sequence[datetime], gold: Sequence[str], rule: BurstRule) -> dict[str, set[str]]:
    """Weeks in which each gold narrative bursts under the tracker's rule (zero weeks filled)."""
    weeks = [week_of(t) for t in times]
    span = week_range(min(weeks), max(weeks)) if weeks else []
    out = {}
    for g in sorted(set(gold) - {NONE}):
        counts = Counter(w for w, x in zip(weeks, gold) if x == g)
        out[g] = {w for w, flag in zip(span, burst_flags([counts[w] for w in span], rule)) if flag}
    return out


def score_time(gold_weeks: dict[str, set[str]], matched: dict[str, str | None],
               flagged: dict[str, set[str]], rule: BurstRule) -> dict[str, Any]:
    """Gold burst weeks vs the weeks flagged for each gold narrative's matched narrative; micro over all."""
    per, tp, fp, fn = {}, 0, 0, 0
    for g, weeks in gold_weeks.items():
        pred_weeks = flagged.get(matched.get(g) or "", set())
        s = set_prf(weeks, pred_weeks)
        tp, fp, fn = tp + s.tp, fp + s.fp, fn + s.fn
        scores = s.as_dict()
        if not weeks and not pred_weeks:  # nothing to find and nothing flagged: agreement, but no score
            scores.update(precision=None, recall=None, f1=None)
        per[g] = {"matched": matched.get(g), "gold_burst_weeks": sorted(weeks), "flagged_weeks": sorted(pred_weeks),
                  **scores}
    return {"rule": rule.describe(), "micro": prf(tp, fp, fn).as_dict(), "per_narrative": per}


def score_run(eval_set: EvalSet, run: RunOutput, baseline: BaselineResult | None) -> dict[str, Any]:
    """Every metric of one run (and its baseline) on one set; keys follow metrics.json."""
    posts, preds = eval_set.posts, run.predictions
    result: dict[str, Any] = {}
    with_narr = [i for i, p in enumerate(posts) if p.gold.narrative is not None]
    if with_narr:
        gold = [posts[i].gold.narrative for i in with_narr]
        labels = {p.narrative: p.narrative_label for p in preds if p.narrative is not None}
        ours = score_clustering(gold, [preds[i].narrative for i in with_narr], labels)
        ours["taxonomy"] = score_taxonomy(gold, [preds[i].taxonomy_id for i in with_narr])
        result["narratives"] = {OURS: ours, BASELINE: _baseline_scores(gold, with_narr, baseline)}
        if eval_set.dated:
            matched = {g: v["matched"] for g, v in ours["per_narrative"].items()}
            gold_weeks = gold_burst_weeks([posts[i].created_at for i in with_narr], gold, run.burst_rule)
            result["time"] = score_time(gold_weeks, matched, run.burst_weeks, run.burst_rule)
        else:
            result["time"] = {"skipped": f"the {eval_set.layout} layout has no dates"}
    else:
        result["narratives"] = {"skipped": "no gold narratives in this set"}
        result["time"] = {"skipped": "no gold narratives in this set"}
    with_targets = [i for i, p in enumerate(posts) if p.gold.targets is not None]
    result["targets"] = (score_targets([posts[i].gold.targets for i in with_targets],
                                       [preds[i].targets for i in with_targets])
                         if with_targets else {"skipped": "no gold targets in this set"})
    with_stance = [i for i, p in enumerate(posts) if p.gold.stance]
    result["stance"] = (score_stance([posts[i].gold.stance for i in with_stance],
                                     [preds[i].stance for i in with_stance])
                        if with_stance else {"skipped": "no gold stance in this set"})
    with_coord = [i for i, p in enumerate(posts) if p.gold.coordinated is not None]
    result["coordination"] = (
        {"n_posts": len(with_coord), **binary_prf([posts[i].gold.coordinated for i in with_coord],
                                                  [bool(preds[i].coordinated) for i in with_coord]).as_dict()}
        if with_coord else {"skipped": "no gold coordination labels in this set"})
    return result


def _baseline_scores(gold: list[str], rows: list[int], baseline: BaselineResult | None) -> dict[str, Any]:
    if baseline is None:
        return {"skipped": "--no-baseline"}
    if baseline.topics is None:
        return {"error": baseline.error}
    return score_clustering(gold, [baseline.topics[i] for i in rows])


def timings(n_posts: int, stage_seconds: dict[str, float]) -> dict[str, Any]:
    """Seconds and posts/s per stage (posts/s is None for a stage that took no measurable time)."""
    return {stage: {"seconds": round(s, 3), "posts_per_s": round(n_posts / s, 1) if s > 0 else None}
            for stage, s in stage_seconds.items()}


# --- one set through the pipeline ------------------------------------------------------------------

def sample_posts(eval_set: EvalSet, limit: int | None, seed: int = DEFAULT_SEED) -> EvalSet:
    """A seeded random sample of `limit` posts in file order (the same for every model); all when None."""
    if limit is None or limit >= len(eval_set.posts):
        return eval_set
    if limit < 1:
        raise NarrativesError(f"--limit {limit}: must be at least 1")
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
        return read_run(store, result.run_id, eval_set.posts, {"ingest": ingest_seconds})


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

@dataclass
class Evaluation:
    """metrics.json as a dict (set -> model -> {...}) and where the outputs were written."""

    metrics: dict[str, dict[str, dict[str, Any]]]
    out_dir: Path
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)


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


# --- tables (report.md and the console) ------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """A titled table of already formatted cells, rendered as Markdown here and with rich by the CLI."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


def _f(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3f}"
    return str(value)


def _cells(scores: dict[str, Any], keys: Sequence[str]) -> list[str]:
    return [_f(scores.get(k)) for k in keys]


def _runs(metrics: dict) -> list[tuple[str, str, dict[str, Any]]]:
    return [(name, model, m) for name, by_model in metrics.items() for model, m in by_model.items()]


def report_tables(metrics: dict[str, dict[str, dict[str, Any]]]) -> list[Table]:
    """Every table of the report, from metrics.json alone."""
    runs = _runs(metrics)
    tables = [_narrative_table(runs)]
    tables += [_per_narrative_table(name, by_model) for name, by_model in metrics.items()
               if any(OURS in m["narratives"] for m in by_model.values())]
    tables += [_taxonomy_table(runs), _targets_table(runs), _candidates_table(runs), _stance_table(runs),
               _time_table(runs), _coordination_table(runs), _timings_table(runs)]
    return [t for t in tables if t.rows]


def _narrative_table(runs) -> Table:
    rows = []
    for name, model, m in runs:
        for system in (OURS, BASELINE):
            s = m["narratives"].get(system)
            if s is None:
                continue
            if "n_posts" not in s:
                rows.append([name, model, system, s.get("error") or s.get("skipped")] + [""] * 8)
                continue
            view, everything = s["gold_narratives"], s["all_posts"]
            rows.append([name, model, system, _f(s["n_predicted"]), _f(s["outlier_share"]),
                         *_cells(view, ("ari", "nmi", "v_measure", "bcubed_f1")), _f(everything["ari"]),
                         _f(everything["nmi"]), _f(s["matched_macro_f1"])])
    return Table(
        "Narratives: ours vs BERTopic (defaults, same embeddings)",
        ["set", "model", "system", "narratives", "outliers", "ARI", "NMI", "V", "B³ F1", "ARI all", "NMI all",
         "matched F1"],
        rows,
        "ARI, NMI, V, B³ F1: over posts whose gold narrative is not 'none'; '… all': every post, 'none' as one "
        "more class. Outliers count as singleton clusters. matched F1: mean F1 of the gold narratives after "
        "one-to-one (Hungarian) matching. B³ precision/recall: metrics.json.",
    )


def _per_narrative_table(name: str, by_model: dict[str, dict[str, Any]]) -> Table:
    rows = []
    for model, m in by_model.items():
        ours, base = m["narratives"].get(OURS, {}), m["narratives"].get(BASELINE, {})
        for g, s in ours.get("per_narrative", {}).items():
            b = base.get("per_narrative", {}).get(g)
            rows.append([g, _f(s["support"]), model, _f(s["matched_label"]), *_cells(s, ("precision", "recall", "f1")),
                         *(_cells(b, ("precision", "recall", "f1")) if b else ["–"] * 3)])
    return Table(f"Per gold narrative: {name}",
                 ["gold narrative", "posts", "model", "ours: matched", "P", "R", "F1", "bertopic P", "R", "F1"], rows,
                 "Each gold narrative matched one-to-one to a predicted narrative (Hungarian on F1 over all posts).")


def _taxonomy_table(runs) -> Table:
    rows = [[name, model, g, _f(s["support"]), *_cells(s, ("precision", "recall", "f1"))]
            for name, model, m in runs for g, s in m["narratives"].get(OURS, {}).get("taxonomy", {}).items()]
    return Table("Taxonomy assignment: posts put in a narrative labelled with the gold taxonomy id",
                 ["set", "model", "taxonomy id", "gold posts", "P", "R", "F1"], rows,
                 "For the ISCA set, antisemitic_tropes is 'assigned to the antisemitic-framing narrative' vs Biased = 1.")


def _targets_table(runs) -> Table:
    rows = [[name, model, _f(m["targets"]["n_posts"]), *_cells(m["targets"]["micro"], ("precision", "recall", "f1"))]
            for name, model, m in runs if "micro" in m["targets"]]
    return Table("Targets: candidates found per post (micro)", ["set", "model", "posts", "P", "R", "F1"], rows)


def _candidates_table(runs) -> Table:
    rows = [[name, model, c, _f(s["support"]), *_cells(s, ("precision", "recall", "f1"))]
            for name, model, m in runs for c, s in m["targets"].get("per_candidate", {}).items()]
    return Table("Targets per candidate", ["set", "model", "candidate", "gold posts", "P", "R", "F1"], rows)


def _stance_table(runs) -> Table:
    rows = [[name, model, *_cells(m["stance"], ("n_pairs", "accuracy", "macro_f1", "coverage", "accuracy_when_found"))]
            for name, model, m in runs if "n_pairs" in m["stance"]]
    return Table("Stance over (post, gold target) pairs",
                 ["set", "model", "pairs", "accuracy", "macro-F1", "target found", "accuracy if found"], rows,
                 "A gold target the run did not find counts as a wrong stance.")


def _time_table(runs) -> Table:
    rows = []
    rule = ""
    for name, model, m in runs:
        t = m["time"]
        if "per_narrative" not in t:
            continue
        rule = t["rule"]
        for g, s in t["per_narrative"].items():
            rows.append([name, model, g, ", ".join(s["gold_burst_weeks"]) or "–", ", ".join(s["flagged_weeks"]) or "–",
                         *_cells(s, ("precision", "recall", "f1"))])
        rows.append([name, model, "(all, micro)", "", "", *_cells(t["micro"], ("precision", "recall", "f1"))])
    return Table("Bursts: gold burst weeks vs weeks the tracker flagged for the matched narrative",
                 ["set", "model", "gold narrative", "gold bursts", "flagged", "P", "R", "F1"], rows,
                 f"Same rule for both: {rule}." if rule else "")


def _coordination_table(runs) -> Table:
    rows = [[name, model, *_cells(m["coordination"], ("n_posts", "precision", "recall", "f1", "tp", "fp", "fn"))]
            for name, model, m in runs if "n_posts" in m["coordination"]]
    return Table("Coordination: post in a flagged group vs gold 'coordinated'",
                 ["set", "model", "posts", "P", "R", "F1", "tp", "fp", "fn"], rows)


def _timings_table(runs) -> Table:
    rows = [[name, model, m["timings"]["device"], _f(m["timings"]["n_posts"]), stage, _f(s["seconds"]),
             _f(s["posts_per_s"])]
            for name, model, m in runs for stage, s in m["timings"]["stages"].items()]
    return Table("Timings", ["set", "model", "device", "posts", "stage", "seconds", "posts/s"], rows)


def render_markdown(evaluation: Evaluation) -> str:
    """report.md: the sets evaluated, then every table."""
    lines = ["# Evaluation", ""]
    for name, info in evaluation.meta.items():
        rejected = sum(info["rejected"].values())
        lines.append(f"- **{md_escape(name)}**: {md_escape(info['path'])} ({info['layout']} layout), "
                     f"{info['n_posts']} posts" + (f", {rejected} rows rejected" if rejected else ""))
    for table in report_tables(evaluation.metrics):
        lines += ["", f"## {md_escape(table.title)}", ""]
        lines.append("| " + " | ".join(md_escape(c) for c in table.columns) + " |")
        lines.append("|" + "|".join("---" for _ in table.columns) + "|")
        lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in table.rows]
        if table.note:
            lines += ["", md_escape(table.note)]
    return "\n".join(lines) + "\n"
