"""Candidate mentions and stance (targets)."""

from __future__ import annotations


class TargetsMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""
