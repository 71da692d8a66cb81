"""The report as Markdown: the same sections, sparklines as block characters instead of SVG."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .. import charts
from .escape import md_escape
from .sections import (
    EXAMPLE_NARRATIVES,
    POST_CHARS,
    SPARK_WEEKS,
    TOP_GROUPS,
    TOP_NARRATIVES,
    Report,
    _growth,
    _lineage_sentence,
    _methods,
    _post_meta,
    _rising,
)


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
    out += _md_coordination(report)
    out += ["", "## Engagement", "", md_escape(report.engagement_sentence()), "",
            "## Identity across runs", "", md_escape(_lineage_sentence(report)), "", "## Methods", ""]
    out += [f"- {md_escape(k)}: {md_escape(v)}" for k, v in _methods(report)]
    return "\n".join(out) + "\n"


def _md_coordination(report: Report) -> list[str]:
    c = report.coordination
    out = ["", "## Coordination", "", md_escape(c.sentence())]
    if c.groups:
        out += ["", "| group | network | accounts | posts | first | last | narratives | targets |",
                "|---|---|---:|---:|---|---|---|---|"]
        out += [f"| {md_escape(g['group_id'])} | {g['network']} | {g['n_accounts']} | {g['posts']} | "
                f"{g['first_at']:%Y-%m-%d %H:%M} | {g['last_at']:%Y-%m-%d %H:%M} | "
                f"{md_escape(', '.join(g['narratives'][:4]))} | {md_escape(', '.join(g['candidates'][:4]))} |"
                for g in c.groups[:TOP_GROUPS]]
    if c.shares:
        out += ["", "Share of each narrative's posts in this period from accounts in a coordinated group:", "",
                "| narrative | posts | from coordinated accounts | share |", "|---|---:|---:|---:|"]
        out += [f"| {s['narrative_id']} {md_escape(s['label'], 100)} | {s['posts']} | {s['coordinated_posts']} | "
                f"{s['share']:.0%} |" for s in c.shares]
    return out


def _md_post(post: dict[str, Any]) -> str:
    author, detail = _post_meta(post)
    return f"> {md_escape(post['text'], POST_CHARS)}  \n> — @{md_escape(author, 60)} · {md_escape(detail)}"
