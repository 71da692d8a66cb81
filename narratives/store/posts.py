"""Posts, gold labels, rejects and ingest records (ingest and status)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

POST_COLUMNS = (
    "platform", "post_id", "author_id", "author_handle", "created_at", "text", "text_hash", "lang", "is_repost",
    "repost_of", "quote_of", "reply_to", "likes", "reposts", "replies", "quotes", "views", "url", "hashtags",
    "source_file", "source_line", "ingest_id",
)
GOLD_COLUMNS = ("platform", "post_id", "narrative", "targets", "stance", "coordinated")
REJECT_COLUMNS = ("ingest_id", "source_file", "line", "field", "reason", "detail", "raw")
INGEST_COLUMNS = ("ingest_id", "file", "sha256", "format", "platform", "rows_read", "stored", "duplicates",
                  "rejected", "started_at", "finished_at")


class PostsMixin:
    """Queries for this area; `self.con` is the DuckDB connection set up by StoreCore."""

    def _insert_arrow(self, table_name: str, columns: tuple[str, ...], batch: pa.Table, conflict: str) -> int:
        """Insert an Arrow batch in one statement; returns the rows actually inserted."""
        view = f"_batch_{table_name}"
        names = ", ".join(columns)
        self.con.register(view, batch)
        try:
            row = self.con.execute(f"INSERT INTO {table_name} ({names}) SELECT {names} FROM {view} {conflict}").fetchone()
        finally:
            self.con.unregister(view)
        return int(row[0]) if row else 0

    def insert_posts(self, batch: pa.Table) -> int:
        """Insert posts (columns POST_COLUMNS, keys unique within the batch); existing keys are skipped.

        Returns how many were new, so that the caller can count the rest as duplicates.
        """
        return self._insert_arrow("posts", POST_COLUMNS, batch, "ON CONFLICT DO NOTHING")

    def insert_gold(self, batch: pa.Table) -> int:
        """Insert gold labels (columns GOLD_COLUMNS); a post's first gold labels win."""
        return self._insert_arrow("gold", GOLD_COLUMNS, batch, "ON CONFLICT DO NOTHING")

    def insert_rejects(self, batch: pa.Table) -> int:
        """Record rejected rows (columns REJECT_COLUMNS)."""
        return self._insert_arrow("rejects", REJECT_COLUMNS, batch, "")

    def start_ingest(self, file: str, sha256: str, format: str, platform: str | None, started_at: datetime) -> int:
        """Open an ingest record; returns its id (written in the file's transaction, so it rolls back with it)."""
        row = self.con.execute(
            "INSERT INTO ingests (file, sha256, format, platform, started_at) VALUES (?, ?, ?, ?, ?) "
            "RETURNING ingest_id",
            [file, sha256, format, platform, started_at],
        ).fetchone()
        return int(row[0])

    def finish_ingest(self, ingest_id: int, *, rows_read: int, stored: int, duplicates: int, rejected: int,
                      finished_at: datetime) -> None:
        self.con.execute(
            "UPDATE ingests SET rows_read = ?, stored = ?, duplicates = ?, rejected = ?, finished_at = ? "
            "WHERE ingest_id = ?",
            [rows_read, stored, duplicates, rejected, finished_at, ingest_id],
        )

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

    def count_posts(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM posts").fetchone()[0])

    def count_gold(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM gold").fetchone()[0])

    def posts_by_platform_lang(self) -> list[tuple[str, str | None, int]]:
        return self.con.execute(
            "SELECT platform, lang, count(*) AS n FROM posts GROUP BY ALL ORDER BY n DESC, platform, lang NULLS LAST"
        ).fetchall()

    def post_date_range(self) -> tuple[datetime | None, datetime | None]:
        first, last = self.con.execute("SELECT min(created_at), max(created_at) FROM posts").fetchone()
        return first, last

    def weekly_post_counts(self) -> list[tuple[str, int]]:
        """(ISO week as YYYY-Www, posts) for every week that has posts, in order."""
        rows = self.con.execute(
            "SELECT isoyear(created_at) AS y, week(created_at) AS w, count(*) FROM posts GROUP BY ALL ORDER BY y, w"
        ).fetchall()
        return [(f"{y:04d}-W{w:02d}", int(n)) for y, w, n in rows]

    def reject_counts(self) -> list[tuple[str, str | None, int]]:
        """(reason, field, rows), most frequent first; a file ingested twice counts once (its latest ingest)."""
        return self.con.execute(
            "WITH latest AS (SELECT max(ingest_id) AS ingest_id FROM ingests GROUP BY file, sha256) "
            "SELECT reason, field, count(*) AS n FROM rejects JOIN latest USING (ingest_id) "
            "GROUP BY ALL ORDER BY n DESC, reason, field"
        ).fetchall()

    def rejects_for(self, ingest_id: int) -> list[dict[str, Any]]:
        """The rejected rows of one ingest, in file order."""
        cur = self.con.execute(
            "SELECT line, field, reason, detail, raw FROM rejects WHERE ingest_id = ? ORDER BY line", [ingest_id]
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def ingest_records(self) -> list[dict[str, Any]]:
        """Every ingest, oldest first."""
        cur = self.con.execute(f"SELECT {', '.join(INGEST_COLUMNS)} FROM ingests ORDER BY ingest_id")
        return [dict(zip(INGEST_COLUMNS, row)) for row in cur.fetchall()]
