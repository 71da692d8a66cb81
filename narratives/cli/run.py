"""`narratives run` (the main job) and `narratives narratives list|show` (what a run found)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from ..errors import NarrativesError
from ..pipeline import DEFAULT_THRESHOLD, run_pipeline
from ..report import write_report
from ..track import MATCH_THRESHOLD
from . import app
from .common import DEFAULT_DB, DbOption, RunOption, console, open_store
from .targets import targets_table

narratives_app = typer.Typer(help="Show the narratives a run found (latest run by default).", no_args_is_help=True)
app.add_typer(narratives_app, name="narratives")


@app.command()
def run(
    since: Annotated[Optional[str], typer.Option(help="First day (YYYY-MM-DD or ISO time), inclusive.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Last day (YYYY-MM-DD, inclusive) or ISO time (exclusive).")] = None,
    model: Annotated[str, typer.Option(help="Model card id (models/ or ~/.config/narratives/models).")] = "minilm",
    model_path: Annotated[Optional[Path], typer.Option(help="Local sentence-transformers folder instead of a card.")] = None,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda | mps (auto: cuda, then mps, then cpu).")] = "auto",
    seed: Annotated[int, typer.Option(help="Random seed (same data + model + seed = same narratives).")] = 0,
    sample_size: Annotated[int, typer.Option(help="Most unique texts the clustering is fit on.")] = 50_000,
    threshold: Annotated[float, typer.Option(help="Cosine similarity a text needs to join a narrative.")] = DEFAULT_THRESHOLD,
    taxonomy: Annotated[Optional[Path], typer.Option(help="Narrative taxonomy YAML (default: the packaged one).")] = None,
    llm: Annotated[bool, typer.Option("--llm", help="Name narratives with the LLM at NARRATIVES_LLM_URL.")] = False,
    match_threshold: Annotated[float, typer.Option(help="Centroid cosine similarity that keeps an id across runs.")] = MATCH_THRESHOLD,
    candidates: Annotated[Optional[Path], typer.Option(help="Candidate registry YAML (default: the packaged one).")] = None,
    merge: Annotated[bool, typer.Option(help="Join the clusters that make one claim into one narrative family.")] = True,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Find the narratives pushed in the window, name them, and record the run in the store."""
    with open_store(db) as store:
        result = run_pipeline(store, since=since, until=until, model=model, model_path=model_path, device=device,
                              seed=seed, sample_size=sample_size, threshold=threshold, taxonomy=taxonomy, llm=llm,
                              candidates=candidates, match_threshold=match_threshold, merge=merge)
        report_paths = write_report(store, run_id=result.run_id)
    top = result.narratives[result.narratives["parent_id"].isna()]
    console.print(narratives_table(top, f"run {result.run_id}"))
    console.print(targets_table(result.targets.summary, result.narratives))
    console.print(
        f"{result.n_posts:,} posts, {result.n_texts:,} unique texts ({result.n_embedded:,} embedded now), "
        f"{len(top)} narratives ({len(result.narratives) - len(top)} sub-narratives), outliers {result.outlier_share:.1%}; "
        + ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items()),
        highlight=False,
    )
    chosen, merged = result.params["discover"], result.params["merge"]
    console.print(f"discovery: min_cluster_size {chosen['min_cluster_size_fitted']}, min_samples "
                  f"{chosen['min_samples_fitted']}, threshold {chosen['threshold']:g}; merge: {merged['n_clusters']} "
                  f"clusters -> {merged['n_families']} narratives", highlight=False)
    console.print("report (last week of the window): " + ", ".join(map(str, report_paths)), highlight=False,
                  soft_wrap=True)


@narratives_app.command("list")
def list_(
    run_id: RunOption = None,
    children: Annotated[bool, typer.Option("--children", help="Also list each family's sub-narratives.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """The narratives of a run, largest first (a family's sub-narratives with --children)."""
    with open_store(db, read_only=True) as store:
        run_id = store.resolve_run(run_id)
        frame = store.run_narratives(run_id, children=children)
    console.print(narratives_table(frame, f"run {run_id}"))


@narratives_app.command()
def show(
    narrative_id: Annotated[str, typer.Argument(help="Narrative id, e.g. n001.")],
    run_id: RunOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """One narrative: label, taxonomy match, keywords, example posts and weekly counts."""
    with open_store(db, read_only=True) as store:
        run_id = store.resolve_run(run_id)
        frame = store.run_narratives(run_id, children=True)
        row = frame[frame["narrative_id"] == narrative_id]
        if row.empty:
            raise NarrativesError(f"run {run_id} has no narrative {narrative_id!r} (see `narratives narratives list`)")
        weekly = store.narrative_weekly_counts(run_id, narrative_id)
    n = row.iloc[0]
    console.print(f"[bold]{n['narrative_id']}[/] {escape(n['label'])}  (run {run_id})", highlight=False)
    console.print(f"taxonomy: {_taxonomy(n)}", highlight=False)
    console.print(f"posts: {n['n_posts']:,} ({n['share']:.1%}), first {n['first_seen']:%Y-%m-%d}, "
                  f"last {n['last_seen']:%Y-%m-%d}", highlight=False)
    console.print(f"keywords: {', '.join(n['keywords'])}", highlight=False, markup=False)
    if isinstance(n.get("parent_id"), str):
        console.print(f"sub-narrative of {n['parent_id']}", highlight=False)
    kids = frame[frame["parent_id"] == narrative_id] if "parent_id" in frame else frame.iloc[:0]
    if len(kids):
        console.print("sub-narratives: " + "; ".join(f"{k.narrative_id} {k.label} ({k.n_posts:,})" for k in kids.itertuples()),
                      highlight=False, markup=False)
    console.print("examples:")
    for ex in n["examples"]:
        console.print(f"  - [{ex['platform']}:{ex['post_id']}] {ex['text']}", highlight=False, markup=False)
    table = Table("week", "posts", title="posts per week")
    for week, count in zip(weekly["week"], weekly["posts"]):
        table.add_row(f"{week:%Y-%m-%d}", f"{count:,}")
    console.print(table)


def narratives_table(frame: pd.DataFrame, title: str) -> Table:
    """The summary table `run` and `narratives list` print (only stored values, so re-runs print the same)."""
    table = Table("id", "label", "taxonomy", "posts", "share", "keywords", "first seen", "last seen", title=title)
    for _, n in frame.iterrows():
        child = isinstance(n.get("parent_id"), str)
        table.add_row(
            ("  └ " if child else "") + n["narrative_id"], escape(n["label"]), _taxonomy(n), f"{n['n_posts']:,}", f"{n['share']:.1%}",
            escape(", ".join(list(n["keywords"])[:5])), f"{n['first_seen']:%Y-%m-%d}", f"{n['last_seen']:%Y-%m-%d}",
        )
    return table


def _taxonomy(n: pd.Series) -> str:
    return f"{n['taxonomy_id']} ({n['taxonomy_score']:.2f})" if isinstance(n["taxonomy_id"], str) else "new (unnamed)"
