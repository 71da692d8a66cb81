"""Gather a report's sections from the store: the only part of `report/` that reads it."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..series import BurstRule, week_of, week_start
from .period import Period, ReportError, resolve_period
from .sections import (
    CHART_SERIES,
    EXAMPLE_NARRATIVES,
    TOP_CANDIDATES,
    Burst,
    CandidateSection,
    Coordination,
    NarrativeLine,
    Report,
)


def _keywords(value: Any) -> list[str]:
    """Keywords as a list whatever the frame gave (None, NaN, list or array)."""
    return [] if value is None or isinstance(value, float) else [str(k) for k in value]


def _baseline(counts: list[int], index: int, rule: BurstRule) -> float:
    history = counts[max(0, index - rule.window):index]
    return float(statistics.median(history)) if history else 0.0


def build_report(store, *, run_id: str | None = None, week: str | None = None, since: date | None = None,
                 until: date | None = None) -> Report:
    """Gather the report for one run and period from the store."""
    run_id = store.resolve_run(run_id)
    run = store.run_record(run_id)
    first_post, last_post = store.run_post_span(run_id)
    period = resolve_period(week=week, since=since, until=until,
                            default_week=week_of(last_post) if last_post else None,
                            span=(first_post, last_post) if first_post and last_post else None)
    if period.end <= first_post or period.start > last_post:
        raise ReportError(f"report: run {run_id} has no posts in {period.label} (its posts span "
                          f"{week_of(first_post)} to {week_of(last_post)})")
    params = store.track_params(run_id)
    rule = BurstRule(params["burst_k"], params["burst_window"], params["burst_min_count"]) if params else BurstRule()
    weekly = store.weekly(run_id)
    all_weeks = sorted({r["week"] for r in weekly})
    chart_weeks = [w for w in all_weeks if w <= period.weeks[-1]] or all_weeks

    lines = _narrative_lines(store, run_id, period, chart_weeks, weekly, rule)
    active = [n for n in lines if n.posts]
    labels = {n.narrative_id: n.label for n in lines}
    bursts = [b for n in lines for b in _bursts(n.narrative_id, n.label, None, n.series, n.bursts, chart_weeks,
                                                 period, rule)]
    pairs = store.period_candidate_counts(run_id, period.start, period.end)
    candidates = _candidate_sections(store, run_id, period, pairs, labels,
                                     _candidate_bursts(store.weekly(run_id, candidates=True), labels, chart_weeks,
                                                       period, rule))
    heat_rows = [c.candidate_id for c in candidates]
    aimed: dict[str, int] = {}
    for p in pairs:
        if p["candidate_id"] in heat_rows:
            aimed[p["narrative_id"]] = aimed.get(p["narrative_id"], 0) + p["posts"]
    heat_cols = sorted(aimed, key=lambda nid: (-aimed[nid], nid))[:CHART_SERIES]  # most aimed at these candidates
    grid = {(p["candidate_id"], p["narrative_id"]): p["posts"] for p in pairs}
    lineage: dict[str, list[dict[str, Any]]] = {}
    for link in store.lineage(run_id):
        lineage.setdefault(link["relation"], []).append(link)
    return Report(
        run=run, store_path=str(Path(store.path).resolve()), period=period, rule=rule,
        threshold=params["match_threshold"] if params else None, chart_weeks=chart_weeks,
        narratives=active, new=[n for n in active if n.emerged in period.weeks], bursts=bursts,
        heat_rows=heat_rows, heat_cols=heat_cols, heat=[[grid.get((c, n), 0) for n in heat_cols] for c in heat_rows],
        candidates=candidates,
        examples={n.narrative_id: store.representative_posts(run_id, n.narrative_id, period.start, period.end)
                  for n in active[:EXAMPLE_NARRATIVES]},
        accounts=store.active_accounts(run_id, period.start, period.end),
        engagement=store.engagement_summary(run_id, period.start, period.end),
        lineage=lineage, retention=_retention(store, run_id),
        coordination=_coordination(store, run_id, period, labels),
    )


def _coordination(store, run_id: str, period: Period, labels: dict[str, str]) -> Coordination:
    """Groups with evidence posts in the period, and per narrative the share of its period posts whose
    author belongs to one of the run's coordinated groups (narratives with any such post, highest first)."""
    shares = store.coordinated_share(run_id, period.start, period.end)
    rows = [{"narrative_id": r["narrative_id"], "label": labels.get(r["narrative_id"], r["narrative_id"]),
             "posts": int(r["posts"]), "coordinated_posts": int(r["coordinated_posts"]), "share": float(r["share"])}
            for r in shares.to_dict("records") if r["coordinated_posts"]]
    return Coordination(store.coordination_activity(run_id, period.start, period.end), rows)


