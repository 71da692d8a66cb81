"""The store: one DuckDB file, the only shared state between stages and the only place that speaks SQL.

Each area of the schema has its own mixin module so that stages stay independent; `Store` joins them.
"""

from __future__ import annotations

from .coordination import CoordinationMixin
from .core import StoreBusyError, StoreCore, StoreError, default_db_path
from .posts import PostsMixin
from .runs import RunsMixin
from .site import SiteMixin
from .targets import TargetsMixin
from .tracking import TrackingMixin


class Store(PostsMixin, RunsMixin, TargetsMixin, TrackingMixin, CoordinationMixin, SiteMixin,
            StoreCore):
    """Open with `Store(path)`; use `with store.transaction():` around writes that belong together."""


__all__ = ["Store", "StoreBusyError", "StoreError", "default_db_path"]
