"""Options and error handling shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from ..store import Store

console = Console(soft_wrap=True)  # long paths and messages must not break mid-word when piped
err_console = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="NARRATIVES_DB", help="DuckDB store file.", show_default=True),
]
DEFAULT_DB = Path("narratives.duckdb")
RunOption = Annotated[Optional[str], typer.Option("--run", help="Run id (default: the latest).")]


def open_store(db: Path, *, read_only: bool = False) -> Store:
    """Open the store for a command (errors become one-line messages via `main`)."""
    return Store(db, read_only=read_only)
