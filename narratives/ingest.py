"""Ingest exports into the store: stream rows through a source adapter, insert in Arrow batches.

Each file is one transaction that also holds its `ingests` record, so an error or Ctrl-C mid-file
leaves the store as it was before that file. A post's key is (platform, post_id): a row whose key
is already stored (earlier ingest, earlier batch, or earlier in the same batch) counts as a
duplicate, and for every file rows read = stored + duplicates + rejected.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from .sources import Detected, Post, Reject, Source, check_source, detect_format
from .store import Store
from .store.posts import GOLD_COLUMNS, POST_COLUMNS, REJECT_COLUMNS
from .text import text_hash

BATCH_ROWS = 10_000
"""Posts per insert: large enough that DuckDB's per-statement cost vanishes, small enough for flat memory."""

ProgressFn = Callable[[Path, int, int], None]
"""progress(path, bytes_done, bytes_total), called after every batch."""

_POST_SCHEMA = pa.schema([
    ("platform", pa.string()), ("post_id", pa.string()), ("author_id", pa.string()),
    ("author_handle", pa.string()), ("created_at", pa.timestamp("us")), ("text", pa.string()),
    ("text_hash", pa.string()), ("lang", pa.string()), ("is_repost", pa.bool_()), ("repost_of", pa.string()),
    ("quote_of", pa.string()), ("reply_to", pa.string()), ("likes", pa.int64()), ("reposts", pa.int64()),
    ("replies", pa.int64()), ("quotes", pa.int64()), ("views", pa.int64()), ("url", pa.string()),
    ("hashtags", pa.list_(pa.string())), ("source_file", pa.string()), ("source_line", pa.int64()),
    ("ingest_id", pa.int64()),
])
_GOLD_SCHEMA = pa.schema([
    ("platform", pa.string()), ("post_id", pa.string()), ("narrative", pa.string()),
    ("targets", pa.list_(pa.string())), ("stance", pa.string()), ("coordinated", pa.bool_()),
])
_REJECT_SCHEMA = pa.schema([
    ("ingest_id", pa.int64()), ("source_file", pa.string()), ("line", pa.int64()), ("field", pa.string()),
    ("reason", pa.string()), ("detail", pa.string()), ("raw", pa.string()),
])
_POST_FIELDS = tuple(n for n in POST_COLUMNS if n not in ("text_hash", "source_file", "ingest_id"))
assert tuple(_POST_SCHEMA.names) == POST_COLUMNS and tuple(_GOLD_SCHEMA.names) == GOLD_COLUMNS
assert tuple(_REJECT_SCHEMA.names) == REJECT_COLUMNS


@dataclass
class IngestResult:
    """What one file contributed; `read == stored + duplicates + rejected`."""

    file: str
    format: str
    sha256: str
    ingest_id: int
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    seconds: float = 0.0
    reject_reasons: dict[str, int] = field(default_factory=dict)


