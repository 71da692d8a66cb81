"""Narrative lineage, weekly series and bursts (track, report)."""

from __future__ import annotations


class TrackingMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""
