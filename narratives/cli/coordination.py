"""`narratives coordination list|show|export`: the coordinated groups a run found, their evidence, the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Column, Table

from ..networks import EXPORT_FORMATS, coordination_group, coordination_groups, export_network
from . import app
from .common import DEFAULT_DB, DbOption, JsonOption, RunOption, console, heading, open_store, print_json

coordination_app = typer.Typer(help="Coordinated account groups of a run (latest run by default).",
                               no_args_is_help=True)
app.add_typer(coordination_app, name="coordination")


@coordination_app.command("list")
def list_(
    run_id: RunOption = None,
    narrative: Annotated[Optional[str], typer.Option("--narrative", help="Only groups with posts in this narrative id.")]
    = None,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Groups, most accounts first: network, accounts, posts, time span, narratives and candidates they push."""
    with open_store(db, read_only=True) as store:
        run_id, groups = coordination_groups(store, run_id, narrative)
    if as_json:
        rows = [{**r, "accounts": list(r["accounts"]), "narratives": list(r["narratives"]),
                 "candidates": list(r["candidates"]), "first_at": r["first_at"].isoformat(),
                 "last_at": r["last_at"].isoformat()} for r in groups.to_dict("records")]
        print_json({"run_id": run_id, "groups": rows})
        return
    table = Table(Column("group", no_wrap=True), "network", "accounts", "posts", "first", "last", "narratives", "candidates",
                  title=f"coordination groups, run {run_id}")
    for g in groups.itertuples(index=False):
        table.add_row(g.group_id, g.network, str(g.n_accounts), str(g.n_posts), f"{g.first_at:%Y-%m-%d %H:%M}",
                      f"{g.last_at:%Y-%m-%d %H:%M}", (", ".join(list(g.narratives)[:4])),
                      (", ".join(list(g.candidates)[:4])))
    console.print(table)


@coordination_app.command()
def show(
    group_id: Annotated[str, typer.Argument(help="Group id from `narratives coordination list`.")],
    run_id: RunOption = None,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """One group: its accounts and the evidence posts, each with time, account and text."""
    with open_store(db, read_only=True) as store:
        detail = coordination_group(store, group_id, run_id)
    if as_json:
        print_json(detail.to_dict())
        return
    g = detail.group
    console.print(heading(g['group_id']), end=" ")
    console.print(f"{g['network']}: {g['n_accounts']} accounts, {g['n_posts']} posts, "
                  f"{g['first_at']:%Y-%m-%d %H:%M} to {g['last_at']:%Y-%m-%d %H:%M} (run {detail.run_id})",
                  highlight=False)
    console.print(f"accounts: {', '.join(g['accounts'])}", highlight=False, markup=False)
    console.print(f"narratives: {', '.join(g['narratives']) or '-'}; candidates: {', '.join(g['candidates']) or '-'}",
                  highlight=False, markup=False)
    table = Table("time", "account", "narrative", "text", title="evidence posts")
    for p in detail.posts.itertuples(index=False):
        table.add_row(f"{p.created_at:%Y-%m-%d %H:%M:%S}", (p.author_handle), str(p.narrative_id or "-"),
                      (p.text))
    console.print(table)


@coordination_app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="File to write (csv: the edges; nodes go beside it).")],
    format: Annotated[str, typer.Option("--format", help=f"{' | '.join(EXPORT_FORMATS)}.")] = "graphml",
    run_id: RunOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the account network (nodes: handle, posts, narratives; edges: weight, network, first/last co-action)."""
    with open_store(db, read_only=True) as store:
        paths = export_network(store, out, format, run_id)
    for path in paths:
        console.print(str(path), highlight=False, soft_wrap=True)
