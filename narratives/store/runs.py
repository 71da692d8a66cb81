"""Embeddings cache, runs, narratives and assignments (embed, discover, label)."""

from __future__ import annotations


class RunsMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""
