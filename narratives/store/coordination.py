"""Coordinated groups of near-duplicate posts (coordination)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd



class CoordinationMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""

    def post_authors(self, posts: pd.DataFrame) -> list[str | None]:
        """The author handle of each (platform, post_id) row of `posts`, in the same order."""
        keys = pd.DataFrame({"platform": posts["platform"].astype(str), "post_id": posts["post_id"].astype(str),
                             "i": np.arange(len(posts))})
        self.con.register("_author_keys", keys)
        try:
            found = self.con.execute(
                "SELECT k.i, p.author_handle FROM _author_keys k LEFT JOIN posts p USING (platform, post_id) ORDER BY k.i"
            ).fetchall()
        finally:
            self.con.unregister("_author_keys")
        return [handle for _, handle in found]

    def save_coordination(self, run_id: str, groups: Sequence[dict[str, Any]]) -> None:
        """Replace the run's flagged groups and their member posts (author and time come from `posts`), atomically.

        Each group: group_id, members ((platform, post_id), ...), accounts, first_at, last_at, method.
        """
        members = pd.DataFrame(
            [(run_id, g["group_id"], platform, post_id) for g in groups for platform, post_id in g["members"]],
            columns=["run_id", "group_id", "platform", "post_id"],
        )
        with self.transaction():
            self.con.execute("DELETE FROM coordination WHERE run_id = ?", [run_id])
            self.con.execute("DELETE FROM coordination_groups WHERE run_id = ?", [run_id])
            if not groups:
                return
            self.con.executemany(
                "INSERT INTO coordination_groups VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[run_id, g["group_id"], len(g["members"]), len(g["accounts"]), list(g["accounts"]), g["first_at"],
                  g["last_at"], g["method"]] for g in groups],
            )
            self.con.register("_coordination_members", members)
            try:
                self.con.execute(
                    "INSERT INTO coordination SELECT m.run_id, m.group_id, m.platform, m.post_id, p.author_handle, "
                    "p.created_at FROM _coordination_members m LEFT JOIN posts p USING (platform, post_id)"
                )
            finally:
                self.con.unregister("_coordination_members")

    def coordination_groups(self, run_id: str) -> pd.DataFrame:
        """The run's flagged groups, largest first."""
        return self.con.execute(
            "SELECT * FROM coordination_groups WHERE run_id = ? ORDER BY n_posts DESC, first_at, group_id", [run_id]
        ).df()

    def coordination_members(self, run_id: str) -> pd.DataFrame:
        """One row per flagged post of the run: group_id, platform, post_id, author_handle, created_at."""
        return self.con.execute(
            "SELECT group_id, platform, post_id, author_handle, created_at FROM coordination "
            "WHERE run_id = ? ORDER BY group_id, created_at, post_id", [run_id]
        ).df()
