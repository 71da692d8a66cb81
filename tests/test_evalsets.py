"""Labeled-set adapters: stance CSV layouts (hand-made fixtures), ISCA, labeled JSONL."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from conftest import shared_data
from narratives.candidates import candidate_resolver
from narratives.evaluate import EvalSetError, load_eval_set, set_name

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


def test_candidate_resolver_uses_registry_names():
    resolve = candidate_resolver()
    assert resolve("Hillary Clinton") == "hillary_clinton"
    assert resolve("  donald   TRUMP ") == "donald_trump"
    assert resolve("bernie_sanders") == "bernie_sanders"
    assert resolve("Atheism") is None


def test_semeval_layout():
    s = load_eval_set(FIXTURES / "semeval2016_task6.csv")
    assert (s.name, s.layout) == ("semeval2016_task6", "stance_csv")
    assert [p.post_id for p in s.posts] == ["10001", "10002", "10003"]
    first = s.posts[0]
    assert first.gold.targets == ["hillary_clinton"] and first.gold.stance == {"hillary_clinton": "against"}
    assert first.gold.narrative is None and first.gold.coordinated is None
    assert s.posts[2].gold.stance == {"donald_trump": "neutral"}  # NONE -> neutral
    assert first.created_at == datetime(2001, 1, 1) and not s.dated  # the one fixed date of undated layouts
    # Atheism is not a candidate; MAYBE is not a stance: both rejected with line and field
    assert [(r.line, r.field, r.reason) for r in s.rejects] == [
        (5, "Target", "target is not a registered candidate"), (6, "Stance", "unknown stance")]
    assert s.has("stance") and s.has("targets") and not s.has("narrative")


def test_pstance_layout_without_ids():
    s = load_eval_set(FIXTURES / "pstance.csv")
    assert s.layout == "stance_csv"
    assert [p.post_id for p in s.posts] == ["L2", "L3", "L4"]  # no id column: the line number
    assert [p.gold.stance for p in s.posts] == [
        {"bernie_sanders": "favor"}, {"joe_biden": "against"}, {"donald_trump": "against"}]
    assert s.rejects == []


def test_isca_layout():
    s = load_eval_set(FIXTURES / "isca_sample.csv")
    assert s.layout == "isca" and s.dated
    assert [p.gold.narrative for p in s.posts] == ["none", "antisemitic_tropes"]
    assert s.posts[1].author_handle == "user_b" and s.posts[1].created_at.isoformat() == "2020-06-29T02:49:41"
    assert s.posts[0].gold.targets is None and not s.has("targets")
    assert [(r.line, r.field) for r in s.rejects] == [(4, "CreateDate")]


def test_labeled_jsonl_and_duplicates(tmp_path):
    rows = [
        {"id": "a", "text": "Rubio sold stock", "created_at": "2024-10-01T12:00:00Z", "author": "u1", "platform": "x",
         "narrative": "insider_trading", "targets": ["marco_rubio"], "stance": {"marco_rubio": "against"},
         "coordinated": False},
        {"id": "a", "text": "again", "created_at": "2024-10-01T12:00:00Z", "author": "u2", "platform": "x",
         "narrative": "none", "targets": [], "stance": {}, "coordinated": False},
    ]
    path = tmp_path / "mini.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r) for r in rows) + "\n")
    s = load_eval_set(path)
    assert (s.name, s.layout, len(s.posts)) == ("mini", "labeled", 1)
    assert s.posts[0].gold.narrative == "insider_trading"
    assert [(r.line, r.reason) for r in s.rejects] == [(2, "duplicate post id")]
    assert s.reject_summary() == {"id: duplicate post id": 1}


def test_unknown_layout_and_missing_file_are_clear_errors(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(EvalSetError, match=r"other\.csv: not a labeled set.*found columns foo, bar"):
        load_eval_set(path)
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        load_eval_set(tmp_path / "nope.jsonl")
    empty = tmp_path / "empty.csv"
    empty.write_text("tweet,target,label\nhello,Atheism,FAVOR\n", encoding="utf-8")
    with pytest.raises(EvalSetError, match="no usable rows.*line 2: target"):
        load_eval_set(empty)


def test_set_name():
    assert set_name(Path("eval/downballot_2024.jsonl")) == "downballot_2024"
    assert set_name(Path("isca_antisemitism_2019_2021.csv.gz")) == "isca_antisemitism_2019_2021"


@pytest.mark.slow
def test_real_isca_gold_standard():
    path = shared_data("isca/isca_antisemitism_2019_2021.csv.gz")
    s = load_eval_set(path)
    assert (len(s.posts), s.rejects) == (7014, [])
    assert sum(p.gold.narrative == "antisemitic_tropes" for p in s.posts) == 1239  # Biased = 1 rows (data README)
