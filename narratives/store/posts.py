"""Posts, gold labels, rejects and ingest records (ingest and status)."""

from __future__ import annotations


class PostsMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""
