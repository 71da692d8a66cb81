"""`narratives ingest` and `narratives status`."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Column, Table

from ..ingest import IngestResult, ingest_file, plan_ingest
from ..sources import FORMATS, parse_mapping
from ..status import store_status
from . import app
from .common import DEFAULT_DB, DbOption, JsonOption, console, err_console, heading, open_store, print_json


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files (.csv, .jsonl, .json, .parquet; plain or .gz).")],
    format: Annotated[str, typer.Option("--format", "-f", help=f"Layout: {', '.join(FORMATS)}.")] = "auto",
    platform: Annotated[Optional[str], typer.Option("--platform", help="Platform for every post (overrides the file's).")] = None,
    map: Annotated[Optional[str], typer.Option("--map", help="Column mapping, e.g. text=content,created_at=date.")] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Add posts to the store; re-ingesting a file stores nothing new, bad rows go to rejects."""
    mapping = parse_mapping(map)
    plan = plan_ingest(paths, format, platform, mapping)
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    results: list[IngestResult] = []
    try:
        with open_store(db) as store, Progress(*columns, console=err_console, transient=True) as bar:
            tasks = {d.path: bar.add_task(d.path.name, total=d.path.stat().st_size) for d in plan}
            for d in plan:
                results.append(ingest_file(
                    store, d, platform=platform, mapping=mapping,
                    progress=lambda path, done, total: bar.update(tasks[path], completed=done, total=total)))
    finally:  # a later file failing must not hide what the earlier files committed
        if results and as_json:
            print_json({"files": [asdict(r) for r in results], "complete": len(results) == len(plan)})
        elif results:
            _print_results(results)
            if len(results) < len(plan):
                console.print(f"stopped at {plan[len(results)].path}: the files above are stored, "
                              f"that file and any after it are not", highlight=False)


def _print_results(results: list[IngestResult]) -> None:
    table = Table(Column("file", overflow="fold"), "format", "read", "stored", "duplicates", "rejected", "seconds")
    for r in results:
        table.add_row(r.file, r.format, str(r.read), str(r.stored), str(r.duplicates), str(r.rejected),
                      f"{r.seconds:.1f}")
    console.print(table)
    for r in results:
        if r.reject_reasons:
            reasons = ", ".join(f"{n} {reason}" for reason, n in r.reject_reasons.items())
            console.print(f"{r.file}: rejected {reasons} (rows in the rejects table, ingest {r.ingest_id})",
                          soft_wrap=True, highlight=False)


@app.command()
def status(
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Summarise the store: posts by platform and language, dates, weekly volume, rejects, ingests."""
    with open_store(db, read_only=True) as store:
        summary = store_status(store)
    if as_json:
        print_json(summary.to_dict())
        return
    console.print(f"{summary.posts} posts ({summary.gold} with gold labels), "
                  f"{summary.first_post or '-'} to {summary.last_post or '-'}")
    _table("posts by platform and language", ("platform", "lang", "posts"), summary.by_platform_lang)
    peak = max((n for _, n in summary.weekly), default=1)
    _table("posts per ISO week", ("week", "posts", ""),
           [(w, n, "█" * max(1, round(30 * n / peak))) for w, n in summary.weekly])
    _table("rejects (latest ingest of each file)", ("reason", "field", "rows"), summary.rejects)
    _table("ingests", ("id", "file", "format", "read", "stored", "duplicates", "rejected", "finished"),
           [(i["ingest_id"], i["file"], i["format"], i["rows_read"], i["stored"], i["duplicates"], i["rejected"],
             i["finished_at"]) for i in summary.ingests])


def _table(title: str, header: tuple[str, ...], rows) -> None:
    console.print(heading(title))
    table = Table(*header)
    for row in rows:
        table.add_row(*("-" if v is None else str(v) for v in row))
    console.print(table)
