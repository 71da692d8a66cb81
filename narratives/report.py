"""The weekly report: what is new, what is growing, who is being hit, is anyone engaging.

Built only from the store (one run's narratives, assignments, mentions, lineage and weekly series),
as one self-contained HTML file (inline SVG charts, a strict Content-Security-Policy, no scripts)
and the same content as Markdown. Post text, handles, labels and keywords come from the adversary:
every such string goes through `_h` (HTML) or `_md` (Markdown), which strip bidi overrides and
invisible characters and escape markup, so injected HTML, Markdown or links render as inert text.
"""

from __future__ import annotations

import html
import json
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import charts
from .errors import NarrativesError
from .series import BurstRule, burst_flags, week_of, week_range, week_start

TOP_NARRATIVES = 10
CHART_SERIES = 8
TOP_CANDIDATES = 8
EXAMPLE_NARRATIVES = 5
SPARK_WEEKS = 8
POST_CHARS = 280
LOW_ENGAGEMENT_MEDIAN_LIKES = 2

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
# Bidi embeddings/overrides/isolates, zero-width space/no-break, word joiner, and C0/C1 controls
# except tab and newline. ZWJ/ZWNJ stay: scripts and emoji need them.
_UNSAFE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u200e\u200f\u061c"
                     "\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>#|!~&])")
_URL_SCHEME = re.compile(r"(?i)(h)tt(ps?)(:/+)")  # no \b: "_http://x" must be defanged too
_WWW = re.compile(r"(?i)www\.")


class ReportError(NarrativesError):
    """The store has nothing to report for the requested run or period."""


# --- escaping ----------------------------------------------------------------------------------------

def clean_text(text: object, limit: int | None = None) -> str:
    """Untrusted text made safe to lay out: NFC, no bidi overrides or invisible characters, one line."""
    text = unicodedata.normalize("NFC", "" if text is None else str(text))
    text = " ".join(_UNSAFE.sub("", text).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _h(text: object, limit: int | None = None) -> str:
    """Untrusted text as HTML: escaped (attributes too) and isolated from the surrounding direction."""
    return f"<bdi>{html.escape(clean_text(text, limit), quote=True)}</bdi>"


def md_escape(text: object, limit: int | None = None) -> str:
    """Untrusted text as Markdown: URLs defanged (hxxp://, www[.]) so nothing is auto-linked, and every
    character Markdown or HTML could act on is backslash-escaped."""
    text = _WWW.sub("www[.]", _URL_SCHEME.sub(r"\1xx\2\3", clean_text(text, limit)))
    return _MD_SPECIAL.sub(r"\\\1", text)


# --- content -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, the ISO weeks it touches, and how to call it."""

    start: datetime
    end: datetime
    label: str
    weeks: list[str]


def resolve_period(*, week: str | None = None, since: date | None = None, until: date | None = None,
                   default_week: str | None = None) -> Period:
    """`--week`, or `--since/--until` (until inclusive), or the default week (the run's last)."""
    if week and (since or until):
        raise NarrativesError("report: give either --week or --since/--until, not both")
    if since or until:
        if not (since and until):
            raise NarrativesError("report: --since and --until go together")
        if until < since:
            raise NarrativesError(f"report: --until {until} is before --since {since}")
        start = datetime.combine(since, datetime.min.time())
        end = datetime.combine(until, datetime.min.time()) + timedelta(days=1)
        return Period(start, end, f"{since.isoformat()} to {until.isoformat()}",
                      week_range(week_of(start), week_of(end - timedelta(seconds=1))))
    week = week or default_week
    if week is None:
        raise ReportError("report: the run has no posts, so there is no week to report")
    start = week_start(week)
    return Period(start, start + timedelta(weeks=1), week.upper(), [week.upper()])


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
                            default_week=week_of(last_post) if last_post else None)
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
    bursts = [b for n in lines for b in _bursts(n.narrative_id, n.label, None, n.series, chart_weeks, period, rule)]
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
    )


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


def _bursts(narrative_id: str, label: str, candidate_id: str | None, counts: list[int], chart_weeks: list[str],
            period: Period, rule: BurstRule) -> list[Burst]:
    """The period's burst weeks of one weekly series (recomputed with the run's stored rule)."""
    flags = burst_flags(counts, rule)
    return [Burst(narrative_id, label, candidate_id, w, counts[i], _baseline(counts, i, rule))
            for i, w in enumerate(chart_weeks) if flags[i] and w in period.weeks]


