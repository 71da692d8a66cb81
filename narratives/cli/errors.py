"""The one place where an exception becomes what the user sees: one line on stderr and an exit status.

Every command runs inside `handle_errors` (see `narratives.cli.main`). Errors the user can act on
(`NarrativesError`, files that cannot be read or written) print `error: <message>` and exit 1;
Ctrl-C exits 130; anything else is a bug and prints one `internal error:` line (exit 70) instead of
a traceback. Set `NARRATIVES_DEBUG=1` to let the traceback through.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from ..errors import NarrativesError, ParameterError

USER_ERRORS: tuple[type[BaseException], ...] = (NarrativesError, OSError)
"""Exception types whose message is for the user (printed as `error: ...`, exit status 1)."""

DEBUG_ENV = "NARRATIVES_DEBUG"
EXIT_USER, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 70, 130
MAX_MESSAGE_CHARS = 2_000


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Collapse whitespace runs that contain line breaks, and cut very long messages."""
    text = " ".join(part.strip() for part in str(text).splitlines() if part.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(exc: BaseException) -> tuple[str, int]:
    """(message, exit status) for an exception that reached the top of a command."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", EXIT_INTERRUPTED
    if isinstance(exc, ParameterError):  # the library names its parameters; say it with the flag the user typed
        from .common import flag_for

        return f"error: {one_line(exc.for_name(flag_for(exc.parameter)))}", EXIT_USER
    if isinstance(exc, NarrativesError):
        return f"error: {one_line(str(exc))}", EXIT_USER
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename is not None else ""
        reason = exc.strerror or (errno.errorcode.get(exc.errno, "") if exc.errno else "") or str(exc)
        where = f"{name}: " if name != "" else ""
        return f"error: {one_line(f'{where}{reason}')}", EXIT_USER
    if isinstance(exc, duckdb.IOException):  # the disk under the store is full or gone
        return f"error: store I/O failed: {one_line(str(exc), 500)}", EXIT_USER
    if isinstance(exc, MemoryError):
        return "error: out of memory (the input is larger than this machine can hold)", EXIT_USER
    if isinstance(exc, RecursionError):
        return "internal error: input nested too deeply (RecursionError)", EXIT_INTERNAL
    detail = one_line(f"{type(exc).__name__}: {exc}", 500)
    return (f"internal error: {detail} (a bug in narratives; set {DEBUG_ENV}=1 to see the traceback)",
            EXIT_INTERNAL)


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


@contextmanager
def handle_errors() -> Iterator[None]:
    """Run a command; turn any exception into one line on stderr and `sys.exit(status)`."""
    try:
        yield
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - this is the top of the program
        if debugging():
            raise
        message, status = describe(exc)
        from .common import err_console

        try:
            err_console.print(message, highlight=False, soft_wrap=True, markup=False)
        except Exception:  # noqa: BLE001 - a broken stderr must not turn into a traceback either
            pass
        sys.exit(status)
