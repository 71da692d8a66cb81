"""The report's model: the week's sections as plain values, and the sentences both renderers share."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..series import BurstRule
from .period import Period

TOP_NARRATIVES = 10
CHART_SERIES = 8
TOP_CANDIDATES = 8
TOP_GROUPS = 10
EXAMPLE_NARRATIVES = 5
SPARK_WEEKS = 8
POST_CHARS = 280
LOW_ENGAGEMENT_MEDIAN_LIKES = 2

@dataclass
class NarrativeLine:
    """One narrative as the report shows it for the period."""

    narrative_id: str
    label: str
    keywords: list[str]
    relation: str
    emerged: str | None
    posts: int
    previous_posts: int
    authors: int
    likes: int
    series: list[int]
    bursts: list[bool]
    burst_weeks: list[str]

    @property
    def growth(self) -> float | None:
        return None if self.previous_posts == 0 else (self.posts - self.previous_posts) / self.previous_posts

    @property
    def rising_weeks(self) -> int:
        """Consecutive week-on-week increases ending with the last charted week."""
        n = 0
        while n + 1 < len(self.series) and self.series[-1 - n] > self.series[-2 - n]:
            n += 1
        return n


@dataclass
class Burst:
    narrative_id: str
    label: str
    candidate_id: str | None
    week: str
    posts: int
    baseline: float


@dataclass
class CandidateSection:
    candidate_id: str
    posts: int
    against: int
    narratives: list[dict[str, Any]]
    bursts: list[Burst]
    examples: list[dict[str, Any]]


@dataclass
class Coordination:
    """Coordinated groups active in the period and, per narrative, the share of posts from their accounts."""

    groups: list[dict[str, Any]] = field(default_factory=list)  # store.coordination_activity rows
    shares: list[dict[str, Any]] = field(default_factory=list)  # narrative_id, label, posts, coordinated_posts, share

    def sentence(self) -> str:
        if not self.groups:
            return "No coordinated group posted in this period."
        accounts = sum(g["n_accounts"] for g in self.groups)
        kinds = sorted({g["network"] for g in self.groups})
        return (f"{_plural(len(self.groups), 'coordinated group')} ({', '.join(kinds)}; {accounts} accounts) "
                f"posted {sum(g['posts'] for g in self.groups)} evidence posts in this period.")


@dataclass
class Report:
    """Everything the renderers print; plain values only."""

    run: dict[str, Any]
    store_path: str
    period: Period
    rule: BurstRule
    threshold: float | None
    chart_weeks: list[str]
    narratives: list[NarrativeLine]
    new: list[NarrativeLine]
    bursts: list[Burst]
    heat_rows: list[str]
    heat_cols: list[str]
    heat: list[list[int]]
    candidates: list[CandidateSection]
    examples: dict[str, list[dict[str, Any]]]
    accounts: list[dict[str, Any]]
    engagement: dict[str, Any]
    lineage: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    retention: tuple[str, int, int] | None = None  # (previous run, posts that kept their id, posts it assigned)
    coordination: Coordination = field(default_factory=Coordination)

    @property
    def title(self) -> str:
        return f"Narratives report {self.period.label}"

    @property
    def growing(self) -> list[NarrativeLine]:
        """Narratives with at least min_count posts that grew versus the previous period: the longest
        run of weekly rises first (a steady climb says more than one jump), then the fastest."""
        up = [n for n in self.narratives if n.posts >= self.rule.min_count and (n.growth or 0) > 0]
        return sorted(up, key=lambda n: (-n.rising_weeks, -(n.growth or 0), n.narrative_id))

    def summary(self) -> str:
        """The one-line answer to the weekly questions (trusted: counts and the engagement sentence)."""
        return (f"{self.total_posts} posts in {len(self.narratives)} active narratives; {len(self.new)} new, "
                f"{len(self.growing)} growing, {_plural(len(self.bursts), 'burst')}. {self.engagement_sentence()}")

    @property
    def total_posts(self) -> int:
        return sum(n.posts for n in self.narratives)

    def engagement_sentence(self) -> str:
        e = self.engagement
        if not e["posts"]:
            return "No narrative posts in this period."
        if not e["with_counts"]:
            return "The posts carry no engagement counts (the export has none), so engagement is unknown."
        zero = e["zero_engagement"] / e["posts"]
        medians = (f"median likes {_num(e['median_likes'])}, reposts {_num(e['median_reposts'])}, "
                   f"replies {_num(e['median_replies'])}; {zero:.0%} of posts got no likes, reposts or replies")
        if (e["median_likes"] or 0) < LOW_ENGAGEMENT_MEDIAN_LIKES:
            return f"Engagement is low: {medians}. Volume here does not mean reach."
        return f"Posts are being engaged with: {medians}."

def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _rising(line: NarrativeLine) -> str:
    weeks = line.rising_weeks
    return f"; up {_plural(weeks, 'week')} in a row" if weeks > 1 else ""


def _num(value: Any) -> str:
    return "n/a" if value is None else f"{float(value):g}"


# --- shared formatting -------------------------------------------------------------------------------

def _growth(line: NarrativeLine) -> str:
    if line.growth is None:
        return "up from 0" if line.posts else "–"
    return f"{line.growth:+.0%}"


def _methods(report: Report) -> list[tuple[str, str]]:
    """(name, value) pairs of the methods footer; values are trusted (written by the pipeline)."""
    run = report.run
    params = json.dumps(run.get("params") or {}, sort_keys=True)
    return [
        ("run", str(run["run_id"])),
        ("store", report.store_path),
        ("model", " ".join(filter(None, [str(run.get("model")), (run.get("params") or {}).get("model_name")]))),
        ("window", f"{run.get('since') or 'start'} to {run.get('until') or 'end'}"),
        ("seed", str(run.get("seed"))),
        ("run parameters", params),
        ("identity", f"centroid cosine similarity >= {report.threshold}, one-to-one (Hungarian), "
                     "merges/splits when another similarity is also above it" if report.threshold is not None
         else "not tracked"),
        ("bursts", report.rule.describe()),
        ("weeks", "ISO weeks, UTC; growth compares with as many weeks before the period; a run's series "
                  "continues the weekly counts of earlier runs for the same ids"),
    ]


def _post_meta(post: dict[str, Any]) -> tuple[str, str]:
    """(author, detail) of a representative post, both untrusted apart from the numbers."""
    when = post["created_at"].strftime("%Y-%m-%d %H:%M") if post.get("created_at") else "?"
    detail = f"{when} UTC · {post.get('likes') or 0} likes · {post.get('reposts') or 0} reposts"
    return post.get("author_handle") or "?", detail


def _lineage_sentence(report: Report) -> str:
    parts = []
    for relation in ("continuing", "new", "merged", "split", "dormant"):
        links = report.lineage.get(relation, [])
        if not links:
            continue
        if relation in ("merged", "split"):
            detail = ", ".join(f"{l['previous_narrative_id']} -> {l['narrative_id']}" for l in links)
            parts.append(f"{len(links)} {relation} ({detail})")
        elif relation == "dormant":
            parts.append(f"{len(links)} dormant ({', '.join(l['narrative_id'] for l in links)})")
        else:
            parts.append(f"{len(links)} {relation}")
    if not parts:
        return "This run was not tracked."
    sentence = "Compared with earlier runs: " + "; ".join(parts) + "."
    if report.retention and report.retention[2]:
        previous, kept, total = report.retention
        sentence += (f" Of the {total} posts both runs cover that run {previous} put in a narrative, {kept} "
                     f"({kept / total:.1%}) kept its id.")
    return sentence