def _candidate_bursts(rows: list[dict[str, Any]], labels: dict[str, str], chart_weeks: list[str], period: Period,
                      rule: BurstRule) -> dict[str, list[Burst]]:
    """Bursts of each narrative x candidate series in the period, by candidate."""
    series: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        series.setdefault((row["candidate_id"], row["narrative_id"]), {})[row["week"]] = row["posts"]
    found: dict[str, list[Burst]] = {}
    for (cid, nid), by_week in sorted(series.items()):
        counts = [by_week.get(w, 0) for w in chart_weeks]
        found.setdefault(cid, []).extend(_bursts(nid, labels.get(nid, nid), cid, counts, chart_weeks, period, rule))
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


# --- HTML --------------------------------------------------------------------------------------------

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;
color:#222;padding:0 16px;overflow-wrap:anywhere;word-break:break-word}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;table-layout:auto}td,th{border-bottom:1px solid #eee;padding:4px 6px;
text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f6f6f6}
.num{text-align:right;white-space:nowrap}.id{white-space:nowrap}.muted{color:#666}
.burst-tag{color:#d62728;font-weight:600}
blockquote{margin:6px 0;padding:6px 10px;border-left:3px solid #ccc;background:#fafafa;overflow-wrap:anywhere}
svg text{font:11px sans-serif}svg .chart-title{font-weight:600;font-size:12px}.chart{max-width:100%;height:auto}
.lead{font-size:15px}footer{margin-top:32px;font-size:12px;color:#555}footer td{border:0;padding:2px 6px}
"""


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    p = report.period
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(_CSP, quote=True)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(report.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1>",
        f'<p class="muted">{p.start:%Y-%m-%d} to {(p.end - timedelta(seconds=1)):%Y-%m-%d} (UTC) · run '
        f"{html.escape(str(report.run['run_id']))}</p>",
        f'<p class="lead">{html.escape(report.summary())}</p>',
    ]
    top = report.narratives[:CHART_SERIES]
    shown = report.narratives[:TOP_NARRATIVES]
    if top and report.chart_weeks:
        weeks = report.chart_weeks
        first = weeks.index(p.weeks[0]) if p.weeks[0] in weeks else 0
        last = weeks.index(p.weeks[-1]) if p.weeks[-1] in weeks else len(weeks) - 1
        out.append("<h2>Volume over time</h2>")
        out.append(charts.line_chart(report.chart_weeks, [(f"{n.narrative_id} {clean_text(n.label, 40)}", n.series,
                                                           n.bursts) for n in top], highlight=(first, last)))
    out.append("<h2>Top narratives</h2>")
    if shown:
        out.append('<table><tr><th>id</th><th>narrative</th><th>vs earlier runs</th><th class="num">posts</th>'
                   '<th class="num">growth</th><th class="num">authors</th><th class="num">likes</th>'
                   f"<th>last {SPARK_WEEKS} weeks</th></tr>")
        for n in shown:
            tag = ' <span class="burst-tag">burst</span>' if n.burst_weeks else ""
            out.append(
                f"<tr><td class=\"id\">{html.escape(n.narrative_id)}</td><td>{_h(n.label, 120)}{tag}"
                f'<div class="muted">{_h(", ".join(n.keywords[:8]), 160)}</div></td>'
                f"<td>{html.escape(n.relation)}</td><td class=\"num\">{n.posts}</td>"
                f'<td class="num">{html.escape(_growth(n))}</td><td class="num">{n.authors}</td>'
                f'<td class="num">{n.likes}</td>'
                f"<td>{charts.sparkline(n.series[-SPARK_WEEKS:], n.bursts[-SPARK_WEEKS:])}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>No narrative posts in this period.</p>")

    out.append("<h2>New narratives</h2>")
    out.append(_html_list([f"<strong>{html.escape(n.narrative_id)}</strong> {_h(n.label, 120)}: first seen "
                           f"{html.escape(n.emerged or '?')}, {n.posts} posts; keywords "
                           f"{_h(', '.join(n.keywords[:8]), 160)}"
                           for n in report.new], "No narrative appeared for the first time in this period."))
    out.append("<h2>Growing</h2>")
    out.append(_html_list([f"<strong>{html.escape(n.narrative_id)}</strong> {_h(n.label, 120)}: {n.posts} posts, "
                           f"{html.escape(_growth(n))} on the previous period{_rising(n)}"
                           for n in report.growing[:TOP_NARRATIVES]],
                          "No narrative with enough posts grew in this period."))
    out.append("<h2>Bursts</h2>")
    out.append(f'<p class="muted">{html.escape(report.rule.describe())}.</p>')
    out.append(_html_list([f"<strong>{html.escape(b.narrative_id)}</strong> {_h(b.label, 120)}: {b.posts} posts in "
                           f"{html.escape(b.week)} (trailing median {b.baseline:g})" for b in report.bursts],
                          "No burst in this period."))

    out.append("<h2>Who is being hit</h2>")
    if report.heat_rows and report.heat_cols:
        label_of = {n.narrative_id: clean_text(n.label) for n in report.narratives}
        out.append(charts.heatmap(report.heat_rows, [f"{c} {label_of.get(c, '')}" for c in report.heat_cols],
                                  report.heat))
    else:
        out.append("<p>No candidate mentions in this period's narrative posts.</p>")
    for c in report.candidates:
        out.append(f"<h3>{_h(c.candidate_id)}</h3><p>{c.posts} narrative posts mention them; "
                   f"{c.against} ({c.against / c.posts:.0%}) against.</p>")
        out.append("<table><tr><th>narrative</th><th class=\"num\">posts</th><th class=\"num\">against</th></tr>")
        out += [f"<tr><td>{html.escape(h['narrative_id'])} {_h(h['label'], 100)}</td><td class=\"num\">{h['posts']}"
                f"</td><td class=\"num\">{h['against']}</td></tr>" for h in c.narratives]
        out.append("</table>")
        if c.bursts:
            out.append(_html_list([f'<span class="burst-tag">burst</span> {html.escape(b.narrative_id)} '
                                   f"{_h(b.label, 80)}: {b.posts} posts in {html.escape(b.week)} (trailing median "
                                   f"{b.baseline:g})" for b in c.bursts], ""))
        out += [_html_post(post) for post in c.examples]

    out.append("<h2>Representative posts</h2>")
    for n in report.narratives[:EXAMPLE_NARRATIVES]:
        out.append(f"<h3>{html.escape(n.narrative_id)} {_h(n.label, 120)}</h3>")
        out += [_html_post(post) for post in report.examples.get(n.narrative_id, [])]

    out.append("<h2>Most active accounts</h2>")
    if report.accounts:
        out.append('<table><tr><th>account</th><th class="num">posts</th><th class="num">narratives</th>'
                   '<th class="num">likes</th></tr>')
        out += [f"<tr><td>{_h(a['author'], 80)}</td><td class=\"num\">{a['posts']}</td>"
                f"<td class=\"num\">{a['narratives']}</td><td class=\"num\">{a['likes']}</td></tr>"
                for a in report.accounts]
        out.append("</table>")
    else:
        out.append("<p>No accounts posted narrative content in this period.</p>")

    out.append("<h2>Engagement</h2>")
    out.append(f"<p>{html.escape(report.engagement_sentence())}</p>")
    out.append("<h2>Identity across runs</h2>")
    out.append(f"<p>{html.escape(_lineage_sentence(report))}</p>")
    out.append("<footer><h2>Methods</h2><table>")
    out += [f"<tr><td>{html.escape(k)}</td><td>{_h(v)}</td></tr>" for k, v in _methods(report)]
    out.append("</table></footer></body></html>")
    return "\n".join(out) + "\n"


def _html_list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p>{html.escape(empty)}</p>" if empty else ""
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _html_post(post: dict[str, Any]) -> str:
    author, detail = _post_meta(post)
    return (f"<blockquote>{_h(post['text'], POST_CHARS)}<div class=\"muted\">— @{_h(author, 60)} · "
            f"{html.escape(detail)}</div></blockquote>")


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


# --- Markdown ----------------------------------------------------------------------------------------

def render_markdown(report: Report) -> str:
    """The report as Markdown (same content; sparklines as block characters instead of SVG)."""
    p = report.period
    out = [f"# {report.title}", "",
           f"{p.start:%Y-%m-%d} to {(p.end - timedelta(seconds=1)):%Y-%m-%d} (UTC) · run {md_escape(report.run['run_id'])}", "",
           md_escape(report.summary()), "",
           "## Top narratives", ""]
    if report.narratives:
        out += [f"| id | narrative | vs earlier runs | posts | growth | authors | likes | last {SPARK_WEEKS} weeks |",
                "|---|---|---|---:|---:|---:|---:|---|"]
        out += [f"| {n.narrative_id} | {md_escape(n.label, 120)}{' **burst**' if n.burst_weeks else ''} "
                f"<br>{md_escape(', '.join(n.keywords[:8]), 160)} | {n.relation} | {n.posts} | {md_escape(_growth(n))} | "
                f"{n.authors} | {n.likes} | {charts.spark_text(n.series[-SPARK_WEEKS:])} |"
                for n in report.narratives[:TOP_NARRATIVES]]
    else:
        out.append("No narrative posts in this period.")
    out += ["", "## New narratives", ""]
    out += [f"- **{n.narrative_id}** {md_escape(n.label, 120)}: first seen {md_escape(n.emerged or '?')}, {n.posts} posts; "
            f"keywords {md_escape(', '.join(n.keywords[:8]), 160)}" for n in report.new] or \
        ["No narrative appeared for the first time in this period."]
    out += ["", "## Growing", ""]
    out += [f"- **{n.narrative_id}** {md_escape(n.label, 120)}: {n.posts} posts, {md_escape(_growth(n))} on the previous period"
            f"{_rising(n)}" for n in report.growing[:TOP_NARRATIVES]] or \
        ["No narrative with enough posts grew in this period."]
    out += ["", "## Bursts", "", f"Rule: {md_escape(report.rule.describe())}.", ""]
    out += [f"- **{b.narrative_id}** {md_escape(b.label, 120)}: {b.posts} posts in {b.week} (trailing median {b.baseline:g})"
            for b in report.bursts] or ["No burst in this period."]
    out += ["", "## Who is being hit", ""]
    if report.heat_rows and report.heat_cols:
        out += ["| candidate | " + " | ".join(report.heat_cols) + " |", "|---|" + "---:|" * len(report.heat_cols)]
        out += [f"| {md_escape(c)} | " + " | ".join(str(v) for v in row) + " |" for c, row in zip(report.heat_rows, report.heat)]
    else:
        out.append("No candidate mentions in this period's narrative posts.")
    for c in report.candidates:
        out += ["", f"### {md_escape(c.candidate_id)}", "",
                f"{c.posts} narrative posts mention them; {c.against} ({c.against / c.posts:.0%}) against.", "",
                "| narrative | posts | against |", "|---|---:|---:|"]
        out += [f"| {h['narrative_id']} {md_escape(h['label'], 100)} | {h['posts']} | {h['against']} |" for h in c.narratives]
        if c.bursts:
            out.append("")
            out += [f"- **burst** {b.narrative_id} {md_escape(b.label, 80)}: {b.posts} posts in {b.week} "
                    f"(trailing median {b.baseline:g})" for b in c.bursts]
        for post in c.examples:
            out += ["", _md_post(post)]
    out += ["", "## Representative posts"]
    for n in report.narratives[:EXAMPLE_NARRATIVES]:
        out += ["", f"### {n.narrative_id} {md_escape(n.label, 120)}"]
        for post in report.examples.get(n.narrative_id, []):
            out += ["", _md_post(post)]
    out += ["", "## Most active accounts", ""]
    if report.accounts:
        out += ["| account | posts | narratives | likes |", "|---|---:|---:|---:|"]
        out += [f"| {md_escape(a['author'], 80)} | {a['posts']} | {a['narratives']} | {a['likes']} |" for a in report.accounts]
    else:
        out.append("No accounts posted narrative content in this period.")
    out += ["", "## Engagement", "", md_escape(report.engagement_sentence()), "",
            "## Identity across runs", "", md_escape(_lineage_sentence(report)), "", "## Methods", ""]
    out += [f"- {md_escape(k)}: {md_escape(v)}" for k, v in _methods(report)]
    return "\n".join(out) + "\n"


def _md_post(post: dict[str, Any]) -> str:
    author, detail = _post_meta(post)
    return f"> {md_escape(post['text'], POST_CHARS)}  \n> — @{md_escape(author, 60)} · {md_escape(detail)}"


# --- files -------------------------------------------------------------------------------------------

def write_report(store, *, out_dir: Path | None = None, run_id: str | None = None, week: str | None = None,
                 since: date | None = None, until: date | None = None,
                 formats: tuple[str, ...] = ("html", "md")) -> list[Path]:
    """Build the report and write it as `narratives-<period>.html/.md` (default: `reports/` beside the store)."""
    unknown = set(formats) - {"html", "md"}
    if unknown:
        raise NarrativesError(f"report: unknown format(s) {sorted(unknown)}; use html, md or both")
    report = build_report(store, run_id=run_id, week=week, since=since, until=until)
    out_dir = Path(out_dir) if out_dir is not None else Path(store.path).resolve().parent / "reports"
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = "narratives-" + report.period.label.replace(" to ", "_")
    written = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        path.write_text(render_html(report) if fmt == "html" else render_markdown(report), encoding="utf-8")
        written.append(path)
    return written
