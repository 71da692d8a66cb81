"""Coordination networks of a run: groups, their evidence posts and the account edges (coordination)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from .core import rows_as_dicts

if TYPE_CHECKING:  # the store takes the stage's plain values; it imports no stage
    from ..coordination import CoordinationResult


class CoordinationMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""

    def coordination_input(self, since: datetime | None = None, until: datetime | None = None) -> pd.DataFrame:
        """Posts in [since, until) with what the coordination networks read: author, own text, repost and hashtags."""
        return self.con.execute(
            "SELECT platform, post_id, author_handle, created_at, text, is_repost, repost_of, hashtags FROM posts "
            "WHERE (? IS NULL OR created_at >= ?) AND (? IS NULL OR created_at < ?) "
            "ORDER BY created_at, platform, post_id",
            [since, since, until, until],
        ).df()

    def save_coordination(self, run_id: str, result: CoordinationResult) -> None:
        """Replace the run's groups, evidence posts and account edges, atomically."""
        groups = pd.DataFrame(
            [(run_id, g.group_id, g.network, len(g.members), len(g.accounts), list(g.accounts), g.first_at, g.last_at)
             for g in result.groups],
            columns=["run_id", "group_id", "network", "n_posts", "n_accounts", "accounts", "first_at", "last_at"],
        )
        posts = result.posts.assign(run_id=run_id)[
            ["run_id", "network", "group_id", "platform", "post_id", "account", "created_at", "object"]]
        edges = result.edges.assign(run_id=run_id)[
            ["run_id", "network", "account_a", "account_b", "weight", "first_at", "last_at", "group_id"]]
        with self.transaction():
            for table in ("coordination_group", "coordination_post", "coordination_edge"):
                self.con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
            for table, frame in (("coordination_group", groups), ("coordination_post", posts),
                                 ("coordination_edge", edges)):
                if frame.empty:
                    continue
                self.con.register("_coordination_rows", frame)
                try:
                    self.con.execute(f"INSERT INTO {table} SELECT * FROM _coordination_rows")
                finally:
                    self.con.unregister("_coordination_rows")

    def coordination_groups(self, run_id: str, narrative_id: str | None = None) -> pd.DataFrame:
        """The run's groups, most accounts first, with the narratives and candidates their posts push.

        Columns: group_id, network, n_accounts, n_posts, accounts, first_at, last_at, narratives (ids, most
        posts first), candidates (ids, most posts first). With `narrative_id`, only groups with a post in it.
        """
        return self.con.execute(
            """
            WITH narr AS (
                SELECT c.group_id, a.narrative_id, count(*) AS n FROM coordination_post c
                JOIN assignments a ON a.run_id = c.run_id AND a.platform = c.platform AND a.post_id = c.post_id
                WHERE c.run_id = $run AND a.narrative_id IS NOT NULL GROUP BY ALL
            ), cand AS (
                SELECT c.group_id, m.candidate_id, count(DISTINCT (m.platform, m.post_id)) AS n
                FROM coordination_post c
                JOIN mentions m ON m.run_id = c.run_id AND m.platform = c.platform AND m.post_id = c.post_id
                WHERE c.run_id = $run GROUP BY ALL
            )
            SELECT g.group_id, g.network, g.n_accounts, g.n_posts, g.accounts, g.first_at, g.last_at,
                   coalesce((SELECT list(narrative_id ORDER BY n DESC, narrative_id) FROM narr
                             WHERE narr.group_id = g.group_id), []) AS narratives,
                   coalesce((SELECT list(candidate_id ORDER BY n DESC, candidate_id) FROM cand
                             WHERE cand.group_id = g.group_id), []) AS candidates
            FROM coordination_group g
            WHERE g.run_id = $run
              AND ($narrative IS NULL OR g.group_id IN (SELECT group_id FROM narr WHERE narrative_id = $narrative))
            ORDER BY g.n_accounts DESC, g.n_posts DESC, g.first_at, g.group_id
            """,
            {"run": run_id, "narrative": narrative_id},
        ).df()

    def coordination_group_posts(self, run_id: str, group_id: str) -> pd.DataFrame:
        """The evidence posts of one group in time order: platform, post_id, author_handle, created_at,
        text, object and the narrative each was assigned to."""
        return self.con.execute(
            "SELECT c.platform, c.post_id, c.author_handle, c.created_at, p.text, c.object, a.narrative_id "
            "FROM coordination_post c LEFT JOIN posts p USING (platform, post_id) "
            "LEFT JOIN assignments a ON a.run_id = c.run_id AND a.platform = c.platform AND a.post_id = c.post_id "
            "WHERE c.run_id = ? AND c.group_id = ? ORDER BY c.created_at, c.platform, c.post_id",
            [run_id, group_id],
        ).df()

    def coordination_members(self, run_id: str) -> pd.DataFrame:
        """One row per evidence post of the run: network, group_id, platform, post_id, author_handle, created_at."""
        return self.con.execute(
            "SELECT network, group_id, platform, post_id, author_handle, created_at FROM coordination_post "
            "WHERE run_id = ? ORDER BY group_id, created_at, post_id", [run_id]
        ).df()

    def coordination_edges(self, run_id: str) -> pd.DataFrame:
        """The run's kept account edges: network, account_a, account_b, weight, first_at, last_at, group_id."""
        return self.con.execute(
            "SELECT network, account_a, account_b, weight, first_at, last_at, group_id FROM coordination_edge "
            "WHERE run_id = ? ORDER BY network, account_a, account_b", [run_id]
        ).df()

    def coordination_accounts(self, run_id: str) -> list[dict]:
        """One row per account in a kept edge: handle, posts (its posts in the run's window), evidence
        posts, groups and the narratives its evidence posts were assigned to (most first)."""
        return rows_as_dicts(self.con.execute(
            """
            WITH acc AS (
                SELECT account_a AS handle FROM coordination_edge WHERE run_id = $run
                UNION SELECT account_b FROM coordination_edge WHERE run_id = $run
            ), run AS (SELECT since, until FROM runs WHERE run_id = $run),
            narr AS (
                SELECT c.author_handle AS handle, a.narrative_id, count(*) AS n FROM coordination_post c
                JOIN assignments a ON a.run_id = c.run_id AND a.platform = c.platform AND a.post_id = c.post_id
                WHERE c.run_id = $run AND a.narrative_id IS NOT NULL GROUP BY ALL
            )
            SELECT acc.handle,
                   (SELECT count(*) FROM posts p, run WHERE p.author_handle = acc.handle
                      AND (run.since IS NULL OR p.created_at >= run.since)
                      AND (run.until IS NULL OR p.created_at < run.until)) AS posts,
                   (SELECT count(*) FROM coordination_post c WHERE c.run_id = $run
                      AND c.author_handle = acc.handle) AS evidence_posts,
                   coalesce((SELECT list(DISTINCT e.group_id ORDER BY e.group_id) FROM coordination_edge e
                      WHERE e.run_id = $run AND acc.handle IN (e.account_a, e.account_b)), []) AS groups,
                   coalesce((SELECT list(narrative_id ORDER BY n DESC, narrative_id) FROM narr
                      WHERE narr.handle = acc.handle), []) AS narratives
            FROM acc ORDER BY acc.handle
            """,
            {"run": run_id},
        ))

    def coordinated_share(self, run_id: str, since: datetime | None = None,
                          until: datetime | None = None) -> pd.DataFrame:
        """Per narrative, its posts in [since, until) and how many come from accounts in a coordination
        group of the run: narrative_id, posts, coordinated_posts, share."""
        return self.con.execute(
            """
            WITH coordinated AS (
                SELECT DISTINCT unnest(accounts) AS handle FROM coordination_group WHERE run_id = $run
            )
            SELECT a.narrative_id, count(*) AS posts,
                   count(*) FILTER (WHERE p.author_handle IN (SELECT handle FROM coordinated)) AS coordinated_posts,
                   coordinated_posts / count(*) AS share
            FROM assignments a JOIN posts p USING (platform, post_id)
            WHERE a.run_id = $run AND a.narrative_id IS NOT NULL
              AND ($since IS NULL OR p.created_at >= $since) AND ($until IS NULL OR p.created_at < $until)
            GROUP BY a.narrative_id ORDER BY share DESC, a.narrative_id
            """,
            {"run": run_id, "since": since, "until": until},
        ).df()

    def coordination_activity(self, run_id: str, since: datetime | None = None,
                              until: datetime | None = None) -> list[dict]:
        """The run's groups with evidence posts in [since, until), most accounts first: group_id, network,
        n_accounts (the whole group), posts (evidence posts in the period), first_at, last_at (in the
        period), narratives and candidates (ids, most period posts first)."""
        return rows_as_dicts(self.con.execute(
            """
            WITH p AS (
                SELECT * FROM coordination_post WHERE run_id = $run
                  AND ($since IS NULL OR created_at >= $since) AND ($until IS NULL OR created_at < $until)
            ), narr AS (
                SELECT p.group_id, a.narrative_id, count(*) AS n FROM p
                JOIN assignments a ON a.run_id = p.run_id AND a.platform = p.platform AND a.post_id = p.post_id
                WHERE a.narrative_id IS NOT NULL GROUP BY ALL
            ), cand AS (
                SELECT p.group_id, m.candidate_id, count(DISTINCT (m.platform, m.post_id)) AS n FROM p
                JOIN mentions m ON m.run_id = p.run_id AND m.platform = p.platform AND m.post_id = p.post_id
                GROUP BY ALL
            )
            SELECT g.group_id, g.network, g.n_accounts, count(*) AS posts, min(p.created_at) AS first_at,
                   max(p.created_at) AS last_at,
                   coalesce((SELECT list(narrative_id ORDER BY n DESC, narrative_id) FROM narr
                             WHERE narr.group_id = g.group_id), []) AS narratives,
                   coalesce((SELECT list(candidate_id ORDER BY n DESC, candidate_id) FROM cand
                             WHERE cand.group_id = g.group_id), []) AS candidates
            FROM coordination_group g JOIN p USING (run_id, group_id)
            GROUP BY g.group_id, g.network, g.n_accounts
            ORDER BY g.n_accounts DESC, posts DESC, first_at, g.group_id
            """,
            {"run": run_id, "since": since, "until": until},
        ))
