"""Narrative lineage, weekly series and bursts (track, report)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from .core import rows_as_dicts

_WEEK = "printf('%d-W%02d', isoyear(p.created_at), week(p.created_at))"
_WEEKLY_COLUMNS = ("narrative_id", "candidate_id", "week", "posts", "authors", "reposts", "likes", "replies",
                   "growth", "burst")
_WEEKLY_SUMS = ("posts", "authors", "reposts", "likes", "replies")
_BIGINT_MAX = 2**63 - 1
_WEEKLY_SCHEMA = pa.schema([("run_id", pa.string()), ("narrative_id", pa.string()), ("candidate_id", pa.string()),
                            ("week", pa.string()), *((c, pa.int64()) for c in _WEEKLY_SUMS),
                            ("growth", pa.float64()), ("burst", pa.bool_())])



class TrackingMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""

    # --- track: stable ids -------------------------------------------------------------------------

    def known_narrative_ids(self) -> list[str]:
        """Every narrative id any run has used (the global id sequence continues after them)."""
        rows = self.con.execute(
            "SELECT narrative_id FROM narratives UNION SELECT narrative_id FROM narrative_lineage"
        ).fetchall()
        return [r[0] for r in rows]

    def latest_centroids(self) -> list[tuple[str, str, np.ndarray]]:
        """(narrative_id, run_id, centroid) of each narrative's most recent appearance in a finished run."""
        rows = self.con.execute(
            """
            SELECT n.narrative_id, n.run_id, n.centroid
            FROM narratives n JOIN runs r USING (run_id)
            WHERE r.status = 'done' AND n.centroid IS NOT NULL AND n.parent_id IS NULL
            QUALIFY row_number() OVER (PARTITION BY n.narrative_id ORDER BY r.started_at DESC, r.run_id DESC) = 1
            ORDER BY n.narrative_id
            """).fetchall()
        return [(nid, rid, np.asarray(c, dtype=np.float32)) for nid, rid, c in rows]

    def latest_child_centroids(self) -> list[tuple[str, str, np.ndarray]]:
        """(narrative_id, parent_id, centroid) of each sub-narrative's most recent appearance in a finished run."""
        rows = self.con.execute(
            """
            SELECT n.narrative_id, n.parent_id, n.centroid
            FROM narratives n JOIN runs r USING (run_id)
            WHERE r.status = 'done' AND n.centroid IS NOT NULL AND n.parent_id IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY n.narrative_id ORDER BY r.started_at DESC, r.run_id DESC) = 1
            ORDER BY n.narrative_id
            """).fetchall()
        return [(nid, pid, np.asarray(c, dtype=np.float32)) for nid, pid, c in rows]

    def prior_text_narratives(self, hashes: Sequence[str]) -> dict[str, str]:
        """text_hash -> the narrative the latest finished run that saw the text put it in (outliers left out)."""
        self.con.register("_track_hashes", pa.table({"text_hash": pa.array(list(hashes), pa.string())}))
        try:
            rows = self.con.execute(
                """
                SELECT p.text_hash, a.narrative_id
                FROM assignments a JOIN runs r USING (run_id) JOIN posts p USING (platform, post_id)
                     JOIN _track_hashes h ON h.text_hash = p.text_hash
                WHERE r.status = 'done'
                QUALIFY row_number() OVER (PARTITION BY p.text_hash
                                           ORDER BY r.started_at DESC, r.run_id DESC, a.narrative_id NULLS LAST) = 1
                """).fetchall()
        finally:
            self.con.unregister("_track_hashes")
        return {h: n for h, n in rows if n is not None}

    def save_lineage(self, run_id: str, links: Iterable[Any]) -> None:
        """Replace the lineage rows of `run_id` (objects with LineageLink's fields)."""
        self.con.execute("DELETE FROM narrative_lineage WHERE run_id = ?", [run_id])
        rows = [[run_id, l.narrative_id, l.previous_run_id, l.previous_narrative_id, l.relation, l.similarity]
                for l in links]
        if rows:
            self.con.executemany("INSERT INTO narrative_lineage VALUES (?, ?, ?, ?, ?, ?)", rows)

    def lineage(self, run_id: str) -> list[dict[str, Any]]:
        """Lineage rows of one run."""
        return rows_as_dicts(self.con.execute(
            "SELECT * FROM narrative_lineage WHERE run_id = ? ORDER BY relation, narrative_id, previous_narrative_id",
            [run_id]))

    def save_track_params(self, run_id: str, threshold: float, k: float, window: int, min_count: int) -> None:
        """Record the matching threshold and burst rule a run used (the report prints them)."""
        self.con.execute("INSERT OR REPLACE INTO track_params VALUES (?, ?, ?, ?, ?)",
                         [run_id, threshold, k, window, min_count])

    def track_params(self, run_id: str) -> dict[str, Any] | None:
        """The parameters `save_track_params` recorded for a run, if any."""
        rows = rows_as_dicts(self.con.execute("SELECT * EXCLUDE (run_id) FROM track_params WHERE run_id = ?", [run_id]))
        return rows[0] if rows else None

    # --- weekly series -----------------------------------------------------------------------------

    def weekly_counts(self, run_id: str) -> list[dict[str, Any]]:
        """Per ISO week (UTC): posts, unique authors and engagement sums per narrative (candidate_id NULL)
        and per narrative x mentioned candidate, over the posts assigned in `run_id`. Weeks with no
        posts are absent; `series.weekly_series` fills them."""
        return rows_as_dicts(self.con.execute(
            f"""
            WITH assigned AS (
                SELECT a.narrative_id, p.platform, p.post_id, {_WEEK} AS week,
                       coalesce(p.author_id, p.author_handle) AS author,
                       coalesce(p.reposts, 0) AS reposts, coalesce(p.likes, 0) AS likes,
                       coalesce(p.replies, 0) AS replies
                FROM assignments a JOIN posts p USING (platform, post_id)
                WHERE a.run_id = ? AND a.narrative_id IS NOT NULL
            ),
            targeted AS (
                SELECT DISTINCT s.*, m.candidate_id
                FROM assigned s JOIN mentions m ON m.run_id = ? AND m.platform = s.platform AND m.post_id = s.post_id
            ),
            both_levels AS (
                SELECT *, NULL::VARCHAR AS candidate_id FROM assigned
                UNION ALL SELECT * FROM targeted
            )
            SELECT narrative_id, candidate_id, week, count(*) AS posts, count(DISTINCT author) AS authors,
                   least(sum(reposts), 9223372036854775807)::BIGINT AS reposts, least(sum(likes), 9223372036854775807)::BIGINT AS likes, least(sum(replies), 9223372036854775807)::BIGINT AS replies
            FROM both_levels
            GROUP BY ALL
            ORDER BY narrative_id, candidate_id NULLS FIRST, week
            """,
            [run_id, run_id]))

    def run_weeks(self, run_id: str) -> list[str]:
        """The ISO weeks from the first to the last post of the run's window that have posts."""
        rows = self.con.execute(
            f"""SELECT DISTINCT {_WEEK} FROM assignments a JOIN posts p USING (platform, post_id)
                WHERE a.run_id = ? ORDER BY 1""", [run_id]).fetchall()
        return [r[0] for r in rows]

    def weekly_history(self, run_id: str, before_week: str) -> list[dict[str, Any]]:
        """Weekly rows of earlier finished runs for this run's narrative ids, weeks before `before_week`
        (the latest run's row where several cover a week): the history a windowed run extends."""
        return rows_as_dicts(self.con.execute(
            """
            SELECT w.narrative_id, w.candidate_id, w.week, w.posts, w.authors, w.reposts, w.likes, w.replies
            FROM weekly w JOIN runs r USING (run_id)
            WHERE r.status = 'done' AND w.run_id <> ? AND w.week < ? AND w.posts > 0
              AND r.started_at < (SELECT started_at FROM runs WHERE run_id = ?)
              AND w.narrative_id IN (SELECT narrative_id FROM narratives WHERE run_id = ?)
            QUALIFY row_number() OVER (PARTITION BY w.narrative_id, w.candidate_id, w.week
                                       ORDER BY r.started_at DESC, r.run_id DESC) = 1
            ORDER BY w.narrative_id, w.candidate_id NULLS FIRST, w.week
            """, [run_id, before_week, run_id, run_id]))

    def save_weekly(self, run_id: str, rows: Iterable[dict[str, Any]]) -> None:
        """Replace the weekly rows of `run_id`."""
        self.con.execute("DELETE FROM weekly WHERE run_id = ?", [run_id])
        rows = list(rows)
        if not rows:
            return
        columns: dict[str, list] = {"run_id": [run_id] * len(rows)}
        for c in _WEEKLY_COLUMNS:
            values = [row[c] for row in rows]
            if c in _WEEKLY_SUMS:  # a sum of stored counts can pass BIGINT: saturate rather than fail the run
                values = [None if v is None else min(int(v), _BIGINT_MAX) for v in values]
            columns[c] = values
        batch = pa.table(columns, schema=_WEEKLY_SCHEMA)  # one Arrow insert: a long series has many rows
        self.con.register("_weekly_batch", batch)
        try:
            self.con.execute(f"INSERT INTO weekly (run_id, {', '.join(_WEEKLY_COLUMNS)}) "
                             f"SELECT run_id, {', '.join(_WEEKLY_COLUMNS)} FROM _weekly_batch")
        finally:
            self.con.unregister("_weekly_batch")

    def weekly(self, run_id: str, *, candidates: bool = False) -> list[dict[str, Any]]:
        """Weekly rows of a run: per narrative, or (candidates=True) per narrative x candidate."""
        where = "candidate_id IS NOT NULL" if candidates else "candidate_id IS NULL"
        return rows_as_dicts(self.con.execute(
            f"SELECT * EXCLUDE (run_id) FROM weekly WHERE run_id = ? AND {where} "
            "ORDER BY narrative_id, candidate_id, week", [run_id]))

    def emergence_weeks(self, run_id: str, min_posts: int = 1) -> dict[str, str]:
        """First ISO week with at least `min_posts` posts of each narrative of `run_id`, over this and
        every earlier run (a few stray look-alike posts before a narrative starts do not count)."""
        rows = self.con.execute(
            """
            SELECT w.narrative_id, min(w.week)
            FROM weekly w JOIN runs r USING (run_id)
            WHERE w.candidate_id IS NULL AND w.posts >= ?
              AND w.narrative_id IN (SELECT narrative_id FROM narratives WHERE run_id = ?)
              AND (w.run_id = ? OR r.started_at <= (SELECT started_at FROM runs WHERE run_id = ?))
            GROUP BY 1
            """, [min_posts, run_id, run_id, run_id]).fetchall()
        return dict(rows)

    # --- report ------------------------------------------------------------------------------------

    def run_post_span(self, run_id: str) -> tuple[datetime | None, datetime | None]:
        """Earliest and latest post time among the posts of a run."""
        row = self.con.execute(
            "SELECT min(p.created_at), max(p.created_at) FROM assignments a JOIN posts p USING (platform, post_id) "
            "WHERE a.run_id = ?", [run_id]).fetchone()
        return row[0], row[1]

    def period_counts(self, run_id: str, start: datetime, end: datetime) -> dict[str, dict[str, Any]]:
        """Per narrative in [start, end): posts, unique authors and engagement sums."""
        rows = rows_as_dicts(self.con.execute(
            """
            SELECT a.narrative_id, count(*) AS posts,
                   count(DISTINCT coalesce(p.author_id, p.author_handle)) AS authors,
                   least(coalesce(sum(p.likes), 0), 9223372036854775807)::BIGINT AS likes, least(coalesce(sum(p.reposts), 0), 9223372036854775807)::BIGINT AS reposts,
                   least(coalesce(sum(p.replies), 0), 9223372036854775807)::BIGINT AS replies
            FROM assignments a JOIN posts p USING (platform, post_id)
            WHERE a.run_id = ? AND a.narrative_id IS NOT NULL AND p.created_at >= ? AND p.created_at < ?
            GROUP BY 1
            """, [run_id, start, end]))
        return {r.pop("narrative_id"): r for r in rows}

    def period_candidate_counts(self, run_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Posts per narrative x mentioned candidate in [start, end), with how many are against them."""
        return rows_as_dicts(self.con.execute(
            """
            SELECT a.narrative_id, m.candidate_id, count(DISTINCT (p.platform, p.post_id)) AS posts,
                   count(DISTINCT (p.platform, p.post_id)) FILTER (WHERE m.stance = 'against') AS against
            FROM assignments a JOIN posts p USING (platform, post_id)
                 JOIN mentions m ON m.run_id = a.run_id AND m.platform = p.platform AND m.post_id = p.post_id
            WHERE a.run_id = ? AND a.narrative_id IS NOT NULL AND p.created_at >= ? AND p.created_at < ?
            GROUP BY ALL ORDER BY posts DESC, m.candidate_id, a.narrative_id
            """, [run_id, start, end]))

    def representative_posts(self, run_id: str, narrative_id: str, start: datetime, end: datetime,
                             *, candidate_id: str | None = None, limit: int = 3) -> list[dict[str, Any]]:
        """The posts of a narrative in [start, end) closest to its centroid (optionally only those
        mentioning a candidate), one per distinct text."""
        return rows_as_dicts(self.con.execute(
            """
            SELECT p.platform, p.post_id, p.author_handle, p.created_at, p.text, p.url, p.likes, p.reposts,
                   a.score
            FROM assignments a JOIN posts p USING (platform, post_id)
            WHERE a.run_id = ? AND a.narrative_id = ? AND p.created_at >= ? AND p.created_at < ?
              AND (?::VARCHAR IS NULL OR EXISTS (SELECT 1 FROM mentions m WHERE m.run_id = a.run_id
                   AND m.platform = p.platform AND m.post_id = p.post_id AND m.candidate_id = ?))
            QUALIFY row_number() OVER (PARTITION BY p.text_hash ORDER BY a.score DESC NULLS LAST, p.post_id) = 1
            ORDER BY a.score DESC NULLS LAST, p.created_at, p.post_id
            LIMIT ?
            """, [run_id, narrative_id, start, end, candidate_id, candidate_id, limit]))

    def active_accounts(self, run_id: str, start: datetime, end: datetime, limit: int = 10) -> list[dict[str, Any]]:
        """Accounts with the most posts in narratives in [start, end)."""
        return rows_as_dicts(self.con.execute(
            """
            SELECT coalesce(p.author_handle, p.author_id) AS author, count(*) AS posts,
                   count(DISTINCT a.narrative_id) AS narratives, list(DISTINCT a.narrative_id ORDER BY a.narrative_id) AS ids,
                   least(coalesce(sum(p.likes), 0), 9223372036854775807)::BIGINT AS likes
            FROM assignments a JOIN posts p USING (platform, post_id)
            WHERE a.run_id = ? AND a.narrative_id IS NOT NULL AND p.created_at >= ? AND p.created_at < ?
            GROUP BY 1 ORDER BY posts DESC, author LIMIT ?
            """, [run_id, start, end, limit]))

    def engagement_summary(self, run_id: str, start: datetime, end: datetime) -> dict[str, Any]:
        """Medians and totals of likes, reposts and replies of the narrative posts in [start, end)."""
        rows = rows_as_dicts(self.con.execute(
            """
            SELECT count(*) AS posts, count(p.likes) AS with_counts,
                   median(p.likes) AS median_likes, median(p.reposts) AS median_reposts,
                   median(p.replies) AS median_replies,
                   least(coalesce(sum(p.likes), 0), 9223372036854775807)::BIGINT AS likes, least(coalesce(sum(p.reposts), 0), 9223372036854775807)::BIGINT AS reposts,
                   least(coalesce(sum(p.replies), 0), 9223372036854775807)::BIGINT AS replies,
                   count(*) FILTER (WHERE coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.replies, 0) = 0)
                       AS zero_engagement
            FROM assignments a JOIN posts p USING (platform, post_id)
            WHERE a.run_id = ? AND a.narrative_id IS NOT NULL AND p.created_at >= ? AND p.created_at < ?
            """, [run_id, start, end]))
        return rows[0]

    def previous_run_id(self, run_id: str) -> str | None:
        """The finished run started last before `run_id`, if any."""
        row = self.con.execute(
            """SELECT r.run_id FROM runs r, (SELECT started_at, run_id FROM runs WHERE run_id = ?) me
               WHERE r.status = 'done' AND (r.started_at, r.run_id) < (me.started_at, me.run_id)
               ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1""", [run_id]).fetchone()
        return row[0] if row else None

    def id_retention(self, earlier_run_id: str, later_run_id: str) -> tuple[int, int]:
        """(kept, total): of the posts both runs cover that `earlier_run_id` put in a narrative, how many
        `later_run_id` put in the narrative with the same id."""
        row = self.con.execute(
            """
            SELECT count(*) FILTER (WHERE b.narrative_id = a.narrative_id), count(*)
            FROM assignments a JOIN assignments b
                 ON b.run_id = ? AND b.platform = a.platform AND b.post_id = a.post_id
            WHERE a.run_id = ? AND a.narrative_id IS NOT NULL
            """, [later_run_id, earlier_run_id]).fetchone()
        return int(row[0]), int(row[1])
