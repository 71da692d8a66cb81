"""`narratives eval`: score the pipeline (and BERTopic) on hand-labeled sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table as RichTable

from ..evaluate import DEFAULT_SEED, Table, evaluate, report_tables
from . import app
from .common import check_output_dir, console, err_console


def rich_table(table: Table) -> RichTable:
    """One report table for the console (printed without markup: labels come from adversarial posts)."""
    out = RichTable(title=table.title, caption=table.note or None, title_justify="left", caption_justify="left")
    for column in table.columns:
        out.add_column(column)
    for row in table.rows:
        out.add_row(*row)
    return out


@app.command("eval")
def eval_(
    sets: Annotated[list[Path], typer.Option("--set", help="Labeled set: our JSONL, a stance CSV "
                                             "(SemEval-2016 / P-Stance) or the ISCA CSV. Repeat for several.")],
    models: Annotated[Optional[list[str]], typer.Option("--model", help="Model card id; repeat to compare models "
                                                        "(default: the pipeline's default model).")] = None,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda | mps (auto: cuda, then mps, then cpu).")] = "auto",
    out: Annotated[Path, typer.Option("--out", help="Folder for metrics.json, report.md and predictions.")]
    = Path("eval-results"),
    limit: Annotated[Optional[int], typer.Option(help="Score a seeded random sample of N posts of each set.",
                                                 min=1)] = None,
    baseline: Annotated[bool, typer.Option("--baseline/--no-baseline", help="Run BERTopic (defaults, same "
                                           "embeddings) beside ours.")] = True,
    seed: Annotated[int, typer.Option(help="Seed of the pipeline, the baseline and the --limit sample.")]
    = DEFAULT_SEED,
    results: Annotated[Optional[Path], typer.Option("--results", help="Also write one JSON per set here "
                                                    "(eval/results: the files the docs' figures come from).")] = None,
) -> None:
    """Run each labeled set through the pipeline (its own temporary store) and score it against the gold labels."""
    check_output_dir(out, "--out")
    result = evaluate(sets, models=models or [None], device=device, out=out, limit=limit, baseline=baseline,
                      seed=seed, progress=lambda message: err_console.print(message, highlight=False),
                      results=results)
    for table in report_tables(result.metrics):
        console.print(rich_table(table))
    console.print(f"wrote {out / 'metrics.json'}, {out / 'report.md'} and predictions under {out}", highlight=False,
                  soft_wrap=True)
