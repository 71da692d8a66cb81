"""The public Python API: the operations of the CLI, as functions (each CLI command is a thin call to one).

    import narratives as nv
    s = nv.open_store("x.duckdb")
    nv.ingest(s, "demo.jsonl")
    r = nv.run(s, since="2024-09-01")
    nv.write_report(s, week="2024-W42", out="rep")
    nv.write_site(s, week="2024-W42", out="site")       # the explorable report: site/index.html

`narratives.evaluate` (in `narratives/evaluate/harness.py`) drives these functions, so it is not
defined here. Errors are `narratives.errors.NarrativesError`; a bad argument raises `ParameterError`, which names
the parameter as it is spelled here (`since`, `discovery.sample_size`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from .config import RunConfig
from .errors import ParameterError
from .ingest import IngestResult, ProgressFn, ingest_paths
from .pipeline import RunResult, run_pipeline
from .report import write_report as _write_report
from .report import write_site as _write_site
from .sources import parse_mapping
from .store import Store

DEFAULT_STORE = Path("narratives.duckdb")


def open_store(path: str | Path = DEFAULT_STORE, *, read_only: bool = False, create: bool = True) -> Store:
    """Open (or, unless `create` is false, create) the DuckDB store at `path`; migrations are applied on open.

    A file that is not a narratives store is refused before anything is written to it.
    Use it as a context manager (`with nv.open_store(p) as s:`) or call `s.close()`.
    """
    return Store(Path(path), read_only=read_only, create=create)


def ingest(store: Store, *paths: str | Path, format: str = "auto", platform: str | None = None,
           mapping: dict[str, str] | str | None = None, progress: ProgressFn | None = None) -> list[IngestResult]:
    """Add the posts of export files to the store (each file one transaction; re-ingesting stores nothing new).

    `format`: a layout name or "auto"; `platform` overrides the file's; `mapping` names columns
    (`{"text": "content"}` or `"text=content,created_at=date"`). Every file is checked before any is written.
    """
    if not paths:
        raise ParameterError("paths", "give at least one export file")
    if isinstance(mapping, str):
        mapping = parse_mapping(mapping)
    return ingest_paths(store, list(paths), format, platform, mapping, progress)


def run(store: Store, *, since: date | datetime | str | None = None, until: date | datetime | str | None = None,
        config: RunConfig | None = None, report: bool = True, report_dir: str | Path | None = None,
        progress: bool = False, **options) -> RunResult:
    """Find, name, track and store the narratives of the posts in [since, until]; return what the run found.

    `config` holds every setting (default `RunConfig()`); `options` override single ones by short name
    (`sample_size=5000`, see `narratives.config.OPTIONS`). The config is stored with the run. With
    `report`, the week report of the window's last week is written too (to `report_dir`, default
    `reports/` beside the store); its paths are `result.report_paths`.
    """
    result = run_pipeline(store, since, until, config, progress=progress, **options)
    if report:
        result.report_paths = _write_report(store, run_id=result.run_id,
                                            out_dir=Path(report_dir) if report_dir is not None else None)
    return result


def write_report(store: Store, *, week: str | None = None, since: date | str | None = None,
                 until: date | str | None = None, run_id: str | None = None, out: str | Path | None = None,
                 formats: Sequence[str] = ("html", "md")) -> list[Path]:
    """Write the report of one run (default: the latest) for an ISO `week` or the days `since`..`until`
    (inclusive; default: the run's last week) as HTML and/or Markdown in `out` (default: `reports/`
    beside the store); returns the paths written."""
    return _write_report(store, out_dir=Path(out) if out is not None else None, run_id=run_id, week=week,
                         since=_day(since, "since"), until=_day(until, "until"), formats=tuple(formats))


def write_site(store: Store, *, week: str | None = None, since: date | str | None = None,
               until: date | str | None = None, run_id: str | None = None, out: str | Path | None = None,
               markdown: bool = False) -> list[Path]:
    """Write the explorable report of one run and period (as `write_report` chooses them) as a static
    site in `out` (default: `reports/narratives-<period>/` beside the store): `index.html`, the week page,
    and one page per narrative, candidate and coordinated group it links to; with `markdown`, also the
    one-page Markdown report. Returns the paths written, `index.html` first."""
    return _write_site(store, out_dir=Path(out) if out is not None else None, run_id=run_id, week=week,
                       since=_day(since, "since"), until=_day(until, "until"), markdown=markdown)


def _day(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParameterError(name, "expected a day like 2024-10-01", value) from None
