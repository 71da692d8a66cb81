"""The explorable report's model: the week's `Report` plus one page per narrative, candidate and
coordinated group, as plain values gathered from the store (the site renderer prints them).

`build_site` is the only function here that reads the store; each page kind has one small gathering
function (`_narrative_pages`, `_candidate_pages`, `_group_pages`) so a new store area (narrative families,
coordination networks) changes one function.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ..stance import STANCES as _KNOWN
from .build import build_report
from .sections import CHART_SERIES, NarrativeLine, Report

STANCES = (*_KNOWN, "unknown")  # the stance model's classes, and mentions it gave none


@dataclass
class Stance:
    """Posts mentioning a candidate and how many are against / favor / neutral / unknown toward them."""

    posts: int = 0
    against: int = 0
    favor: int = 0
    neutral: int = 0
    unknown: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.posts += int(row["posts"])
        for s in STANCES:
            setattr(self, s, getattr(self, s) + int(row.get(s) or 0))


@dataclass
class Engagement:
    """Engagement of a set of posts."""

    posts: int
    likes: int
    reposts: int
    replies: int
    median_likes: float | None
    zero: int  # posts with no likes, reposts or replies

    @classmethod
    def of(cls, posts: list[dict[str, Any]]) -> Engagement:
        likes = [p["likes"] for p in posts if p.get("likes") is not None]
        return cls(len(posts), sum(likes), sum(p.get("reposts") or 0 for p in posts),
                   sum(p.get("replies") or 0 for p in posts), statistics.median(likes) if likes else None,
                   sum(1 for p in posts if not ((p.get("likes") or 0) + (p.get("reposts") or 0)
                                                 + (p.get("replies") or 0))))


@dataclass
class NarrativePage:
    line: NarrativeLine
    parent_id: str | None
    children: list[tuple[str, str, int]]  # sub-narratives: (id, label, posts in the run)
    weeks: list[str]                   # from the first week with posts to the period's last
    series: list[int]
    bursts: list[bool]
    lineage: list[dict[str, Any]]      # lineage rows across runs that name this id
    targets: list[tuple[str, Stance]]  # candidates mentioned in the period's posts, most first
    posts: list[dict[str, Any]]        # every post of the period, oldest first
    examples: list[dict[str, Any]]
    engagement: Engagement
    languages: list[tuple[str, int]]
    platforms: list[tuple[str, int]]
    groups: list[tuple[str, int]]      # coordinated groups among the posts, with how many posts each

    @property
    def coordinated(self) -> int:
        """Posts of the period that are evidence of a coordinated group."""
        return sum(1 for p in self.posts if p.get("groups"))


@dataclass
class CandidatePage:
    candidate_id: str
    stance: Stance                     # the period
    stance_run: Stance                 # every post of the run
    narratives: list[dict[str, Any]]   # narrative_id, label, posts (period), total, first, last, against
    weeks: list[str]
    series: list[tuple[str, list[int]]]  # (narrative id + label, posts per week), most aimed first
    totals: list[int]                  # posts per week mentioning them in any narrative
    examples: list[dict[str, Any]]


@dataclass
class GroupPage:
    group_id: str
    method: str
    first_at: datetime
    last_at: datetime
    accounts: list[tuple[str, int]]    # account, posts in the group
    posts: list[dict[str, Any]]
    narratives: list[tuple[str, int]]
    timeline: list[tuple[str, int]]   # (hour or day bucket, posts)
    in_period: int                     # of its posts, how many fall in the report's period


@dataclass
class Site:
    """Everything the site renderer prints: the week page's report and the pages it opens onto."""

    report: Report
    narratives: dict[str, NarrativePage] = field(default_factory=dict)
    candidates: dict[str, CandidatePage] = field(default_factory=dict)
    groups: dict[str, GroupPage] = field(default_factory=dict)


def build_site(store, *, run_id: str | None = None, week: str | None = None, since: date | None = None,
               until: date | None = None) -> Site:
    """Gather the week page and one page per active narrative, mentioned candidate and coordinated
    group of the period from the store."""
    report = build_report(store, run_id=run_id, week=week, since=since, until=until)
    run_id = str(report.run["run_id"])
    p = report.period
    members = _members(store, run_id)
    posts = store.period_posts(run_id, p.start, p.end)
    for post in posts:
        post["groups"] = members.get((post["platform"], post["post_id"]), [])
    return Site(report=report,
                narratives=_narrative_pages(store, report, posts),
                candidates=_candidate_pages(store, report),
                groups=_group_pages(store, run_id, p.start, p.end, members))


