"""Exceptions that mean "the user must fix something": printed as one line, exit status 1."""

from __future__ import annotations

from ..errors import NarrativesError

USER_ERRORS: tuple[type[BaseException], ...] = (NarrativesError, FileNotFoundError)
