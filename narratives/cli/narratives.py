"""`narratives list` and `narratives show ID`: what a run found (`narratives narratives ...`: hidden alias)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer
from rich.text import Text
from rich.table import Table

from ..results import list_narratives, show_narrative
from . import app
from .common import DEFAULT_DB, DbOption, JsonOption, RunOption, console, open_store, print_json

narratives_app = typer.Typer(help="Show the narratives a run found (latest run by default).", no_args_is_help=True)
app.add_typer(narratives_app, name="narratives", hidden=True)  # the old spelling, kept working


def list_(run_id: RunOption = None, db: DbOption = DEFAULT_DB, as_json: JsonOption = False,
          children: Annotated[bool, typer.Option("--children", help="Also list each family's sub-narratives.")] = False,
          ) -> None:
    """The narratives of a run, largest first (each family's sub-narratives with --children)."""
    with open_store(db, read_only=True) as store:
        found = list_narratives(store, run_id, children=children)
    if as_json:
        print_json(found.to_dict())
        return
    console.print(narratives_table(found.narratives, f"run {found.run_id}"))


def show(
    narrative_id: Annotated[str, typer.Argument(help="Narrative id, e.g. n001.")],
    run_id: RunOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """One narrative: label, taxonomy match, keywords, example posts and weekly counts."""
    with open_store(db, read_only=True) as store:
        detail = show_narrative(store, narrative_id, run_id)
    if as_json:
        print_json(detail.to_dict())
        return
    n = detail.narrative
    console.print(Text.assemble((str(n["narrative_id"]), "bold"), f" {n['label']}  (run {detail.run_id})"), highlight=False)
    console.print(f"taxonomy: {_taxonomy(n)}", highlight=False)
    console.print(f"posts: {n['n_posts']:,} ({n['share']:.1%}), first {n['first_seen']:%Y-%m-%d}, "
                  f"last {n['last_seen']:%Y-%m-%d}", highlight=False)
    console.print(f"keywords: {', '.join(n['keywords'])}", highlight=False)
    if isinstance(n.get("parent_id"), str):
        console.print(f"sub-narrative of {n['parent_id']}", highlight=False)
    console.print("examples:")
    for ex in n["examples"]:
        console.print(f"  - [{ex['platform']}:{ex['post_id']}] {ex['text']}", highlight=False)
    table = Table("week", "posts", title="posts per week")
    for week, count in zip(detail.weekly["week"], detail.weekly["posts"]):
        table.add_row(f"{week:%Y-%m-%d}", f"{count:,}")
    console.print(table)


for _group in (app, narratives_app):
    _group.command("list")(list_)
    _group.command("show")(show)


def narratives_table(frame: pd.DataFrame, title: str) -> Table:
    """The summary table `run` and `list` print (only stored values, so re-runs print the same)."""
    table = Table("id", "label", "taxonomy", "posts", "share", "keywords", "first seen", "last seen", title=title)
    for _, n in frame.iterrows():
        child = isinstance(n.get("parent_id"), str)
        table.add_row(
            ("  └ " if child else "") + n["narrative_id"], str(n["label"]), _taxonomy(n), f"{n['n_posts']:,}",
            f"{n['share']:.1%}", ", ".join(map(str, list(n["keywords"])[:5])), f"{n['first_seen']:%Y-%m-%d}",
            f"{n['last_seen']:%Y-%m-%d}",
        )
    return table


def _taxonomy(n) -> str:
    return f"{n['taxonomy_id']} ({n['taxonomy_score']:.2f})" if isinstance(n["taxonomy_id"], str) else "new (unnamed)"
