"""Drill-down queries for the explorable report (report site): every post of a period, posts by key, stance
mix per narrative x candidate and lineage across runs. (Coordinated groups come from the coordination
area's own `coordination_groups` / `coordination_members`.)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa

from .core import rows_as_dicts

_POST_FIELDS = ("a.narrative_id, p.platform, p.post_id, p.created_at, "
                "coalesce(p.author_handle, p.author_id) AS author, p.lang, p.likes, p.reposts, p.replies, "
                "p.is_repost, p.text")


class SiteMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""

    def period_posts(self, run_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Every post the run put in a narrative in [start, end), oldest first."""
        return rows_as_dicts(self.con.execute(
            f"""
            SELECT {_POST_FIELDS}
            FROM assignments a JOIN posts p USING (platform, post_id)
            WHERE a.run_id = ? AND a.narrative_id IS NOT NULL AND p.created_at >= ? AND p.created_at < ?
            ORDER BY p.created_at, p.platform, p.post_id
            """, [run_id, start, end]))

    def posts_by_key(self, run_id: str, keys: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        """The posts with these (platform, post_id) keys, oldest first, with the narrative the run put each
        in (None for an outlier or a post outside the run)."""
        frame = pa.table({"platform": pa.array([k[0] for k in keys], pa.string()),
                          "post_id": pa.array([k[1] for k in keys], pa.string())})
        self.con.register("_site_keys", frame)
        try:
            return rows_as_dicts(self.con.execute(
                f"""
                SELECT DISTINCT {_POST_FIELDS}
                FROM _site_keys k JOIN posts p USING (platform, post_id)
                     LEFT JOIN assignments a ON a.run_id = ? AND a.platform = p.platform AND a.post_id = p.post_id
                ORDER BY p.created_at, p.platform, p.post_id
                """, [run_id]))
        finally:
            self.con.unregister("_site_keys")

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
