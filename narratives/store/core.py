"""The DuckDB connection, numbered migrations and transactions: the part every store area shares."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from ..errors import NarrativesError

DEFAULT_DB = "narratives.duckdb"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_DUCKDB_MAGIC = b"DUCK"
"""Bytes 8-11 of every DuckDB database file."""
DUCKDB_CONFIG = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
}
"""The store never loads or downloads DuckDB extensions (a SQLite file would otherwise fetch one)."""


class StoreError(NarrativesError):
    """A store problem the user can act on; the CLI prints it as one line."""


class StoreBusyError(StoreError):
    """Another process holds the store's write lock."""


def default_db_path() -> Path:
    """`NARRATIVES_DB` if set, else `./narratives.duckdb`."""
    return Path(os.environ.get("NARRATIVES_DB") or DEFAULT_DB)


def _migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every packaged migration, in order."""
    found = []
    for entry in resources.files("narratives.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise StoreError(f"duplicate migration numbers in narratives/migrations: {versions}")
    return found


def rows_as_dicts(cursor) -> list[dict]:
    """The rows of an executed DuckDB cursor as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def check_store_file(path: Path) -> None:
    """Refuse an existing path that is not a DuckDB file (a folder, a SQLite file, a CSV...) by its bytes."""
    if not path.exists():
        return
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file")
    if not path.is_file():
        raise StoreError(f"{path}: not a regular file, not a store")
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if head[8:12] != _DUCKDB_MAGIC:
        kind = ("an empty file" if not head else "a SQLite database" if head.startswith(b"SQLite format 3")
                else "not a DuckDB file")
        raise StoreError(f"{path}: not a narratives store ({kind}); give a new path or an existing store")


class StoreCore:
    """Opens the file (waiting briefly if another process writes to it) and applies migrations."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, lock_timeout: float = 10.0,
                 create: bool = True):
        """Open (`read_only`), or open and migrate, the store at `path`.

        Only a missing path (when `create` is true and not `read_only`) or an existing narratives
        store is accepted; any other file is refused before anything is written to it.
        """
        self.path = Path(path) if path is not None else default_db_path()
        self.read_only = read_only
        self._tx_depth = 0
        if not self.path.exists() and (read_only or not create):
            raise StoreError(f"no store at {self.path}: ingest something first (narratives ingest PATH --db {self.path})")
        check_store_file(self.path)
        self.con = self._connect(lock_timeout)
        try:
            self._check_schema()
        except BaseException:
            self.close()
            raise
        if not read_only:
            self.migrate()
        elif self.schema_version < _migrations()[-1][0]:
            self.close()
            raise StoreError(f"store {self.path} was written by an older narratives; run a command that writes "
                             f"to it (e.g. narratives ingest) to upgrade it")

    def _check_schema(self) -> None:
        """Refuse a DuckDB file that is not a narratives store, before any write."""
        tables = [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
            "ORDER BY table_name").fetchall()]
        if not tables:
            return  # a new, empty database
        if "schema_migrations" not in tables:
            shown = ", ".join(tables[:8]) + (", ..." if len(tables) > 8 else "")
            raise StoreError(f"{self.path}: not a narratives store (a DuckDB file with tables of its own: {shown}); "
                             "give a new path or an existing store")
        try:
            applied = self.con.execute("SELECT version, name FROM schema_migrations").fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: not a narratives store (unreadable schema_migrations: "
                             f"{str(exc).splitlines()[0]})") from None
        known = {version: name for version, name, _ in _migrations()}
        for version, name in applied:
            if version not in known:
                raise StoreError(f"{self.path}: written by a newer narratives (schema version {version}); upgrade "
                                 "narratives to open it")
            if known[version] != name:
                raise StoreError(f"{self.path}: not a narratives store (migration {version} is {name!r}, "
                                 f"expected {known[version]!r})")

    def _connect(self, lock_timeout: float) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + lock_timeout
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=self.read_only, config=DUCKDB_CONFIG)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"cannot open store {self.path}: {str(exc).splitlines()[0]}") from exc
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        f"store {self.path} is in use by another narratives process; "
                        f"wait for it to finish (waited {lock_timeout:.0f}s) or use another --db"
                    ) from exc
                time.sleep(0.25)
            except duckdb.Error as exc:
                raise StoreError(f"cannot open store {self.path}: {str(exc).splitlines()[0]}") from exc

    def migrate(self) -> list[int]:
        """Apply the migrations this file lacks, each in its own transaction; return those applied."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
            "applied_at TIMESTAMP DEFAULT current_timestamp)"
        )
        done = {row[0] for row in self.con.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for version, name, sql in _migrations():
            if version in done:
                continue
            with self.transaction():
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            applied.append(version)
        return applied

    @property
    def schema_version(self) -> int:
        row = self.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All writes inside commit together or not at all (an exception or Ctrl-C rolls back).

        Nested use joins the outer transaction, so a caller can make several store writes atomic.
        """
        if self._tx_depth:
            self._tx_depth += 1
            try:
                yield self.con
            finally:
                self._tx_depth -= 1
            return
        self.con.execute("BEGIN TRANSACTION")
        self._tx_depth = 1
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")
        finally:
            self._tx_depth = 0

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
