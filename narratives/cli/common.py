"""Options, consoles and checks shared by every command.

The consoles never interpret rich markup: everything they print may hold user data (post text,
platform names, file paths), and `[/b]` in any of it must print as is, not crash. Styling is
applied with `rich.text.Text` objects (see `heading`), never with markup in strings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.text import Text

from ..errors import NarrativesError
from ..store import Store


def make_console(**kwargs: Any) -> Console:
    """A console that prints strings literally (no markup, no emoji codes) and wraps softly when piped."""
    kwargs.setdefault("soft_wrap", True)
    return Console(markup=False, emoji=False, **kwargs)


console = make_console()  # long paths and messages must not break mid-word when piped
err_console = make_console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="NARRATIVES_DB", help="DuckDB store file.", show_default=True),
]
DEFAULT_DB = Path("narratives.duckdb")
RunOption = Annotated[Optional[str], typer.Option("--run", help="Run id (default: the latest).")]


def heading(text: str) -> Text:
    """A bold line (styled without markup, so `text` may hold anything)."""
    return Text(text, style="bold")


def open_store(db: Path, *, read_only: bool = False, create: bool = True) -> Store:
    """Open the store for a command (errors become one-line messages via `main`).

    `create=False` refuses a path with no store (commands that only make sense on ingested data).
    """
    return Store(db, read_only=read_only, create=create)


def check_output_dir(path: Path, option: str) -> None:
    """An output folder given on the command line must be a folder we can create and write, checked
    before any work is done (so a typo does not cost a whole run)."""
    if path.exists() and not path.is_dir():
        raise NarrativesError(f"{option} {path}: exists and is not a folder; give a folder for the output")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NarrativesError(f"{option} {path}: cannot create the folder ({exc.strerror or exc})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise NarrativesError(f"{option} {path}: the folder is not writable")


def check_new_file(path: Path, option: str, force: bool) -> None:
    """An output file must not overwrite anything unless --force is given, and never a folder."""
    if path.is_dir():
        raise NarrativesError(f"{option} {path}: is a folder; give a file name")
    if path.exists() and not force:
        raise NarrativesError(f"{option} {path}: exists; pass --force to overwrite it")
