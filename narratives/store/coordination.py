"""Coordinated groups of near-duplicate posts (coordination)."""

from __future__ import annotations


class CoordinationMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""
