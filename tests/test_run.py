"""The main job end to end: window selection, reposts, ids, the stored run, the CLI and reproducibility."""

from __future__ import annotations

import json
import re
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

from narratives.cli import app
from narratives.coordination import CoordinationConfig
from narratives.demo import generate
from narratives.errors import NarrativesError
from narratives.ingest import ingest_file
from narratives.pipeline import _window, run_pipeline, select_posts
from narratives.store import Store
from narratives.store.posts import POST_COLUMNS
from narratives.text import text_hash

PLANTED = ["antisemitic_tropes", "corruption_scheme", "industry_money", "insider_trading", "rival_support"]


def add_posts(store: Store, rows: list[dict]) -> None:
    frame = pd.DataFrame([{c: None for c in POST_COLUMNS} | {"is_repost": False} | r for r in rows])
    frame["text_hash"] = frame["text"].map(text_hash)
    store.insert_posts(pa.Table.from_pandas(frame[list(POST_COLUMNS)], preserve_index=False))


def test_window_is_utc_and_a_date_until_covers_its_day():
    assert _window("2024-10-01", "2024-10-07") == (datetime(2024, 10, 1), datetime(2024, 10, 8))
    assert _window("2024-10-01T12:00:00+02:00", None) == (datetime(2024, 10, 1, 10), None)
    with pytest.raises(NarrativesError, match="since='yesterday'"):
        _window("yesterday", None)
    with pytest.raises(NarrativesError, match="is not before"):
        _window("2024-10-08", "2024-10-01")


