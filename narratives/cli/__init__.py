"""`narratives` command line: thin wrappers over library functions, one module per command group."""

from __future__ import annotations

import sys

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
    """Console entry point: errors the user can fix print as one line and exit 1, never a traceback."""
    from rich.markup import escape

    from ..errors import ParameterError
    from .common import err_console, flag_for
    from .errors import USER_ERRORS

    try:
        app()
    except USER_ERRORS as exc:
        # the library names its parameters; say the same with the flag the user typed
        message = exc.for_name(flag_for(exc.parameter)) if isinstance(exc, ParameterError) else str(exc)
        err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
        sys.exit(1)
