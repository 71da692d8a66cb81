"""Write a report's files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..errors import ParameterError
from .build import build_report
from .html import render_html
from .markdown import render_markdown


def write_report(store, *, out_dir: Path | None = None, run_id: str | None = None, week: str | None = None,
                 since: date | None = None, until: date | None = None,
                 formats: tuple[str, ...] = ("html", "md")) -> list[Path]:
    """Build the report and write it as `narratives-<period>.html/.md` (default: `reports/` beside the store)."""
    unknown = set(formats) - {"html", "md"}
    if unknown:
        raise ParameterError("formats", f"unknown format(s) {sorted(unknown)}; use html, md or both")
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
