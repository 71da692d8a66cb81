"""Options, consoles, checks and output helpers shared by every command.

The consoles never interpret rich markup: everything they print may hold user data (post text,
platform names, file paths), and `[/b]` in any of it must print as is, not crash. Styling is
applied with `rich.text.Text` objects (see `heading`), never with markup in strings.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console, ConsoleDimensions
from rich.text import Text

from ..api import DEFAULT_STORE
from ..api import open_store as _open_store
from ..config import OPTIONS
from ..errors import NarrativesError
from ..store import Store

FULL_WIDTH = 10_000  # columns when stdout is not a terminal: tables keep every label whole


class _Console(Console):
    """A console that prints at full width when its output is not a terminal (a log, a pipe, CI):
    rich's default of 80 columns there cut every label to "@realdo…"."""

    @property
    def size(self) -> ConsoleDimensions:
        size = Console.size.fget(self)
        if self._width is None and not self.is_terminal:
            return ConsoleDimensions(FULL_WIDTH, size.height)
        return size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)


# markup and emoji codes off: strings print literally; long paths and messages must not break mid-word when piped
console = _Console(soft_wrap=True, markup=False, emoji=False)
err_console = Console(stderr=True, soft_wrap=True, markup=False, emoji=False)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="NARRATIVES_DB", help="DuckDB store file.", show_default=True),
]
DEFAULT_DB = DEFAULT_STORE
RunOption = Annotated[Optional[str], typer.Option("--run", help="Run id (default: the latest).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

# Library parameter names whose flag is not simply --the-name.
_FLAGS = {"out_dir": "--out", "run_id": "--run", "mapping": "--map", "formats": "--format", "models": "--model",
          "sets": "--set", "paths": "PATHS"}
_OPTION_OF_FIELD = {field: option for option, field in OPTIONS.items()}


def flag_for(parameter: str) -> str:
    """The CLI flag for a library parameter (`since` -> `--since`, `discovery.sample_size` -> `--sample-size`)."""
    if parameter.startswith("coordination.") or parameter == "coordination":  # --coordination NAME=VALUE
        return f"--coordination {parameter.partition('.')[2]}".rstrip()
    name = _OPTION_OF_FIELD.get(parameter, parameter)
    return _FLAGS.get(name) or "--" + name.rsplit(".", 1)[-1].replace("_", "-")


def open_store(db: Path, *, read_only: bool = False, create: bool = True) -> Store:
    """Open the store for a command (errors become one-line messages via `main`).

    `create=False` refuses a path with no store (commands that only make sense on ingested data).
    """
    return _open_store(db, read_only=read_only, create=create)


@contextmanager
def discard_if_new(db: Path) -> Iterator[None]:
    """Run a command that must not leave a store behind where there was none: if `db` did not exist
    and the body fails, the store file it created (and its WAL) is removed again."""
    existed = db.exists()
    try:
        yield
    except BaseException:
        if not existed:
            for leftover in (db, db.with_name(db.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise


def heading(text: str) -> Text:
    """A bold line (styled without markup, so `text` may hold anything)."""
    return Text(text, style="bold")


def check_output_dir(path: Path, option: str) -> None:
    """An output folder given on the command line must be a folder we can create and write, checked
    before any work is done (so a typo does not cost a whole run). Nothing is created here: a command
    that then fails leaves no empty folder behind."""
    if path.exists() and not path.is_dir():
        raise NarrativesError(f"{option} {path}: exists and is not a folder; give a folder for the output")
    existing = path.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise NarrativesError(f"{option} {path}: cannot create the folder ({existing} is not a folder)")
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "the folder is not writable" if existing == path.absolute() else f"{existing} is not writable"
        raise NarrativesError(f"{option} {path}: {what}")


def check_new_file(path: Path, option: str, force: bool) -> None:
    """An output file must not overwrite anything unless --force is given, and never a folder."""
    if path.is_dir():
        raise NarrativesError(f"{option} {path}: is a folder; give a file name")
    if path.exists() and not force:
        raise NarrativesError(f"{option} {path}: exists; pass --force to overwrite it")


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON on stdout (no colours, no wrapping)."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
