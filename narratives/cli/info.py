"""`narratives version`."""

from __future__ import annotations

from .. import __version__
from . import app
from .common import console


@app.command()
def version() -> None:
    """Print the installed version."""
    console.print(__version__)
