"""`narratives targets`: per candidate, the narratives aimed at them and their weekly counts."""

from __future__ import annotations

from typing import Annotated, Optional

import pandas as pd
import typer
from rich.table import Table

from ..results import candidate_narratives
from . import app
from .common import DEFAULT_DB, DbOption, JsonOption, RunOption, console, open_store, print_json


def weekly_table(rows: pd.DataFrame, title: str) -> Table:
    """One row per candidate x narrative: total posts, share against, and the weekly counts."""
    weeks = sorted(rows["week"].unique())
    table = Table("candidate", "narrative", "posts", "against", *[w[-3:] for w in weeks], title=title)
    for (cid, nid), group in rows.groupby(["candidate_id", "narrative_id"], sort=True):
        label = group["label"].iat[0]
        by_week = dict(zip(group["week"], group["posts"]))
        posts, against = int(group["posts"].sum()), int(group["against"].sum())
        table.add_row(cid, f"{nid} {label}", f"{posts:,}", f"{against / posts:.0%}",
                      *[str(by_week.get(w, "")) for w in weeks])
    return table


def targets_table(summary: pd.DataFrame, narratives: pd.DataFrame, top: int = 3) -> Table:
    """The run's per-narrative targets: who each narrative hits, share of its posts, stance mix."""
    label = dict(zip(narratives["narrative_id"], narratives["label"]))
    table = Table("id", "label", "targets (share of posts; against/favor/neutral)", title="targets")
    for nid, group in summary.groupby("narrative_id", sort=True):
        hits = [f"{r.candidate_id} {r.share:.0%} ({r.against}/{r.favor}/{r.neutral})" for r in group.head(top).itertuples()]
        table.add_row(str(nid), str(label.get(nid, "")), "; ".join(hits))
    return table


@app.command()
def targets(
    candidate: Annotated[Optional[str], typer.Option("--candidate", help="Only this candidate id, e.g. marco_rubio.")] = None,
    run_id: RunOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Per candidate, the narratives aimed at them and their weekly post counts."""
    with open_store(db, read_only=True) as store:
        found = candidate_narratives(store, run_id, candidate)
    if as_json:
        print_json(found.to_dict())
    elif found.rows.empty:
        console.print(f"run {found.run_id}: no narrative posts mention a registered candidate")
    else:
        console.print(weekly_table(found.rows, f"targets, run {found.run_id}"))