def file_sha256(path: Path) -> str:
    """Digest of the file as it is on disk (compressed bytes for .gz)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class _Batcher:
    """Collects posts and rejects and writes them in Arrow batches, keeping the counts."""

    def __init__(self, store: Store, result: IngestResult):
        self.store, self.result = store, result
        self.posts: list[Post] = []
        self.rejects: list[Reject] = []
        self.reasons: Counter[str] = Counter()

    def add(self, record: Post | Reject) -> None:
        self.result.read += 1
        if isinstance(record, Reject):
            self.rejects.append(record)
        else:
            self.posts.append(record)

    @property
    def full(self) -> bool:
        return len(self.posts) + len(self.rejects) >= BATCH_ROWS

    def flush(self) -> None:
        if self.posts:
            self._flush_posts()
        if self.rejects:
            self._flush_rejects()

    def _flush_posts(self) -> None:
        unique: dict[tuple[str, str], Post] = {}
        for post in self.posts:
            unique.setdefault((post.platform, post.post_id), post)
        posts = list(unique.values())
        n = len(posts)
        columns = {name: [getattr(p, name) for p in posts] for name in _POST_FIELDS}
        columns["text_hash"] = [text_hash(t) for t in columns["text"]]
        columns["source_file"] = [self.result.file] * n
        columns["ingest_id"] = [self.result.ingest_id] * n
        stored = self.store.insert_posts(pa.table(columns, schema=_POST_SCHEMA))
        self.result.stored += stored
        self.result.duplicates += len(self.posts) - stored
        gold = [p for p in posts if p.gold is not None]
        if gold:
            self.store.insert_gold(pa.table({
                "platform": [p.platform for p in gold],
                "post_id": [p.post_id for p in gold],
                "narrative": [p.gold.narrative for p in gold],
                "targets": [p.gold.targets for p in gold],
                "stance": [None if p.gold.stance is None else json.dumps(p.gold.stance, sort_keys=True)
                           for p in gold],
                "coordinated": [p.gold.coordinated for p in gold],
            }, schema=_GOLD_SCHEMA))
        self.posts = []

    def _flush_rejects(self) -> None:
        rejects = self.rejects
        self.reasons.update(r.reason for r in rejects)
        self.result.rejected += len(rejects)
        self.store.insert_rejects(pa.table({
            "ingest_id": [self.result.ingest_id] * len(rejects),
            "source_file": [self.result.file] * len(rejects),
            "line": [r.line for r in rejects],
            "field": [r.field for r in rejects],
            "reason": [r.reason for r in rejects],
            "detail": [r.detail for r in rejects],
            "raw": [r.raw for r in rejects],
        }, schema=_REJECT_SCHEMA))
        self.rejects = []


def plan_ingest(paths: Sequence[str | Path], format: str = "auto", platform: str | None = None,
                mapping: dict[str, str] | None = None) -> list[Detected]:
    """Detect and check every file's layout before anything is written (a bad file stops the whole ingest)."""
    plan = [detect_format(p, format, mapping) for p in paths]
    for detected in plan:
        check_source(detected, platform, mapping)
    return plan


def ingest_file(store: Store, path: str | Path | Detected, format: str = "auto", platform: str | None = None,
                mapping: dict[str, str] | None = None, progress: ProgressFn | None = None) -> IngestResult:
    """Ingest one file in one transaction; returns its counts. Raises LayoutError (nothing written) for a bad file."""
    detected = path if isinstance(path, Detected) else detect_format(path, format, mapping)
    started, clock = _utcnow(), time.perf_counter()
    sha256 = file_sha256(detected.path)
    with Source(detected, platform, mapping) as source, store.transaction():
        ingest_id = store.start_ingest(str(detected.path), sha256, detected.layout, platform, started)
        result = IngestResult(str(detected.path), detected.layout, sha256, ingest_id)
        batcher = _Batcher(store, result)
        for record in source.records():
            batcher.add(record)
            if batcher.full:
                batcher.flush()
                if progress:
                    progress(detected.path, source.position(), source.size)
        batcher.flush()
        store.finish_ingest(ingest_id, rows_read=result.read, stored=result.stored, duplicates=result.duplicates,
                            rejected=result.rejected, finished_at=_utcnow())
    if progress:
        progress(detected.path, source.size, source.size)
    result.reject_reasons = dict(batcher.reasons.most_common())
    result.seconds = time.perf_counter() - clock
    return result


def ingest_paths(store: Store, paths: Sequence[str | Path], format: str = "auto", platform: str | None = None,
                 mapping: dict[str, str] | None = None, progress: ProgressFn | None = None) -> list[IngestResult]:
    """Ingest several files, each in its own transaction, after checking all of them (see `plan_ingest`)."""
    plan = plan_ingest(paths, format, platform, mapping)
    return [ingest_file(store, detected, platform=platform, mapping=mapping, progress=progress) for detected in plan]
