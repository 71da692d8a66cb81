"""What coordination detection returns: groups of accounts, with the edges and posts behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from .config import CoordinationConfig


@dataclass(frozen=True)
class CoordinationGroup:
    """One group of accounts of one network: its evidence posts (platform, post_id), accounts and time span."""

    group_id: str
    network: str
    members: tuple[tuple[str, str], ...]
    accounts: tuple[str, ...]
    first_at: datetime
    last_at: datetime


@dataclass
class CoordinationResult:
    """Groups (largest first), the kept account edges and the evidence posts of every network.

    edges: network, account_a, account_b (a < b), weight, first_at, last_at, group_id.
    posts: network, group_id, platform, post_id, account, created_at, object (what they shared).
    """

    groups: list[CoordinationGroup]
    edges: pd.DataFrame
    posts: pd.DataFrame
    config: CoordinationConfig


EDGE_COLUMNS = ["network", "account_a", "account_b", "weight", "first_at", "last_at", "group_id"]
POST_COLUMNS = ["network", "group_id", "platform", "post_id", "account", "created_at", "object"]
