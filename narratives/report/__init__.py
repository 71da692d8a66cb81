"""The weekly report: what is new, what is growing, who is being hit, is anyone engaging.

Built only from the store (one run's narratives, assignments, mentions, lineage and weekly series),
as one self-contained HTML file (inline SVG charts, a strict Content-Security-Policy, no scripts)
and the same content as Markdown. Post text, handles, labels and keywords come from the adversary:
every such string goes through `escape` (`_h` for HTML, `md_escape` for Markdown), which strip bidi overrides and
invisible characters and escape markup, so injected HTML, Markdown or links render as inert text.

Modules: `escape` (untrusted text), `period` (which days), `sections` (the model both renderers
print), `build` (the store queries that fill it), `html` and `markdown` (renderers), `write` (files).
"""

from .build import build_report
from .escape import clean_text, md_escape
from .html import render_html
from .markdown import render_markdown
from .period import Period, ReportError, resolve_period
from .sections import Burst, CandidateSection, NarrativeLine, Report
from .write import write_report

__all__ = ["Burst", "CandidateSection", "NarrativeLine", "Period", "Report", "ReportError", "build_report",
           "clean_text", "md_escape", "render_html", "render_markdown", "resolve_period", "write_report"]
