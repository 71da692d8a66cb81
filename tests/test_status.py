"""`store_status` and `narratives status`: what the store holds."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from narratives.cli import app
from narratives.ingest import ingest_file
from narratives.status import store_status
from narratives.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def filled_store(tmp_path: Path) -> Path:
    db = tmp_path / "status.duckdb"
    with Store(db) as store:
        for name in ("x_io_release.csv", "labeled.jsonl", "x_io_release.csv"):
            ingest_file(store, FIXTURES / name)
    return db


def test_status_summarises_posts_weeks_rejects_and_ingests(tmp_path):
    with Store(filled_store(tmp_path), read_only=True) as store:
        status = store_status(store)
    assert (status.posts, status.gold) == (6, 2)
    assert status.by_platform_lang == [("x", "en", 4), ("x", "ru", 1), ("x", None, 1)]
    assert (status.first_post, status.last_post) == (datetime(2018, 9, 24, 13, 5), datetime(2024, 9, 3, 11))
    assert status.weekly == [("2018-W39", 4), ("2024-W36", 2)]
    # x_io_release.csv was ingested twice: its rejects count once
    assert status.rejects == [("empty text", "tweet_text", 1), ("invalid gold label", "stance", 1),
                              ("missing id", "tweetid", 1), ("unparseable date", "tweet_time", 1)]
    assert [(i["format"], i["stored"], i["duplicates"]) for i in status.ingests] == [
        ("x-io", 4, 1), ("labeled", 2, 0), ("x-io", 0, 5)]
    assert status.to_dict()["weekly"][0] == ("2018-W39", 4)


def test_status_on_empty_store(tmp_path):
    with Store(tmp_path / "empty.duckdb") as store:
        status = store_status(store)
    assert (status.posts, status.first_post, status.weekly, status.ingests) == (0, None, [], [])


def test_status_cli_tables_and_json(tmp_path):
    db = filled_store(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["status", "--db", str(db)])
    assert result.exit_code == 0, result.output
    for title in ("posts by platform and language", "posts per ISO week", "rejects", "ingests", "2018-W39"):
        assert title in result.output
    as_json = runner.invoke(app, ["status", "--db", str(db), "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["posts"] == 6


def test_status_without_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["status", "--db", str(tmp_path / "nope.duckdb")])
    assert result.exit_code == 1 and "no store at" in str(result.exception)