def test_select_posts_dedupes_texts_and_reposts_take_the_original_text(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        add_posts(store, [
            {"platform": "x", "post_id": "1", "created_at": datetime(2024, 10, 2), "text": "He sold stock early https://t.co/a"},
            {"platform": "x", "post_id": "2", "created_at": datetime(2024, 10, 3), "text": "RT @a: He sold stock early"},
            {"platform": "x", "post_id": "3", "created_at": datetime(2024, 10, 3), "text": "", "is_repost": True, "repost_of": "1"},
            {"platform": "x", "post_id": "4", "created_at": datetime(2024, 10, 4), "text": "https://t.co/only-a-link"},
            {"platform": "x", "post_id": "5", "created_at": datetime(2024, 9, 1), "text": "before the window"},
        ])
        corpus = select_posts(store, datetime(2024, 10, 1), None)
        with pytest.raises(NarrativesError, match="no posts in the store"):
            select_posts(store, datetime(2025, 1, 1), None)
    assert corpus.texts == ["he sold stock early"]
    assert corpus.posts.set_index("post_id")["row"].to_dict() == {"1": 0, "2": 0, "3": 0, "4": -1}
    assert list(corpus.weeks) == ["2024-W40"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "nope"], "no model card 'nope'"),
        (["--model-path", "/nonexistent/model"], "no such folder"),
        (["--device", "tpu"], "must be one of auto, cpu, cuda, mps"),
        (["--since", "last week"], "expected a date like 2024-10-01"),
    ],
)
def test_run_rejects_bad_options_with_one_clear_error(tmp_path, args, message):
    Store(tmp_path / "s.duckdb").close()  # an empty store: `run` refuses a path with no store first
    result = CliRunner().invoke(app, ["run", "--db", str(tmp_path / "s.duckdb"), *args])
    assert result.exit_code != 0
    assert isinstance(result.exception, NarrativesError) and message in str(result.exception)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """A tenth of the demo corpus (every 10th post), ingested with its gold labels."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "slice.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in generate(7)[::10]), encoding="utf-8")
    db = folder / "demo.duckdb"
    with Store(db) as store:
        ingest_file(store, path)
    return db


def strip_run_id(output: str) -> str:
    return re.sub(r"r\d{8}T\d{6}-[0-9a-f]{6}", "RUN", output)


@pytest.mark.slow
def test_demo_slice_end_to_end_recovers_planted_narratives_reproducibly(demo_store):
    with Store(demo_store) as store:
        result = run_pipeline(store, since="2024-09-01", progress=False)
        gold = store.run_gold(result.run_id)
        record = store.run_record(result.run_id)
    campaign = gold[gold["gold"] != "none"]
    assert adjusted_rand_score(campaign["gold"], campaign["narrative_id"].fillna("-1")) >= 0.6
    majority = campaign.groupby("gold")["taxonomy_id"].agg(lambda s: s.fillna("-").value_counts().idxmax())
    assert sum(majority[n] == n for n in PLANTED) >= 4
    assert result.outlier_share <= 0.35
    assert result.n_embedded == result.n_texts > 0
    assert len(result.assignments) == result.n_posts == len(gold)
    assert record["status"] == "done" and {"embed", "discover", "label"} <= record["timings"].keys()
    assert record["params"]["discover"]["seed"] == 0
    chosen = record["params"]["discover"]["chosen"]  # the sizes chosen from the corpus, stored with the run
    assert chosen["n_texts"] == result.n_texts and chosen["given"] == []
    assert chosen["min_cluster_size"] == result.params["discover"]["min_cluster_size_fitted"] >= 5
    assert record["params"]["config"]["coordination"] == CoordinationConfig().to_dict()  # stored with the run

    runner = CliRunner()
    first = runner.invoke(app, ["run", "--since", "2024-09-01", "--db", str(demo_store)])
    second = runner.invoke(app, ["run", "--since", "2024-09-01", "--db", str(demo_store)])
    assert first.exit_code == 0, first.output
    assert "(0 embedded now)" in first.output  # the cache served every text
    assert f"min_cluster_size {chosen['min_cluster_size']}" in first.output and "chosen from" in first.output
    table = lambda out: strip_run_id(out.split("unique texts")[0])  # noqa: E731 (timings differ)
    assert table(first.output) == table(second.output)
    listed = runner.invoke(app, ["narratives", "list", "--db", str(demo_store)])
    assert listed.exit_code == 0 and "n001" in listed.output
    shown = runner.invoke(app, ["narratives", "show", "n001", "--db", str(demo_store)])
    assert shown.exit_code == 0 and "examples:" in shown.output and "posts per week" in shown.output
    missing = runner.invoke(app, ["narratives", "show", "n999", "--db", str(demo_store)])
    assert missing.exit_code != 0


@pytest.mark.slow
def test_chinese_and_russian_campaign_posts_join_their_english_siblings(demo_store):
    langs = {p["id"]: p["lang"] for p in generate(7)[::10]}
    with Store(demo_store) as store:
        result = run_pipeline(store, since="2024-09-01", progress=False)  # the default card
        gold = store.run_gold(result.run_id)
    gold["lang"] = gold["post_id"].map(langs)
    campaign = gold[gold["gold"] != "none"]
    english = campaign[campaign["lang"] == "en"].dropna(subset=["narrative_id"])
    # a narrative is the home of the gold narrative that most of its English campaign posts make (a campaign
    # may span two clusters on a slice this small, where the corpus-sized clustering finds narratives of 8 texts)
    home_of = english.groupby("narrative_id")["gold"].agg(lambda s: s.value_counts().idxmax())
    others = campaign[campaign["lang"].isin(["zh", "ru"])]
    assert set(others["lang"]) == {"zh", "ru"} and len(others) >= 25  # enough posts for the share to mean something
    joined = np.mean([home_of.get(n) == g for g, n in zip(others["gold"], others["narrative_id"])])
    assert joined >= 0.9, f"{joined:.0%} of zh/ru campaign posts in their English siblings' narrative"
    assert result.params["model"] == "use-m3" and not result.warnings


@pytest.mark.slow
def test_a_run_that_fails_while_storing_leaves_no_trace(demo_store, monkeypatch):
    def fail(self, run_id, groups):
        raise RuntimeError("disk full while saving coordination")

    monkeypatch.setattr(Store, "save_coordination", fail)
    tables = ("runs", "narratives", "assignments", "mentions", "weekly", "narrative_lineage")
    with Store(demo_store) as store:
        before = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        with pytest.raises(RuntimeError, match="disk full"):
            run_pipeline(store, since="2024-09-01", progress=False)
        after = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    assert after == before


def test_a_window_whose_posts_are_only_links_is_one_clear_error(tmp_path):
    path = tmp_path / "links.jsonl"
    path.write_text("".join(json.dumps({"id": str(i), "text": f"https://t.co/x{i}", "created_at": "2024-10-01T12:00:00Z"})
                            + "\n" for i in range(3)))
    with Store(tmp_path / "links.duckdb") as store:
        ingest_file(store, path)
        with pytest.raises(NarrativesError, match="nothing to cluster"):
            run_pipeline(store, progress=False)
