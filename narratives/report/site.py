"""The explorable report: a small static site of self-contained pages (no server, no network).

`index.html` is the week page (the report, its narratives, candidates and groups linked); under it
`narratives/`, `candidates/` and `groups/` hold one page per item. Links are relative, so the folder works
from `file://` and when zipped; file names come from ids through `page_path` (a hostile id cannot leave
its folder or collide with another). Every page carries the same strict CSP: nothing loads; the only
script is `SCRIPT` (a table filter and sort), allowed by its sha256 hash. All untrusted text goes
through `escape._h`.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .. import charts
from ..errors import ParameterError
from .escape import _h, clean_text
from .html import linked, page_head, render_html
from .markdown import render_markdown
from .output import write_pages
from .pages import STANCES, CandidatePage, GroupPage, NarrativePage, Site, Stance, build_site
from .sections import POST_CHARS, _growth, _post_meta

FOLDERS = {"narrative": "narratives", "candidate": "candidates", "group": "groups"}
FULL_POST_CHARS = 2000
OPEN_ROWS = 50  # longer post tables start collapsed

# Filter box and click-to-sort headers for every table.long; static, so one hash allows it on every page.
SCRIPT = """document.querySelectorAll("table.long").forEach(function (t) {
  var body = t.tBodies[0], rows = function () { return Array.prototype.slice.call(body.rows); };
  var box = document.createElement("input");
  box.type = "search"; box.className = "filter"; box.placeholder = "Filter these rows";
  t.parentNode.insertBefore(box, t);
  box.addEventListener("input", function () {
    var q = box.value.toLowerCase();
    rows().forEach(function (r) { r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0; });
  });
  Array.prototype.forEach.call(t.tHead.rows[0].cells, function (th, i) {
    th.title = "Sort"; th.addEventListener("click", function () {
      var num = th.classList.contains("num"), dir = th.dataset.dir === "up" ? -1 : 1;
      th.dataset.dir = dir > 0 ? "up" : "down";
      rows().sort(function (a, b) {
        var x = a.cells[i].textContent, y = b.cells[i].textContent;
        return dir * (num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y));
      }).forEach(function (r) { body.appendChild(r); });
    });
  });
});"""
STYLE = """nav{font-size:13px;margin-bottom:8px}nav a,td a,h3 a,li a{color:#0b57d0}
input.filter{margin:6px 0;padding:3px 6px;width:260px}table.long th{cursor:pointer}
details summary{cursor:pointer;font-weight:600;margin:8px 0}.bar{display:inline-block;height:10px}
"""

_SLUG = re.compile(r"[^a-z0-9_-]+")
_RESERVED = {"con", "prn", "aux", "nul", "index", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def page_path(kind: str, item_id: object) -> str:
    """The site-relative path of an item's page, e.g. `narratives/n001.html`. Ids that are not already
    short lowercase [a-z0-9_-] names get a readable part plus a hash of the id, so no id can climb out of
    its folder, name a device, or collide with another (also on case-insensitive file systems)."""
    if kind not in FOLDERS:
        raise ParameterError("kind", f"unknown page kind; use one of {sorted(FOLDERS)}", kind)
    raw = str(item_id)
    base = _SLUG.sub("-", raw.lower()).strip("-_")[:48]
    if not base or base != raw or base in _RESERVED:
        base = f"{base or 'id'}-{hashlib.sha1(raw.encode('utf-8')).hexdigest()[:10]}"
    return f"{FOLDERS[kind]}/{base}.html"


class _Links:
    """Relative hrefs to the pages the site has, from the root (index) or from a page one folder down."""

    def __init__(self, site: Site, prefix: str):
        self.prefix = prefix
        self.known = {("narrative", k) for k in site.narratives} | {("candidate", k) for k in site.candidates} | {
            ("group", k) for k in site.groups}

    def __call__(self, kind: str, item_id: str) -> str | None:
        return self.prefix + page_path(kind, item_id) if (kind, item_id) in self.known else None


def render_site(site: Site) -> dict[str, str]:
    """Every page of the site: {relative path: HTML}."""
    root, down = _Links(site, ""), _Links(site, "../")
    pages = {"index.html": render_html(site.report, link=root, appendix=_index(site, root), script=SCRIPT,
                                       style=STYLE)}
    for nid, page in site.narratives.items():
        pages[page_path("narrative", nid)] = _narrative_html(site, page, down)
    for cid, page in site.candidates.items():
        pages[page_path("candidate", cid)] = _candidate_html(site, page, down)
    for gid, page in site.groups.items():
        pages[page_path("group", gid)] = _group_html(site, page, down)
    return pages


def write_site(store, *, out_dir: Path | None = None, run_id: str | None = None, week: str | None = None,
               since: date | None = None, until: date | None = None, markdown: bool = False) -> list[Path]:
    """Build the report site of one run and period and write it to `out_dir` (default:
    `reports/narratives-<period>/` beside the store): `index.html` first in the returned paths, then a page
    per narrative, candidate and coordinated group; with `markdown`, also the one-page Markdown report.
    Every page is rendered before the first file is written, so a failing build writes nothing. Written into
    the folder of an earlier build, it removes that build's pages that this one no longer has (and only those:
    `output.MANIFEST` lists what the site wrote)."""
    site = build_site(store, run_id=run_id, week=week, since=since, until=until)
    stem = "narratives-" + site.report.period.label.replace(" to ", "_")
    pages = render_site(site)
    if markdown:
        pages[f"{stem}.md"] = render_markdown(site.report)
    out_dir = Path(out_dir) if out_dir is not None else Path(store.path).resolve().parent / "reports" / stem
    return write_pages(out_dir, pages, tuple(FOLDERS.values()))


# --- pieces --------------------------------------------------------------------------------------------

def _page(title_text: str, heading: str, nav: str, body: list[str]) -> str:
    """A page: head (CSP with the script's hash), navigation, heading (trusted HTML), body, script."""
    return "\n".join([*page_head(title_text, script=SCRIPT, style=STYLE), nav, f"<h1>{heading}</h1>", *body,
                      f"<script>{SCRIPT}</script></body></html>"]) + "\n"


def _nav(site: Site, here: str) -> str:
    return (f'<nav><a href="../index.html">{html.escape(site.report.title)}</a> › '
            f"{html.escape(clean_text(here, 100))}</nav>")


def _table(head: list[tuple[str, bool]], rows: list[list[str]], *, long: bool = False) -> str:
    """A table; `head` is (name, numeric); cells are trusted HTML. Long tables get the filter and sort."""
    cls = ' class="long"' if long else ""
    ths = "".join(f'<th class="num">{html.escape(n)}</th>' if num else f"<th>{html.escape(n)}</th>"
                  for n, num in head)
    trs = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if head[i][1] else f"<td>{c}</td>"
                                   for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table{cls}><thead><tr>{ths}</tr></thead><tbody>{trs}</tbody></table>"


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def _when(post: dict[str, Any]) -> str:
    return post["created_at"].strftime("%Y-%m-%d %H:%M") if post.get("created_at") else "?"


def _quote(post: dict[str, Any]) -> str:
    author, detail = _post_meta(post)
    return (f"<blockquote>{_h(post.get('text'), POST_CHARS)}<div class=\"muted\">— @{_h(author, 60)} · "
            f"{html.escape(detail)}</div></blockquote>")


def _posts_table(posts: list[dict[str, Any]], link, *, narrative: bool = False, what: str = "posts") -> str:
    """Every post, oldest first, collapsed when long, with a filter and sort."""
    if not posts:
        return "<p>No posts.</p>"
    head = [("time (UTC)", False), ("account", False), ("platform", False), ("lang", False), ("likes", True),
            ("reposts", True)]
    head += [("narrative", False)] if narrative else [("group", False)]
    head += [("text", False)]
    rows = []
    for p in posts:
        tag = (linked(link, "narrative", p["narrative_id"], html.escape(p["narrative_id"]))
               if p.get("narrative_id") else "–") if narrative else \
            ", ".join(linked(link, "group", g, html.escape(g)) for g in p.get("groups", []))
        rows.append([_when(p), _h(p.get("author") or "?", 60), _h(p.get("platform"), 20), _h(p.get("lang") or "?", 8),
                     str(p.get("likes") if p.get("likes") is not None else "–"),
                     str(p.get("reposts") if p.get("reposts") is not None else "–"),
                     tag, ("↻ " if p.get("is_repost") else "") + _h(p.get("text"), FULL_POST_CHARS)])
    opened = " open" if len(posts) <= OPEN_ROWS else ""
    return (f"<details{opened}><summary>All {len(posts)} {html.escape(what)} (time, account, platform, language, "
            f"likes, reposts)</summary>{_table(head, rows, long=True)}</details>")


def _stance_cells(s: Stance) -> list[str]:
    return [str(s.posts), *(f"{getattr(s, k)} ({_pct(getattr(s, k), s.posts)})" for k in STANCES)]


_STANCE_HEAD = [("posts", True), ("against", True), ("favor", True), ("neutral", True), ("unknown", True)]


def _highlight(weeks: list[str], period_weeks: list[str]) -> tuple[int, int] | None:
    inside = [i for i, w in enumerate(weeks) if w in period_weeks]
    return (inside[0], inside[-1]) if inside else None


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // (24 * 60)} days"


# --- the week page's index -------------------------------------------------------------------------------

def _index(site: Site, link) -> str:
    out = ["<h2>Every narrative, candidate and coordinated group of the period</h2>",
           '<p class="muted">Each opens its own page. Click a column to sort; type to filter.</p>',
           "<h3>Narratives</h3>"]
    rows = []
    for nid, page in site.narratives.items():
        n = page.line
        rows.append([linked(link, "narrative", nid, html.escape(nid)), _h(n.label, 120), html.escape(n.relation),
                     str(n.posts), html.escape(_growth(n)), str(n.authors), str(n.likes),
                     _pct(page.coordinated, n.posts),
                     ", ".join(linked(link, "candidate", c, _h(c)) for c, _ in page.targets[:3]) or "–"])
    out.append(_table([("id", False), ("narrative", False), ("vs earlier runs", False), ("posts", True),
                       ("growth", True), ("authors", True), ("likes", True), ("coordinated", True),
                       ("aimed at", False)], rows, long=True) if rows else "<p>No narrative posts in this period.</p>")
    out.append("<h3>Candidates</h3>")
    rows = [[linked(link, "candidate", cid, _h(cid)), *_stance_cells(page.stance),
             ", ".join(linked(link, "narrative", r["narrative_id"], html.escape(r["narrative_id"]))
                       for r in page.narratives if r["posts"])]
            for cid, page in site.candidates.items()]
    out.append(_table([("candidate", False), *_STANCE_HEAD, ("narratives", False)], rows, long=True)
               if rows else "<p>No candidate is mentioned in this period's narrative posts.</p>")
    out.append("<h3>Coordinated groups</h3>")
    rows = [[linked(link, "group", gid, html.escape(gid)), str(len(g.posts)), str(g.in_period), str(len(g.accounts)),
             html.escape(f"{g.first_at:%Y-%m-%d %H:%M}"), html.escape(g.method),
             ", ".join(linked(link, "narrative", n, html.escape(n)) for n, _ in g.narratives)]
            for gid, g in site.groups.items()]
    out.append(_table([("group", False), ("posts", True), ("in period", True), ("accounts", True),
                       ("first post (UTC)", False), ("method", False), ("narratives", False)], rows, long=True)
               if rows else "<p>No coordinated group posted in this period (or coordination was not run).</p>")
    return "\n".join(out)


# --- narrative page ----------------------------------------------------------------------------------

def _narrative_html(site: Site, page: NarrativePage, link) -> str:
    n, p = page.line, site.report.period
    e = page.engagement
    body = [f'<p class="muted">{html.escape(p.label)} · {html.escape(n.relation)} · first seen '
            f"{html.escape(n.emerged or '?')} · run {html.escape(str(site.report.run['run_id']))}</p>",
            f"<p><strong>Keywords:</strong> {_h(', '.join(n.keywords), 400) if n.keywords else '–'}</p>"]
    if page.parent_id or page.children:
        fam = []
        if page.parent_id:
            fam.append("part of " + linked(link, "narrative", page.parent_id, html.escape(page.parent_id)))
        if page.children:
            fam.append("sub-narratives: " + "; ".join(
                f"{linked(link, 'narrative', c, html.escape(c))} {_h(label, 80)} ({posts} posts in the run)"
                for c, label, posts in page.children))
        body.append(f"<p><strong>Family:</strong> {'; '.join(fam)}</p>")
    body.append(_table([("posts", True), ("previous period", True), ("growth", True), ("authors", True),
                        ("in coordinated groups", True), ("likes", True), ("reposts", True), ("replies", True),
                        ("median likes", True), ("no engagement", True)],
                       [[str(n.posts), str(n.previous_posts), html.escape(_growth(n)), str(n.authors),
                         f"{page.coordinated} ({_pct(page.coordinated, n.posts)})", str(e.likes), str(e.reposts),
                         str(e.replies), "–" if e.median_likes is None else f"{e.median_likes:g}",
                         f"{e.zero} ({_pct(e.zero, e.posts)})"]]))
    body.append("<p class=\"muted\">Languages: " + (", ".join(f"{_h(k, 12)} {v}" for k, v in page.languages) or "–")
                + " · platforms: " + (", ".join(f"{_h(k, 20)} {v}" for k, v in page.platforms) or "–") + "</p>")
    if page.weeks:
        body.append("<h2>Posts per week since first seen</h2>")
        body.append(charts.line_chart(page.weeks, [(f"{n.narrative_id} {n.label}"[:60], page.series, page.bursts)],
                                      highlight=_highlight(page.weeks, p.weeks),
                                      title="Posts per week since first seen"))
    body.append("<h2>Identity across runs</h2>")
    if page.lineage:
        rows = [[html.escape(str(l["run_id"])), html.escape(f"{l['started_at']:%Y-%m-%d %H:%M}"),
                 html.escape(l["relation"]), html.escape(l["narrative_id"]),
                 html.escape(l["previous_narrative_id"] or "–"),
                 "–" if l["similarity"] is None else f"{l['similarity']:.3f}",
                 "–" if l["n_posts"] is None else str(l["n_posts"]), _h(l["label"] or "", 80)] for l in page.lineage]
        body.append(_table([("run", False), ("started (UTC)", False), ("relation", False), ("id", False),
                            ("previous id", False), ("similarity", True), ("posts in run", True),
                            ("label then", False)],
                           rows))
    else:
        body.append("<p>This run was not tracked.</p>")
    body.append("<h2>Who is targeted</h2>")
    if page.targets:
        rows = [[linked(link, "candidate", c, _h(c)), *_stance_cells(s), _pct(s.posts, n.posts)]
                for c, s in page.targets]
        body.append(_table([("candidate", False), *_STANCE_HEAD, ("of the narrative's posts", True)], rows,
                           long=len(rows) > 10))
    else:
        body.append("<p>No candidate is mentioned in this narrative's posts of the period.</p>")
    body.append("<h2>Coordinated groups</h2>")
    body.append("<ul>" + "".join(f"<li>{linked(link, 'group', g, html.escape(g))}: {k} of these posts</li>"
                                 for g, k in page.groups) + "</ul>" if page.groups
                else "<p>None of these posts is in a coordinated group.</p>")
    body.append("<h2>Representative posts</h2>")
    body += [_quote(post) for post in page.examples] or ["<p>None.</p>"]
    body.append(f"<h2>Posts of {html.escape(p.label)}</h2>")
    body.append(_posts_table(page.posts, link))
    return _page(f"{n.narrative_id} {clean_text(n.label, 80)} · {p.label}",
                 f"{html.escape(n.narrative_id)} {_h(n.label, 160)}", _nav(site, f"narrative {n.narrative_id}"), body)


# --- candidate page ------------------------------------------------------------------------------------

def _candidate_html(site: Site, page: CandidatePage, link) -> str:
    p = site.report.period
    body = [f'<p class="muted">{html.escape(p.label)} · run {html.escape(str(site.report.run["run_id"]))}</p>',
            "<h2>Stance toward them</h2>",
            _table([("posts of", False), *_STANCE_HEAD],
                   [[html.escape(p.label), *_stance_cells(page.stance)],
                    ["the whole run", *_stance_cells(page.stance_run)]])]
    if page.weeks:
        body.append("<h2>Narratives aimed at them over time</h2>")
        body.append(charts.line_chart(page.weeks, [("all narratives", page.totals, [False] * len(page.weeks))]
                                      + [(name[:60], counts, [False] * len(counts)) for name, counts in page.series],
                                      highlight=_highlight(page.weeks, p.weeks),
                                      title="Posts mentioning them per week, by narrative"))
    body.append("<h2>Narratives that mention them</h2>")
    rows = [[linked(link, "narrative", r["narrative_id"], html.escape(r["narrative_id"])), _h(r["label"], 120),
             str(r["posts"]), str(r["against"]), str(r["total"]), html.escape(r["first"]), html.escape(r["last"])]
            for r in page.narratives]
    body.append(_table([("id", False), ("narrative", False), (f"posts {p.label}", True), ("against", True),
                        ("posts, all weeks", True), ("first week", False), ("last week", False)], rows, long=True))
    body.append("<h2>Example posts</h2>")
    body += [_quote(post) for post in page.examples] or ["<p>None.</p>"]
    return _page(f"{clean_text(page.candidate_id, 80)} · {p.label}", _h(page.candidate_id, 120),
                 _nav(site, f"candidate {page.candidate_id}"), body)


# --- coordinated group page ----------------------------------------------------------------------------

def _group_html(site: Site, page: GroupPage, link) -> str:
    span = page.last_at - page.first_at
    body = [f'<p class="muted">{len(page.posts)} posts ({page.in_period} in {html.escape(site.report.period.label)}) '
            f"by {len(page.accounts)} accounts, {page.first_at:%Y-%m-%d %H:%M} to {page.last_at:%Y-%m-%d %H:%M} UTC "
            f"({_duration(span)}); linked by {html.escape(page.method)}</p>"]
    if page.narratives:
        body.append("<p><strong>Narratives:</strong> " + ", ".join(
            f"{linked(link, 'narrative', n, html.escape(n))} ({k})" for n, k in page.narratives) + "</p>")
    if len(page.timeline) > 1:
        unit = "hour" if page.timeline[0][0].endswith("h") else "day"
        body.append("<h2>Timeline</h2>")
        body.append(charts.line_chart([b for b, _ in page.timeline],
                                      [("posts", [c for _, c in page.timeline], [False] * len(page.timeline))],
                                      title=f"Posts per {unit} (UTC)", height=220))
    body.append("<h2>Accounts</h2>")
    body.append(_table([("account", False), ("posts", True)], [[_h(a, 80), str(k)] for a, k in page.accounts],
                       long=len(page.accounts) > 10))
    body.append("<h2>Evidence posts</h2>")
    body.append(_posts_table(page.posts, link, narrative=True, what="posts of the group"))
    return _page(f"group {page.group_id} · {site.report.period.label}",
                 f"Coordinated group {html.escape(page.group_id)}",
                 _nav(site, f"group {page.group_id}"), body)


__all__ = ["FOLDERS", "SCRIPT", "page_path", "render_site", "write_site"]