def _members(store, run_id: str) -> dict[tuple[str, str], list[str]]:
    """(platform, post_id) -> the coordinated groups the post is evidence of, from `coordination_members`."""
    found: dict[tuple[str, str], list[str]] = {}
    frame = store.coordination_members(run_id)
    for row in frame[["group_id", "platform", "post_id"]].to_dict("records") if not frame.empty else []:
        groups = found.setdefault((str(row["platform"]), str(row["post_id"])), [])
        if row["group_id"] not in groups:
            groups.append(str(row["group_id"]))
    return {k: sorted(v) for k, v in found.items()}


def _counted(values) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))


def _since_first(weeks: list[str], series: list[int], bursts: list[bool]):
    first = next((i for i, v in enumerate(series) if v), len(series) - 1 if series else 0)
    return weeks[first:], series[first:], bursts[first:]


def _narrative_pages(store, report: Report, posts: list[dict[str, Any]]) -> dict[str, NarrativePage]:
    run_id, p = str(report.run["run_id"]), report.period
    family = _families(store, run_id)
    parents = {nid: parent for nid, (parent, _, _) in family.items() if parent}
    by_narrative: dict[str, list[dict[str, Any]]] = {}
    for post in posts:
        by_narrative.setdefault(post["narrative_id"], []).append(post)
    targets: dict[str, list[tuple[str, Stance]]] = {}
    for row in store.target_stances(run_id, p.start, p.end):
        stance = Stance()
        stance.add(row)
        targets.setdefault(row["narrative_id"], []).append((row["candidate_id"], stance))
    lineage: dict[str, list[dict[str, Any]]] = {}
    for row in store.lineage_history(run_id):
        for nid in {row["narrative_id"], row["previous_narrative_id"]} - {None}:
            lineage.setdefault(nid, []).append(row)
    pages = {}
    for line in report.narratives:
        nid = line.narrative_id
        mine = by_narrative.get(nid, [])
        weeks, series, bursts = _since_first(report.chart_weeks, line.series, line.bursts)
        pages[nid] = NarrativePage(
            line=line, parent_id=parents.get(nid),
            children=[(k, family[k][1], family[k][2]) for k in sorted(parents) if parents[k] == nid and k != nid],
            weeks=weeks, series=series, bursts=bursts, lineage=lineage.get(nid, []),
            targets=targets.get(nid, []), posts=mine,
            examples=store.representative_posts(run_id, nid, p.start, p.end, limit=3),
            engagement=Engagement.of(mine), languages=_counted(post.get("lang") or "?" for post in mine),
            platforms=_counted(post["platform"] for post in mine),
            groups=_counted(g for post in mine for g in post.get("groups", [])))
    return pages


def _families(store, run_id: str) -> dict[str, tuple[str | None, str, int]]:
    """narrative_id -> (parent_id, label, posts in the run) for every narrative of the run, sub-narratives
    included, where the store records narrative families (a `parent_id` column); else {}."""
    try:
        meta = store.run_narratives(run_id, children=True)  # a store with families lists sub-narratives
    except TypeError:
        meta = store.run_narratives(run_id)
    if "parent_id" not in meta.columns:
        return {}
    return {str(r["narrative_id"]): (r["parent_id"] if isinstance(r["parent_id"], str) and r["parent_id"] else None,
                                     str(r["label"]), int(r["n_posts"]))
            for r in meta[["narrative_id", "parent_id", "label", "n_posts"]].to_dict("records")}


