"""`narratives` command line: thin wrappers over library functions, one module per command group."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="narratives",
    help="Find, track and report the narratives influence operations push against candidates.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Find, track and report the narratives influence operations push against candidates."""


# Command modules register themselves on `app` when imported.
from . import commands  # noqa: E402,F401


def main() -> None:
    """Console entry point: every error prints as one line (see `cli.errors.handle_errors`), never a traceback."""
    from .errors import handle_errors

    with handle_errors():
        app()
