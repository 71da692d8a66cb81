"""Tables of an evaluation (report.md and the console), from metrics.json alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..baseline import BASELINE
from ..charts import grouped_bars
from ..report.escape import md_escape
from .records import OURS, Evaluation


@dataclass(frozen=True)
class Table:
    """A titled table of already formatted cells, rendered as Markdown here and with rich by the CLI."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


def _f(value: Any) -> str:
    """A score (ARI, F1, precision: between -1 and 1) with three decimals; any other number as `_rate` does."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if -1.0 <= value <= 1.0 else _rate(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _rate(value: Any) -> str:
    """A rate, duration or size (posts/s, seconds, MiB): three significant digits, thousands separated,
    trailing zeros dropped ("30.5", "2.9", "0.125", "1,268")."""
    if value is None:
        return "–"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value else "0"


def _pct(value: Any) -> str:
    """A share of posts (0-1) as a percentage with one decimal ("8.7%")."""
    if value is None:
        return "–"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    return f"{100 * value:.1f}%"


def _cells(scores: dict[str, Any], keys: Sequence[str]) -> list[str]:
    return [_f(scores.get(k)) for k in keys]


def _runs(metrics: dict) -> list[tuple[str, str, dict[str, Any]]]:
    return [(name, model, m) for name, by_model in metrics.items() for model, m in by_model.items()]


def report_tables(metrics: dict[str, dict[str, dict[str, Any]]]) -> list[Table]:
    """Every table of the report, from metrics.json alone (models side by side first, when there are several)."""
    runs = _runs(metrics)
    tables = [side_by_side_table(name, by_model) for name, by_model in metrics.items() if len(by_model) > 1]
    tables += [_narrative_table(runs)]
    tables += [_per_narrative_table(name, by_model) for name, by_model in metrics.items()
               if any(OURS in m["narratives"] for m in by_model.values())]
    tables += [_taxonomy_table(runs), _targets_table(runs), _candidates_table(runs), _stance_table(runs),
               _time_table(runs), _coordination_table(runs), _timings_table(runs)]
    return [t for t in tables if t.rows]


def _get(scores: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(scores, dict):
            return None
        scores = scores.get(key)
    return scores


def side_by_side_table(name: str, by_model: dict[str, dict[str, Any]]) -> Table:
    """One set, one column per model: every quality figure, then the cost (posts/s per stage, peak RSS)."""
    models = list(by_model)
    rows: list[list[str]] = []

    def row(label: str, *path: str, fmt=_f) -> None:
        values = [_get(by_model[m], *path) for m in models]
        if any(v is not None for v in values):
            rows.append([label, *map(fmt, values)])

    ours = ("narratives", OURS)
    row("narratives found", *ours, "n_predicted")
    row("outlier share", *ours, "outlier_share", fmt=_pct)
    for key, label in (("ari", "ARI"), ("nmi", "NMI"), ("bcubed_f1", "B³ F1")):
        row(label, *ours, "gold_narratives", key)
    row("ARI, all posts", *ours, "all_posts", "ari")
    row("NMI, all posts", *ours, "all_posts", "nmi")
    row("matched macro-F1", *ours, "matched_macro_f1")
    gold = sorted({g for m in models for g in (_get(by_model[m], *ours, "per_narrative") or {})})
    for g in gold:
        row(f"F1: {g}", *ours, "per_narrative", g, "f1")
    taxonomy = sorted({g for m in models for g in (_get(by_model[m], *ours, "taxonomy") or {})})
    for g in taxonomy:
        row(f"taxonomy F1: {g}", *ours, "taxonomy", g, "f1")
    row(f"{BASELINE} ARI (same vectors)", "narratives", BASELINE, "gold_narratives", "ari")
    for key in ("precision", "recall", "f1"):
        row(f"targets {key[0].upper()} (micro)" if key != "f1" else "targets F1 (micro)", "targets", "micro", key)
    row("stance accuracy", "stance", "accuracy")
    row("stance macro-F1", "stance", "macro_f1")
    row("bursts F1 (micro)", "time", "micro", "f1")
    for key in ("precision", "recall", "f1"):
        row(f"coordination {'F1' if key == 'f1' else key[0].upper()}", "coordination", key)
    stages = [st for st in dict.fromkeys(st for m in models for st in (_get(by_model[m], "timings", "stages") or {}))]
    for st in stages:
        row(f"{st}: posts/s", "timings", "stages", st, "posts_per_s", fmt=_rate)
    row("embed: texts/s", "timings", "embed_texts_per_s", fmt=_rate)
    row("peak RSS (MiB)", "timings", "peak_rss_mib", fmt=_rate)
    row("device", "timings", "device")
    return Table(f"Models side by side: {name}", ["figure", *models], rows,
                 "Figures as in the tables below (ARI, NMI, B³ over posts with a gold narrative; outliers as "
                 "singletons). Cost on this machine: posts/s per stage of the run, embed texts/s (unique texts), "
                 "peak resident memory of the evaluating process during the model's run.")


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
            rows.append([name, model, system, _f(s["n_predicted"]), _pct(s["outlier_share"]),
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
                 "For the ISCA set, antisemitic_tropes is 'assigned to the antisemitic-framing narrative' vs Biased = 1: "
                 "a post counts only if the entry's framing classifier accepts it (narratives/gate.py); ISCA "
                 "2019-2020 trained that classifier, so score the 2021 rows for a held-out figure.")


def _targets_table(runs) -> Table:
    rows = [[name, model, _f(m["targets"]["n_posts"]), *_cells(m["targets"]["micro"], ("precision", "recall", "f1"))]
            for name, model, m in runs if "micro" in m["targets"]]
    return Table("Targets: candidates found per post (micro)", ["set", "model", "posts", "P", "R", "F1"], rows)


def _candidates_table(runs) -> Table:
    rows = [[name, model, c, _f(s["support"]), *_cells(s, ("precision", "recall", "f1"))]
            for name, model, m in runs for c, s in m["targets"].get("per_candidate", {}).items()]
    return Table("Targets per candidate", ["set", "model", "candidate", "gold posts", "P", "R", "F1"], rows)


def _stance_table(runs) -> Table:
    rows = []
    for name, model, m in runs:
        st = m["stance"]
        if not st.get("n_pairs"):
            continue
        metric = "F-avg" if str(st.get("metric", "")).startswith("f_avg") else "macro-F1"
        rows.append([name, model, metric, *_cells(st, ("n_pairs", "accuracy", "macro_f1")),
                     *_cells(st.get("vader_sign", {}), ("accuracy", "macro_f1")),
                     _f(st.get("gold_pairs", {}).get("macro_f1")), _pct(st.get("coverage")),
                     _f(st.get("accuracy_when_found"))])
    return Table("Stance over (post, gold target) pairs: ours vs the VADER sign",
                 ["set", "model", "metric", "pairs", "accuracy", "F", "vader accuracy", "vader F",
                  "F on gold pairs", "target found", "accuracy if found"], rows,
                 "F is SemEval's F-avg (mean F1 of favor and against) on sets whose gold has no neutral, else "
                 "macro-F1 over against/favor/neutral. A gold target the run did not find counts as a wrong "
                 "stance; 'F on gold pairs' scores the stance model on every gold pair (the whole post where the "
                 "run missed the target). VADER sign: favor if the post's compound > 0, against if < 0 "
                 "(within 0.05 of 0: neutral, on sets with neutral gold).")


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
    pairs = [[name, model, *_cells(m["coordination"]["account_pairs"],
                                   ("n_gold_pairs", "precision", "recall", "f1", "tp", "fp", "fn"))]
             for name, model, m in runs if "account_pairs" in m.get("coordination", {})]
    rows += [[f"{name} (account pairs)", model, *cells] for name, model, *cells in pairs]
    return Table("Coordination: post in a flagged group vs gold 'coordinated'; account pairs the run linked vs "
                 "accounts with gold-coordinated posts of one narrative within an hour",
                 ["set", "model", "posts / gold pairs", "P", "R", "F1", "tp", "fp", "fn"], rows)


def _timings_table(runs) -> Table:
    rows = [[name, model, m["timings"]["device"], _f(m["timings"]["n_posts"]), stage, _rate(s["seconds"]),
             _rate(s["posts_per_s"])]
            for name, model, m in runs for stage, s in m["timings"]["stages"].items()]
    return Table("Timings", ["set", "model", "device", "posts", "stage", "seconds", "posts/s"], rows)


CHART_QUALITY = (("ARI", ("narratives", OURS, "gold_narratives", "ari")),
                 ("NMI", ("narratives", OURS, "gold_narratives", "nmi")),
                 ("B³ F1", ("narratives", OURS, "gold_narratives", "bcubed_f1")),
                 ("matched macro-F1", ("narratives", OURS, "matched_macro_f1")),
                 ("targets F1", ("targets", "micro", "f1")),
                 ("stance F", ("stance", "macro_f1")),
                 ("bursts F1", ("time", "micro", "f1")),
                 ("coordination F1", ("coordination", "f1")))
CHART_COST = (("embed texts/s", ("timings", "embed_texts_per_s")),
              ("discover posts/s", ("timings", "stages", "discover", "posts_per_s")),
              ("peak RSS MiB", ("timings", "peak_rss_mib")))


def models_chart(metrics: dict[str, dict[str, dict[str, Any]]],
                 title: str = "Models side by side (narratives eval)") -> str:
    """SVG: per set, each model's quality figures (those of the side-by-side table that lie on a 0-1 scale:
    ARI, NMI, B³ F1, matched macro-F1, targets, stance, bursts, coordination) and its cost (embed texts/s,
    discover posts/s, peak RSS)."""
    groups = []
    for name, by_model in metrics.items():
        quality = {m: {label: _get(v, *path) for label, path in CHART_QUALITY} for m, v in by_model.items()}
        cost = {m: {label: _get(v, *path) for label, path in CHART_COST} for m, v in by_model.items()}
        groups.append((name, quality, cost))
    return grouped_bars(groups, title=title)


def results_chart(record: dict[str, Any]) -> str:
    """The chart of one results file (`eval/results/<set>.json`, as `write_results` writes it): every model
    it holds, quality and cost, titled with the set and how it was measured."""
    n = record.get("limit") or record.get("n_posts")
    title = (f"{record['set']}: models side by side ({n} posts, {record.get('device') or 'cpu'}, "
             f"measured {record.get('measured_on') or '?'})")
    return models_chart({record["set"]: record["models"]}, title=title)


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
