"""Options, consoles and output helpers shared by every command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console, ConsoleDimensions

from ..api import DEFAULT_STORE
from ..api import open_store as _open_store
from ..config import OPTIONS
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


console = _Console(soft_wrap=True)  # long paths and messages must not break mid-word when piped
err_console = Console(stderr=True, soft_wrap=True)

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
    name = _OPTION_OF_FIELD.get(parameter, parameter)
    return _FLAGS.get(name) or "--" + name.rsplit(".", 1)[-1].replace("_", "-")


def open_store(db: Path, *, read_only: bool = False) -> Store:
    """Open the store for a command (errors become one-line messages via `main`)."""
    return _open_store(db, read_only=read_only)


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON on stdout (no colours, no wrapping)."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
