"""Embeddings cache, runs, narratives and assignments (embed, discover, label)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import NarrativesError


class RunsMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""

    def run_posts(self, since: datetime | None = None, until: datetime | None = None) -> pd.DataFrame:
        """Posts in [since, until) with the text hash that carries their narrative, ordered by key.

        A repost whose original is in the store takes the original's text and hash, so an empty
        or truncated repost body still gets the narrative of what it amplified.
        """
        return self.con.execute(
            """
            SELECT p.platform, p.post_id, p.created_at, p.is_repost,
                   coalesce(o.text, p.text) AS text, coalesce(o.text_hash, p.text_hash) AS text_hash
            FROM posts p
            LEFT JOIN posts o ON p.is_repost AND o.platform = p.platform AND o.post_id = p.repost_of
            WHERE (? IS NULL OR p.created_at >= ?) AND (? IS NULL OR p.created_at < ?)
            ORDER BY p.platform, p.post_id
            """,
            [since, since, until, until],
        ).df()

    def cached_embeddings(self, hashes: Sequence[str], model: str) -> tuple[dict[str, int], np.ndarray]:
        """(hash -> row, matrix) for the hashes already embedded with `model`."""
        wanted = pa.table({"text_hash": pa.array(list(hashes), pa.string())})
        self.con.register("_wanted_hashes", wanted)
        try:
            got = self.con.sql(
                "SELECT e.text_hash, e.vector FROM embeddings e JOIN _wanted_hashes w USING (text_hash) "
                "WHERE e.model = ?",
                params=[model],
            ).to_arrow_table()
        finally:
            self.con.unregister("_wanted_hashes")
        if got.num_rows == 0:
            return {}, np.zeros((0, 0), dtype=np.float32)
        vectors = got.column("vector").combine_chunks()
        matrix = vectors.flatten().to_numpy(zero_copy_only=False).astype(np.float32).reshape(got.num_rows, -1)
        return {h: i for i, h in enumerate(got.column("text_hash").to_pylist())}, matrix

    def save_embeddings(self, hashes: Sequence[str], model: str, matrix: np.ndarray) -> None:
        """Add vectors to the cache (a hash already cached for this model is left as it is)."""
        matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        n, dim = matrix.shape
        offsets = pa.array(np.arange(0, n * dim + 1, dim, dtype=np.int32))
        table = pa.table(
            {
                "text_hash": pa.array(list(hashes), pa.string()),
                "model": pa.array([model] * n, pa.string()),
                "vector": pa.ListArray.from_arrays(offsets, pa.array(matrix.ravel())),
            }
        )
        self.con.register("_new_embeddings", table)
        try:
            with self.transaction():
                self.con.execute("INSERT OR IGNORE INTO embeddings SELECT text_hash, model, vector FROM _new_embeddings")
        finally:
            self.con.unregister("_new_embeddings")

    def save_run(self, run: dict, narratives: pd.DataFrame, assignments: pd.DataFrame) -> None:
        """Write a finished run, its narratives and every post's assignment in one transaction."""
        row = dict(run, params=json.dumps(run["params"], sort_keys=True), timings=json.dumps(run["timings"]))
        cols = ", ".join(row)
        narr = narratives.assign(examples=narratives["examples"].map(json.dumps))
        with self.transaction():
            self.con.execute(f"INSERT INTO runs ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
            for name, frame in (("narratives", narr), ("assignments", assignments)):
                self.con.register("_frame", frame)
                try:
                    self.con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _frame")
                finally:
                    self.con.unregister("_frame")

    def latest_run_id(self) -> str | None:
        """The most recent finished run, or None."""
        row = self.con.execute(
            "SELECT run_id FROM runs WHERE status = 'done' ORDER BY finished_at DESC, run_id DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def resolve_run(self, run_id: str | None = None) -> str:
        """`run_id` checked to exist, or the latest finished run; a clear error when there is none."""
        if run_id is None:
            run_id = self.latest_run_id()
            if run_id is None:
                raise NarrativesError(f"no finished run in {self.path}; run the pipeline on it first (`narratives run --db {self.path}`)")
        elif self.run_record(run_id) is None:
            raise NarrativesError(f"no run {run_id!r} in {self.path}")
        return run_id

    def run_record(self, run_id: str) -> dict | None:
        """The runs row as a dict (params and timings decoded), or None."""
        cur = self.con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id])
        row = cur.fetchone()
        if row is None:
            return None
        record = dict(zip([d[0] for d in cur.description], row))
        for key in ("params", "timings"):
            record[key] = json.loads(record[key]) if record[key] else {}
        return record

    def run_narratives(self, run_id: str, *, children: bool = False) -> pd.DataFrame:
        """The narratives of a run, largest first (examples decoded; centroids left out): the top-level
        ones (families and lone narratives), or with `children=True` their sub-narratives too, each
        right after its family."""
        frame = self.con.execute(
            f"""SELECT n.* EXCLUDE (centroid) FROM narratives n
                LEFT JOIN narratives f ON f.run_id = n.run_id AND f.narrative_id = n.parent_id
                WHERE n.run_id = ? {'' if children else 'AND n.parent_id IS NULL'}
                ORDER BY coalesce(f.n_posts, n.n_posts) DESC, coalesce(n.parent_id, n.narrative_id),
                         n.parent_id NULLS FIRST, n.n_posts DESC, n.narrative_id""",
            [run_id],
        ).df()
        frame["examples"] = frame["examples"].map(lambda s: json.loads(s) if s else [])
        return frame

    def run_assignments(self, run_id: str) -> pd.DataFrame:
        """platform, post_id, narrative_id (None for outliers), score of every post in a run."""
        return self.con.execute(
            "SELECT platform, post_id, narrative_id, score FROM assignments WHERE run_id = ? ORDER BY platform, post_id",
            [run_id],
        ).df()

    def narrative_weekly_counts(self, run_id: str, narrative_id: str) -> pd.DataFrame:
        """Posts per ISO week (Monday) assigned to one narrative of a run."""
        return self.con.execute(
            """
            SELECT date_trunc('week', p.created_at)::DATE AS week, count(*) AS posts
            FROM assignments a JOIN posts p USING (platform, post_id)
            WHERE a.run_id = ? AND (a.narrative_id = ? OR a.sub_id = ?)
            GROUP BY week ORDER BY week
            """,
            [run_id, narrative_id, narrative_id],
        ).df()

    def run_gold(self, run_id: str) -> pd.DataFrame:
        """Gold narrative beside each labeled post's assignment and its narrative's taxonomy match (for scoring)."""
        return self.con.execute(
            """
            SELECT a.platform, a.post_id, g.narrative AS gold, a.narrative_id, n.taxonomy_id
            FROM assignments a
            JOIN gold g USING (platform, post_id)
            LEFT JOIN narratives n ON n.run_id = a.run_id AND n.narrative_id = a.narrative_id
            WHERE a.run_id = ?
            ORDER BY a.platform, a.post_id
            """,
            [run_id],
        ).df()
