"""The weekly report: what is new, what is growing, who is being hit, is anyone engaging.

Built only from the store (one run's narratives, assignments, mentions, lineage and weekly series),
as one self-contained HTML file (inline SVG charts, a strict Content-Security-Policy, no scripts)
and the same content as Markdown. Post text, handles, labels and keywords come from the adversary:
every such string goes through `escape` (`_h` for HTML, `md_escape` for Markdown), which strip bidi overrides and
invisible characters and escape markup, so injected HTML, Markdown or links render as inert text.

Modules: `escape` (untrusted text), `period` (which days), `sections` (the model both renderers
print), `build` (the store queries that fill it), `html` and `markdown` (renderers), `write` (files).
The explorable report (a static site: the week page opens onto one page per narrative, candidate and
coordinated group): `pages` (its model, gathered from the store), `site` (its pages, `write_site`) and
`output` (writing them into a folder without leaving stale pages).
"""

from .build import build_report
from .escape import clean_text, md_escape
from .html import render_html
from .markdown import render_markdown
from .pages import CandidatePage, GroupPage, NarrativePage, Site, build_site
from .period import Period, ReportError, resolve_period
from .sections import Burst, CandidateSection, NarrativeLine, Report
from .site import page_path, render_site, write_site
from .write import write_report

__all__ = ["Burst", "CandidatePage", "CandidateSection", "GroupPage", "NarrativeLine", "NarrativePage", "Period",
           "Report", "ReportError", "Site", "build_report", "build_site", "clean_text", "md_escape", "page_path",
           "render_html", "render_markdown", "render_site", "resolve_period", "write_report", "write_site"]
