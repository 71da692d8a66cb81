"""`narratives targets`: per candidate, the narratives aimed at them and their weekly counts."""

from __future__ import annotations

from typing import Annotated, Optional

import pandas as pd
import typer
from rich.table import Table

from ..errors import NarrativesError
from . import app
from .common import DEFAULT_DB, DbOption, RunOption, console, open_store


def candidate_narratives(store, run_id: str | None = None, candidate_id: str | None = None) -> tuple[str, pd.DataFrame]:
    """(run id, rows of candidate x narrative x week with posts and how many against), latest run by default."""
    run_id = store.resolve_run(run_id)
    rows = pd.DataFrame(store.candidate_weekly(run_id, candidate_id),
                        columns=["candidate_id", "narrative_id", "label", "taxonomy_id", "week", "posts", "against"])
    if candidate_id is not None and rows.empty:
        raise NarrativesError(f"run {run_id} has no narrative posts mentioning {candidate_id!r}")
    return run_id, rows


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
) -> None:
    """Per candidate, the narratives aimed at them and their weekly post counts."""
    with open_store(db, read_only=True) as store:
        run_id, rows = candidate_narratives(store, run_id, candidate)
    if rows.empty:
        console.print(f"run {run_id}: no narrative posts mention a registered candidate")
        return
    console.print(weekly_table(rows, f"targets, run {run_id}"))
