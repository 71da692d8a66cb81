"""Candidate mentions and stance (targets)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from .core import rows_as_dicts

MENTION_COLUMNS = ("run_id", "platform", "post_id", "candidate_id", "span_start", "span_end", "surface", "method",
                   "confidence", "stance", "stance_score")


class TargetsMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""

    def save_mentions(self, run_id: str, mentions: pd.DataFrame) -> int:
        """Replace the run's mentions by `mentions` (columns of MENTION_COLUMNS but run_id); return rows written.

        Call inside the run's `transaction()`; it opens none itself so the caller decides what commits together.
        """
        frame = mentions.assign(run_id=run_id).reindex(columns=list(MENTION_COLUMNS))
        table = pa.Table.from_pandas(frame, preserve_index=False, schema=pa.schema([
            ("run_id", pa.string()), ("platform", pa.string()), ("post_id", pa.string()),
            ("candidate_id", pa.string()), ("span_start", pa.int32()), ("span_end", pa.int32()),
            ("surface", pa.string()), ("method", pa.string()), ("confidence", pa.float64()),
            ("stance", pa.string()), ("stance_score", pa.float64()),
        ]))
        self.con.execute("DELETE FROM mentions WHERE run_id = ?", [run_id])
        self.con.register("_new_mentions", table)
        try:
            self.con.execute(f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) "
                             f"SELECT {', '.join(MENTION_COLUMNS)} FROM _new_mentions")
        finally:
            self.con.unregister("_new_mentions")
        return table.num_rows

    def run_mentions(self, run_id: str) -> pd.DataFrame:
        """Every mention of a run, in post and text order."""
        return self.con.execute(
            "SELECT * FROM mentions WHERE run_id = ? ORDER BY platform, post_id, span_start NULLS FIRST, candidate_id",
            [run_id],
        ).df()

    def narrative_targets(self, run_id: str) -> list[dict[str, Any]]:
        """Per narrative x candidate: posts that mention the candidate, their share of the narrative's posts,
        and how many of those posts are against / favor / neutral toward the candidate."""
        return rows_as_dicts(self.con.execute(
            """
            WITH sizes AS (
                SELECT narrative_id, count(*) AS narrative_posts FROM assignments
                WHERE run_id = ? AND narrative_id IS NOT NULL GROUP BY 1
            ),
            per_post AS (
                SELECT a.narrative_id, m.platform, m.post_id, m.candidate_id, any_value(m.stance) AS stance
                FROM mentions m JOIN assignments a
                     ON a.run_id = m.run_id AND a.platform = m.platform AND a.post_id = m.post_id
                WHERE m.run_id = ? AND a.narrative_id IS NOT NULL
                GROUP BY ALL
            )
            SELECT p.narrative_id, p.candidate_id, count(*) AS posts,
                   count(*) / any_value(s.narrative_posts) AS share,
                   count(*) FILTER (WHERE p.stance = 'against') AS against,
                   count(*) FILTER (WHERE p.stance = 'favor') AS favor,
                   count(*) FILTER (WHERE p.stance = 'neutral') AS neutral
            FROM per_post p JOIN sizes s USING (narrative_id)
            GROUP BY ALL
            ORDER BY p.narrative_id, posts DESC, p.candidate_id
            """, [run_id, run_id]))

    def candidate_weekly(self, run_id: str, candidate_id: str | None = None) -> list[dict[str, Any]]:
        """Per candidate x narrative x ISO week (UTC): posts that mention the candidate, and how many against."""
        return rows_as_dicts(self.con.execute(
            """
            WITH per_post AS (
                SELECT m.candidate_id, a.narrative_id, n.label, n.taxonomy_id, strftime(p.created_at, '%G-W%V') AS week,
                       m.platform, m.post_id, bool_or(m.stance = 'against') AS against
                FROM mentions m
                JOIN assignments a ON a.run_id = m.run_id AND a.platform = m.platform AND a.post_id = m.post_id
                JOIN narratives n ON n.run_id = a.run_id AND n.narrative_id = a.narrative_id
                JOIN posts p ON p.platform = m.platform AND p.post_id = m.post_id
                WHERE m.run_id = ? AND (?::VARCHAR IS NULL OR m.candidate_id = ?)
                GROUP BY ALL
            )
            SELECT candidate_id, narrative_id, any_value(label) AS label, any_value(taxonomy_id) AS taxonomy_id,
                   week, count(*) AS posts, count(*) FILTER (WHERE against) AS against
            FROM per_post
            GROUP BY candidate_id, narrative_id, week
            ORDER BY candidate_id, narrative_id, week
            """, [run_id, candidate_id, candidate_id]))

