"""`narratives demo-data`: write the built-in demo corpus (simulated 2024 down-ballot campaign)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..demo import summarize, write_jsonl
from . import app
from .common import check_new_file, console


@app.command("demo-data")
def demo_data(
    out: Annotated[Path, typer.Option("--out", help="Where to write the JSONL corpus.")] = Path("demo.jsonl"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same file.")] = 7,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
) -> None:
    """Write the demo corpus (labeled-set JSONL with gold labels) and print its counts."""
    check_new_file(out, "--out", force)
    posts = write_jsonl(out, seed)
    console.print(f"wrote {len(posts)} posts to {out}", highlight=False)
    for name, counter in summarize(posts).items():
        counts = ", ".join(f"{key}={n}" for key, n in sorted(counter.items(), key=str))
        console.print(f"  {name}: {counts}", soft_wrap=True, highlight=False)
