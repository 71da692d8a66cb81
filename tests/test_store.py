"""Store core: migrations apply once and in order; transactions are all-or-nothing, also when nested."""

from __future__ import annotations

import pytest

from narratives.store import Store
from narratives.store.core import _migrations


def _rejects(store: Store) -> int:
    return store.con.execute("SELECT count(*) FROM rejects").fetchone()[0]


def _add_reject(store: Store) -> None:
    store.con.execute("INSERT INTO rejects (source_file, reason) VALUES ('f.csv', 'empty text')")


def test_migrations_apply_once_in_order(tmp_path):
    path = tmp_path / "s.duckdb"
    versions = [v for v, _, _ in _migrations()]
    assert versions == sorted(versions) and versions[0] == 1
    with Store(path) as store:
        assert store.schema_version == versions[-1]
    with Store(path) as store:  # reopening applies nothing and keeps one row per migration
        assert store.migrate() == []
        rows = store.con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        assert [r[0] for r in rows] == versions


def test_nested_transaction_rolls_back_as_a_whole(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                _add_reject(store)
                with store.transaction():
                    _add_reject(store)
                raise RuntimeError("interrupted after the inner block")
        assert _rejects(store) == 0
        with store.transaction():
            with store.transaction():
                _add_reject(store)
            _add_reject(store)
        assert _rejects(store) == 2


def test_read_only_open_of_missing_store_names_the_fix(tmp_path):
    from narratives.store import StoreError

    with pytest.raises(StoreError, match="ingest something first"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_read_only_open_of_an_outdated_store_says_how_to_upgrade(tmp_path):
    from narratives.store import StoreError

    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.con.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
    with pytest.raises(StoreError, match="older narratives"):
        Store(path, read_only=True)
