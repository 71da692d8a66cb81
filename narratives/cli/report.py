"""`narratives report`: the weekly HTML + Markdown report of a run, from the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..api import write_report
from . import app
from .common import DEFAULT_DB, DbOption, console, open_store

_FORMATS = {"html": ("html",), "md": ("md",), "both": ("html", "md")}


@app.command()
def report(
    week: Annotated[Optional[str], typer.Option(help="ISO week, e.g. 2024-W42 (default: the run's last week).")] = None,
    since: Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"], help="First day (UTC).")] = None,
    until: Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"], help="Last day, inclusive.")] = None,
    run: Annotated[Optional[str], typer.Option(help="Run id (default: the latest finished run).")] = None,
    format: Annotated[str, typer.Option("--format", help="html, md or both.")] = "both",
    out: Annotated[Optional[Path], typer.Option(help="Output folder (default: reports/ beside the store).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the weekly report (HTML with inline charts, and Markdown) and print the paths."""
    with open_store(db, read_only=True) as store:
        paths = write_report(store, out=out, run_id=run, week=week, since=since and since.date(),
                             until=until and until.date(), formats=_FORMATS.get(format, (format,)))
    for path in paths:
        console.print(str(path), highlight=False, soft_wrap=True)
