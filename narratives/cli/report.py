"""`narratives report`: the weekly report of a run, from the store: an explorable static site (HTML)
and/or the one-page Markdown report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..api import write_report, write_site
from . import app
from .common import DEFAULT_DB, DbOption, check_output_dir, console, open_store


@app.command()
def report(
    week: Annotated[Optional[str], typer.Option(help="ISO week, e.g. 2024-W42 (default: the run's last week).")] = None,
    since: Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"], help="First day (UTC).")] = None,
    until: Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"], help="Last day, inclusive.")] = None,
    run: Annotated[Optional[str], typer.Option(help="Run id (default: the latest finished run).")] = None,
    format: Annotated[str, typer.Option("--format", help="html (the site), md (one Markdown page) or both.")] = "both",
    out: Annotated[Optional[Path], typer.Option(help="Output folder (default: reports/ beside the store; the "
                                                     "site goes in reports/narratives-<period>/).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the weekly report: a static site (index.html, one page per narrative, candidate and coordinated
    group; no server, no network) and/or the Markdown page, and print the paths."""
    period = dict(run_id=run, week=week, since=since and since.date(), until=until and until.date())
    if out is not None:
        check_output_dir(out, "--out")
    with open_store(db, read_only=True) as store:
        if format in ("html", "both"):
            written = write_site(store, out=out, markdown=format == "both", **period)
            paths = [written[0], *(p for p in written if p.suffix == ".md")]
        else:
            paths = write_report(store, out=out, formats=(format,), **period)
    for path in paths:
        console.print(str(path), highlight=False, soft_wrap=True)
