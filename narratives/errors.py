"""Base class for errors the user can act on (bad input file, malformed YAML, missing model...)."""

from __future__ import annotations


class NarrativesError(Exception):
    """Raised with a one-line message naming the file, line and field at fault where there is one."""
