"""Drill-down queries for the explorable report (report site): every post of a period, stance mix per
narrative x candidate, lineage across runs and the posts of coordinated groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .core import rows_as_dicts


class SiteMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""

    def period_posts(self, run_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Every post the run put in a narrative in [start, end), oldest first, with the coordinated
        group it belongs to (None when it is in none)."""
        return rows_as_dicts(self.con.execute(
            """
            SELECT a.narrative_id, p.platform, p.post_id, p.created_at,
                   coalesce(p.author_handle, p.author_id) AS author, p.lang, p.likes, p.reposts, p.replies,
                   p.is_repost, p.text, a.score, c.group_id
            FROM assignments a JOIN posts p USING (platform, post_id)
                 LEFT JOIN coordination c ON c.run_id = a.run_id AND c.platform = p.platform AND c.post_id = p.post_id
            WHERE a.run_id = ? AND a.narrative_id IS NOT NULL AND p.created_at >= ? AND p.created_at < ?
            ORDER BY p.created_at, p.platform, p.post_id
            """, [run_id, start, end]))

    def target_stances(self, run_id: str, start: datetime | None = None,
                       end: datetime | None = None) -> list[dict[str, Any]]:
        """Per narrative x mentioned candidate, over the run's posts in [start, end) (all when None): posts,
        and how many are against / favor / neutral / unknown toward the candidate (a post with several
        mentions of one candidate counts once: against if any mention is, else favor, else neutral)."""
        return rows_as_dicts(self.con.execute(
            """
            WITH per_post AS (
                SELECT a.narrative_id, m.candidate_id, m.platform, m.post_id,
                       CASE WHEN bool_or(m.stance = 'against') THEN 'against'
                            WHEN bool_or(m.stance = 'favor') THEN 'favor'
                            WHEN bool_or(m.stance = 'neutral') THEN 'neutral' ELSE 'unknown' END AS stance
                FROM mentions m
                JOIN assignments a ON a.run_id = m.run_id AND a.platform = m.platform AND a.post_id = m.post_id
                JOIN posts p ON p.platform = m.platform AND p.post_id = m.post_id
                WHERE m.run_id = ? AND a.narrative_id IS NOT NULL
                  AND (?::TIMESTAMP IS NULL OR p.created_at >= ?) AND (?::TIMESTAMP IS NULL OR p.created_at < ?)
                GROUP BY ALL
            )
            SELECT narrative_id, candidate_id, count(*) AS posts,
                   count(*) FILTER (WHERE stance = 'against') AS against,
                   count(*) FILTER (WHERE stance = 'favor') AS favor,
                   count(*) FILTER (WHERE stance = 'neutral') AS neutral,
                   count(*) FILTER (WHERE stance = 'unknown') AS unknown
            FROM per_post GROUP BY ALL
            ORDER BY posts DESC, candidate_id, narrative_id
            """, [run_id, start, start, end, end]))

    def lineage_history(self, run_id: str) -> list[dict[str, Any]]:
        """Lineage rows of this run and every finished run started before it, oldest run first, with the
        run's start time and the narrative's label and size in that run."""
        return rows_as_dicts(self.con.execute(
            """
            SELECT l.run_id, r.started_at, l.narrative_id, l.previous_run_id, l.previous_narrative_id,
                   l.relation, l.similarity, n.label, n.n_posts
            FROM narrative_lineage l JOIN runs r USING (run_id)
                 LEFT JOIN narratives n ON n.run_id = l.run_id AND n.narrative_id = l.narrative_id
            WHERE l.run_id = ? OR (r.status = 'done'
                  AND (r.started_at, r.run_id) < (SELECT (started_at, run_id) FROM runs WHERE run_id = ?))
            ORDER BY r.started_at, l.run_id, l.narrative_id, l.relation, l.previous_narrative_id
            """, [run_id, run_id]))

    def coordination_posts(self, run_id: str) -> list[dict[str, Any]]:
        """Every post of the run's coordinated groups with its text, engagement and narrative, by group
        and time."""
        return rows_as_dicts(self.con.execute(
            """
            SELECT c.group_id, c.platform, c.post_id, coalesce(p.created_at, c.created_at) AS created_at,
                   coalesce(c.author_handle, p.author_handle, p.author_id) AS author, p.lang, p.likes, p.reposts,
                   p.replies, p.is_repost, p.text, a.narrative_id
            FROM coordination c LEFT JOIN posts p USING (platform, post_id)
                 LEFT JOIN assignments a ON a.run_id = c.run_id AND a.platform = c.platform AND a.post_id = c.post_id
            WHERE c.run_id = ?
            ORDER BY c.group_id, created_at, c.platform, c.post_id
            """, [run_id]))