def _retention(store, run_id: str) -> tuple[str, int, int] | None:
    """How many of the posts the previous run put in a narrative kept that narrative's id in this run
    (over the posts both runs cover)."""
    previous = store.previous_run_id(run_id)
    return (previous, *store.id_retention(previous, run_id)) if previous else None


def _narrative_lines(store, run_id: str, period: Period, chart_weeks: list[str], weekly: list[dict[str, Any]],
                     rule: BurstRule) -> list[NarrativeLine]:
    """Every narrative of the run with its counts in the period and the one before, largest first."""
    by_narrative: dict[str, dict[str, dict[str, Any]]] = {}
    for row in weekly:
        by_narrative.setdefault(row["narrative_id"], {})[row["week"]] = row
    now = store.period_counts(run_id, period.start, period.end)
    n_weeks = len(period.weeks)
    before_weeks = [week_of(week_start(period.weeks[0]) - timedelta(weeks=i)) for i in range(n_weeks, 0, -1)]
    emerged = store.emergence_weeks(run_id, min_posts=rule.min_count)
    relations = {l["narrative_id"]: l["relation"] for l in store.lineage(run_id) if l["relation"] != "dormant"}
    lines = []
    for meta in store.run_narratives(run_id).to_dict("records"):
        if meta.get("kind") == "no_claim":  # handles or hashtags only: nothing is claimed, nothing to report
            continue
        nid = meta["narrative_id"]
        rows = by_narrative.get(nid, {})
        got = now.get(nid, {})
        lines.append(NarrativeLine(
            narrative_id=nid, label=meta["label"], keywords=_keywords(meta.get("keywords")),
            relation=relations.get(nid, meta.get("status") or "new"),
            emerged=emerged.get(nid), posts=int(got.get("posts", 0)),
            previous_posts=sum(rows[w]["posts"] for w in before_weeks if w in rows), authors=int(got.get("authors", 0)),
            likes=int(got.get("likes", 0)), series=[rows[w]["posts"] if w in rows else 0 for w in chart_weeks],
            bursts=[bool(rows[w]["burst"]) if w in rows else False for w in chart_weeks],
            burst_weeks=[w for w in period.weeks if rows.get(w, {}).get("burst")]))
    return sorted(lines, key=lambda n: (-n.posts, n.narrative_id))


def _bursts(narrative_id: str, label: str, candidate_id: str | None, counts: list[int], flags: list[bool],
            chart_weeks: list[str], period: Period, rule: BurstRule) -> list[Burst]:
    """The period's burst weeks of one weekly series (flags as `series` stored them), with their baseline."""
    return [Burst(narrative_id, label, candidate_id, w, counts[i], _baseline(counts, i, rule))
            for i, w in enumerate(chart_weeks) if flags[i] and w in period.weeks]


def _candidate_bursts(rows: list[dict[str, Any]], labels: dict[str, str], chart_weeks: list[str], period: Period,
                      rule: BurstRule) -> dict[str, list[Burst]]:
    """Bursts of each narrative x candidate series in the period, by candidate."""
    series: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for row in rows:
        series.setdefault((row["candidate_id"], row["narrative_id"]), {})[row["week"]] = row
    found: dict[str, list[Burst]] = {}
    for (cid, nid), by_week in sorted(series.items()):
        counts = [by_week[w]["posts"] if w in by_week else 0 for w in chart_weeks]
        flags = [bool(by_week[w]["burst"]) if w in by_week else False for w in chart_weeks]
        found.setdefault(cid, []).extend(_bursts(nid, labels.get(nid, nid), cid, counts, flags, chart_weeks, period,
                                                 rule))
    return found


def _candidate_sections(store, run_id: str, period: Period, pairs: list[dict[str, Any]], labels: dict[str, str],
                        bursts: dict[str, list[Burst]]) -> list[CandidateSection]:
    """The most mentioned candidates of the period: narratives aimed at them, bursts and example posts."""
    totals: dict[str, list[int]] = {}
    for p in pairs:
        t = totals.setdefault(p["candidate_id"], [0, 0])
        t[0] += p["posts"]
        t[1] += p["against"]
    sections = []
    for cid in sorted(totals, key=lambda c: (-totals[c][0], c))[:TOP_CANDIDATES]:
        hits = [dict(p, label=labels.get(p["narrative_id"], p["narrative_id"])) for p in pairs if p["candidate_id"] == cid]
        examples = store.representative_posts(run_id, hits[0]["narrative_id"], period.start, period.end,
                                              candidate_id=cid, limit=2)
        sections.append(CandidateSection(cid, totals[cid][0], totals[cid][1], hits[:5], bursts.get(cid, []), examples))
    return sections
