"""The report as one self-contained HTML page (inline SVG charts, strict CSP, no scripts), and the week
page of the report site (the same page, its ids linked to their pages)."""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from .. import charts
from .escape import _h, clean_text
from .sections import (
    CHART_SERIES,
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

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
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


Link = Callable[[str, str], "str | None"]  # (kind, id) -> relative href of its page, or None


def csp(script: str | None = None) -> str:
    """The Content-Security-Policy: nothing loads; inline styles; one inline script only by its hash."""
    if script is None:
        return _CSP
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return _CSP.replace("default-src 'none';", f"default-src 'none'; script-src 'sha256-{digest}';")


def page_head(title: str, *, script: str | None = None, style: str = "") -> list[str]:
    """The opening of every page: charset, CSP, no referrer, viewport, title and style."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp(script), quote=True)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}{style}</style></head><body>",
    ]


def linked(link: Link | None, kind: str, item_id: str, inner: str) -> str:
    """`inner` (already HTML) as a link to the page of (kind, id) when `link` knows one."""
    href = link(kind, item_id) if link else None
    return f'<a href="{html.escape(href, quote=True)}">{inner}</a>' if href else inner


def render_html(report: Report, *, link: Link | None = None, appendix: str = "", script: str | None = None,
                style: str = "", nav: str = "") -> str:
    """The report as one self-contained HTML page. For the report site, `link` maps (kind, id) to the
    relative href of a narrative, candidate or group page, `appendix` (trusted HTML) is added before
    the methods, and `script` (trusted, allowed by its hash) runs at the end of the page."""
    p = report.period

    def nid(narrative_id: str) -> str:
        return linked(link, "narrative", narrative_id, html.escape(narrative_id))

    def cid(candidate_id: str) -> str:
        return linked(link, "candidate", candidate_id, _h(candidate_id))

    out = [
        *page_head(report.title, script=script, style=style), *([nav] if nav else []),
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
                f"<tr><td class=\"id\">{nid(n.narrative_id)}</td><td>{_h(n.label, 120)}{tag}"
                f'<div class="muted">{_h(", ".join(n.keywords[:8]), 160)}</div></td>'
                f"<td>{html.escape(n.relation)}</td><td class=\"num\">{n.posts}</td>"
                f'<td class="num">{html.escape(_growth(n))}</td><td class="num">{n.authors}</td>'
                f'<td class="num">{n.likes}</td>'
                f"<td>{charts.sparkline(n.series[-SPARK_WEEKS:], n.bursts[-SPARK_WEEKS:])}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>No narrative posts in this period.</p>")

    out.append("<h2>New narratives</h2>")
    out.append(_html_list([f"<strong>{nid(n.narrative_id)}</strong> {_h(n.label, 120)}: first seen "
                           f"{html.escape(n.emerged or '?')}, {n.posts} posts; keywords "
                           f"{_h(', '.join(n.keywords[:8]), 160)}"
                           for n in report.new], "No narrative appeared for the first time in this period."))
    out.append("<h2>Growing</h2>")
    out.append(_html_list([f"<strong>{nid(n.narrative_id)}</strong> {_h(n.label, 120)}: {n.posts} posts, "
                           f"{html.escape(_growth(n))} on the previous period{_rising(n)}"
                           for n in report.growing[:TOP_NARRATIVES]],
                          "No narrative with enough posts grew in this period."))
    out.append("<h2>Bursts</h2>")
    out.append(f'<p class="muted">{html.escape(report.rule.describe())}.</p>')
    out.append(_html_list([f"<strong>{nid(b.narrative_id)}</strong> {_h(b.label, 120)}: {b.posts} posts in "
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
        out.append(f"<h3>{cid(c.candidate_id)}</h3><p>{c.posts} narrative posts mention them; "
                   f"{c.against} ({c.against / c.posts:.0%}) against.</p>")
        out.append("<table><tr><th>narrative</th><th class=\"num\">posts</th><th class=\"num\">against</th></tr>")
        out += [f"<tr><td>{nid(h['narrative_id'])} {_h(h['label'], 100)}</td><td class=\"num\">{h['posts']}"
                f"</td><td class=\"num\">{h['against']}</td></tr>" for h in c.narratives]
        out.append("</table>")
        if c.bursts:
            out.append(_html_list([f'<span class="burst-tag">burst</span> {nid(b.narrative_id)} '
                                   f"{_h(b.label, 80)}: {b.posts} posts in {html.escape(b.week)} (trailing median "
                                   f"{b.baseline:g})" for b in c.bursts], ""))
        out += [_html_post(post) for post in c.examples]

    out.append("<h2>Representative posts</h2>")
    for n in report.narratives[:EXAMPLE_NARRATIVES]:
        out.append(f"<h3>{nid(n.narrative_id)} {_h(n.label, 120)}</h3>")
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

    out += _html_coordination(report)
    out.append("<h2>Engagement</h2>")
    out.append(f"<p>{html.escape(report.engagement_sentence())}</p>")
    out.append("<h2>Identity across runs</h2>")
    out.append(f"<p>{html.escape(_lineage_sentence(report))}</p>")
    out.append(appendix)
    out.append("<footer><h2>Methods</h2><table>")
    out += [f"<tr><td>{html.escape(k)}</td><td>{_h(v)}</td></tr>" for k, v in _methods(report)]
    out.append("</table></footer>")
    out.append(f"<script>{script}</script></body></html>" if script else "</body></html>")
    return "\n".join(out) + "\n"


def _html_coordination(report: Report) -> list[str]:
    c = report.coordination
    out = ["<h2>Coordination</h2>", f"<p>{html.escape(c.sentence())}</p>"]
    if c.groups:
        out.append('<table><tr><th>group</th><th>network</th><th class="num">accounts</th><th class="num">posts</th>'
                   "<th>first</th><th>last</th><th>narratives</th><th>targets</th></tr>")
        out += [f"<tr><td class=\"id\">{_h(g['group_id'])}</td><td>{html.escape(g['network'])}</td>"
                f"<td class=\"num\">{g['n_accounts']}</td><td class=\"num\">{g['posts']}</td>"
                f"<td>{g['first_at']:%Y-%m-%d %H:%M}</td><td>{g['last_at']:%Y-%m-%d %H:%M}</td>"
                f"<td>{_h(', '.join(g['narratives'][:4]))}</td><td>{_h(', '.join(g['candidates'][:4]))}</td></tr>"
                for g in c.groups[:TOP_GROUPS]]
        out.append("</table>")
    if c.shares:
        out.append("<p>Share of each narrative's posts in this period from accounts in a coordinated group:</p>")
        out.append('<table><tr><th>narrative</th><th class="num">posts</th>'
                   '<th class="num">from coordinated accounts</th><th class="num">share</th></tr>')
        out += [f"<tr><td>{html.escape(s['narrative_id'])} {_h(s['label'], 100)}</td><td class=\"num\">{s['posts']}</td>"
                f"<td class=\"num\">{s['coordinated_posts']}</td><td class=\"num\">{s['share']:.0%}</td></tr>"
                for s in c.shares]
        out.append("</table>")
    return out


def _html_list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p>{html.escape(empty)}</p>" if empty else ""
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _html_post(post: dict[str, Any]) -> str:
    author, detail = _post_meta(post)
    return (f"<blockquote>{_h(post['text'], POST_CHARS)}<div class=\"muted\">— @{_h(author, 60)} · "
            f"{html.escape(detail)}</div></blockquote>")