def _candidate_pages(store, report: Report) -> dict[str, CandidatePage]:
    """A page for every candidate mentioned in the period's narrative posts."""
    run_id, p = str(report.run["run_id"]), report.period
    labels = {n.narrative_id: n.label for n in report.narratives}
    period: dict[str, dict[str, dict[str, Any]]] = {}
    for row in store.target_stances(run_id, p.start, p.end):
        period.setdefault(row["candidate_id"], {})[row["narrative_id"]] = row
    whole: dict[str, Stance] = {}
    for row in store.target_stances(run_id):
        whole.setdefault(row["candidate_id"], Stance()).add(row)
    weekly: dict[str, dict[str, dict[str, int]]] = {}
    for row in store.weekly(run_id, candidates=True):
        if row["week"] <= p.weeks[-1] and row["posts"]:  # the weekly table also holds the empty weeks
            weekly.setdefault(row["candidate_id"], {}).setdefault(row["narrative_id"], {})[row["week"]] = row["posts"]
    pages = {}
    for cid in sorted(period, key=lambda c: (-sum(r["posts"] for r in period[c].values()), c)):
        by_narrative = weekly.get(cid, {})
        weeks = sorted({w for counts in by_narrative.values() for w in counts})
        rows = []
        for nid, counts in by_narrative.items():
            got = period[cid].get(nid, {})
            rows.append({"narrative_id": nid, "label": labels.get(nid, nid), "posts": int(got.get("posts", 0)),
                         "against": int(got.get("against", 0)), "total": sum(counts.values()),
                         "first": min(counts), "last": max(counts)})
        for nid, got in period[cid].items():  # mentioned this period but absent from the weekly table
            if nid not in by_narrative:
                rows.append({"narrative_id": nid, "label": labels.get(nid, nid), "posts": int(got["posts"]),
                             "against": int(got["against"]), "total": int(got["posts"]), "first": p.weeks[0],
                             "last": p.weeks[-1]})
        rows.sort(key=lambda r: (-r["posts"], -r["total"], r["narrative_id"]))
        stance = Stance()
        for row in period[cid].values():
            stance.add(row)
        top = sorted(by_narrative, key=lambda n: (-sum(by_narrative[n].values()), n))[:CHART_SERIES - 1]
        examples = store.representative_posts(run_id, rows[0]["narrative_id"], p.start, p.end, candidate_id=cid,
                                              limit=3) if rows else []
        pages[cid] = CandidatePage(
            candidate_id=cid, stance=stance, stance_run=whole.get(cid, stance), narratives=rows, weeks=weeks,
            series=[(f"{n} {labels.get(n, '')}".strip(), [by_narrative[n].get(w, 0) for w in weeks]) for n in top],
            totals=[sum(c.get(w, 0) for c in by_narrative.values()) for w in weeks], examples=examples)
    return pages


def _group_pages(store, run_id: str, start: datetime, end: datetime,
                 members: dict[tuple[str, str], list[str]]) -> dict[str, GroupPage]:
    """A page per coordinated group of the run with an evidence post in [start, end): the group's row of
    `coordination_groups` (group_id, first_at, last_at, and its method or network) and its member posts.
    The one place to adapt when coordination records more."""
    groups = store.coordination_groups(run_id)
    if groups.empty:
        return {}
    by_group: dict[str, list[dict[str, Any]]] = {}
    for post in store.posts_by_key(run_id, sorted(members)):
        for gid in members[(post["platform"], post["post_id"])]:
            by_group.setdefault(gid, []).append(post)
    pages = {}
    for g in groups.to_dict("records"):
        gid = str(g["group_id"])
        posts = by_group.get(gid, [])
        in_period = sum(1 for post in posts if start <= post["created_at"] < end)
        if not in_period:
            continue
        first, last = g["first_at"], g["last_at"]
        pages[gid] = GroupPage(
            group_id=gid, method=str(g.get("method") or g.get("network") or "?"), first_at=first, last_at=last,
            accounts=_counted(post["author"] or "?" for post in posts), posts=posts,
            narratives=_counted(post["narrative_id"] for post in posts if post.get("narrative_id")),
            timeline=_timeline([post["created_at"] for post in posts], first, last), in_period=in_period)
    return pages


def _timeline(times: list[datetime], first: datetime, last: datetime) -> list[tuple[str, int]]:
    """Posts per hour (a span of two days or less) or per day, every bucket from first to last."""
    hourly = last - first <= timedelta(days=2)
    fmt, step = ("%Y-%m-%d %Hh", timedelta(hours=1)) if hourly else ("%Y-%m-%d", timedelta(days=1))
    counts = Counter(t.strftime(fmt) for t in times)
    t = first.replace(minute=0, second=0, microsecond=0)
    if not hourly:
        t = t.replace(hour=0)
    timeline = []
    while t <= last:
        timeline.append((t.strftime(fmt), counts.get(t.strftime(fmt), 0)))
        t += step
    return timeline
