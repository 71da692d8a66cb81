"""Coordination detection on hand-made posts, and its store round trip."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from narratives.coordination import coordinated_keys, detect_coordination
from narratives.errors import NarrativesError
from narratives.store import Store
from narratives.text import text_hash

T0 = datetime(2024, 10, 1, 12, 0)


def _posts(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    """rows: (post_id, author, minutes after T0, text)."""
    return pd.DataFrame({
        "platform": "x",
        "post_id": [r[0] for r in rows],
        "author_handle": [r[1] for r in rows],
        "created_at": [T0 + timedelta(minutes=r[2]) for r in rows],
        "text": [r[3] for r in rows],
        "text_hash": [text_hash(r[3]) for r in rows],
    })


COPY = "Senator Rubio sold his stock before the crash https://t.co/abc"


def test_copies_by_different_accounts_within_window_form_one_group():
    posts = _posts([
        ("1", "alice", 0, COPY),
        ("2", "bob", 10, "RT @alice: senator rubio sold his stock   before the crash https://t.co/zzz"),  # same hash
        ("3", "carol", 35, COPY),  # 25 min after bob: chains into the group
        ("4", "dave", 200, COPY),  # 165 min after carol: too late
        ("5", "erin", 5, "Something else entirely"),
    ])
    groups = detect_coordination(posts)
    assert len(groups) == 1
    g = groups[0]
    assert g.members == (("x", "1"), ("x", "2"), ("x", "3"))
    assert g.accounts == ("alice", "bob", "carol")
    assert (g.first_at, g.last_at) == (T0, T0 + timedelta(minutes=35))
    assert g.method == "text_hash"
    assert g.group_id.startswith("g") and detect_coordination(posts)[0].group_id == g.group_id  # deterministic


def test_same_account_repeating_itself_is_not_coordination():
    posts = _posts([("1", "alice", 0, COPY), ("2", "alice", 1, COPY), ("3", "alice", 2, COPY)])
    assert detect_coordination(posts) == []


def test_link_only_posts_are_not_copies_of_each_other():
    posts = _posts([("1", "alice", 0, "https://t.co/aaa"), ("2", "bob", 1, "https://t.co/bbb")])
    assert detect_coordination(posts) == []  # both normalise to "", which is no message


def test_window_is_configurable_and_inclusive():
    posts = _posts([("1", "alice", 0, COPY), ("2", "bob", 30, COPY)])
    assert len(detect_coordination(posts)) == 1  # exactly 30 minutes apart: inside
    assert detect_coordination(posts, window=timedelta(minutes=29)) == []


def test_embedding_near_duplicates_link_only_above_threshold():
    posts = _posts([
        ("1", "alice", 0, "Rubio dumped his shares before the crash"),
        ("2", "bob", 3, "Rubio dumped all his shares right before the crash"),
        ("3", "carol", 6, "Vote for Gloria Johnson on Tuesday"),
    ])
    # unit vectors: cos(1,2) = 0.96 (>= 0.95), cos(1,3) = 0, cos(2,3) = 0.28
    e = np.array([[1.0, 0.0, 0.0], [0.96, 0.28, 0.0], [0.0, 1.0, 0.0]])
    groups = detect_coordination(posts, e)
    assert [g.members for g in groups] == [(("x", "1"), ("x", "2"))]
    assert groups[0].method == "embedding"
    assert detect_coordination(posts, e, min_cosine=0.97) == []
    assert coordinated_keys(groups) == {("x", "1"), ("x", "2")}


def test_vectors_per_unique_text_via_rows():
    posts = _posts([("1", "alice", 0, "a"), ("2", "bob", 3, "b"), ("3", "carol", 6, "")])
    texts = np.array([[1.0, 0.0], [0.96, 0.28]])  # one vector per unique text; post 3 has none (row -1)
    groups = detect_coordination(posts, texts, rows=np.array([1, 0, -1]))
    assert [g.members for g in groups] == [(("x", "1"), ("x", "2"))]


def test_missing_columns_and_misaligned_embeddings_are_clear_errors():
    with pytest.raises(NarrativesError, match="text_hash"):
        detect_coordination(pd.DataFrame({"platform": ["x"], "post_id": ["1"], "author_handle": ["a"],
                                          "created_at": [T0]}))
    with pytest.raises(NarrativesError, match="2 embeddings do not cover 3 posts"):
        detect_coordination(_posts([("1", "a", 0, "x"), ("2", "b", 0, "x"), ("3", "c", 0, "x")]), np.zeros((2, 3)))


def test_store_round_trip(tmp_path):
    posts = _posts([("1", "alice", 0, COPY), ("2", "bob", 10, COPY), ("3", "carol", 90, "other")])
    with Store(tmp_path / "s.duckdb") as store:
        store.con.register("_p", posts)
        store.con.execute("INSERT INTO posts (platform, post_id, author_handle, created_at, text, text_hash) "
                          "SELECT platform, post_id, author_handle, created_at, text, text_hash FROM _p")
        keys = posts[["platform", "post_id"]].iloc[::-1]
        assert store.post_authors(keys) == ["carol", "bob", "alice"]
        found = detect_coordination(posts.drop(columns="author_handle").assign(author_handle=store.post_authors(posts)))
        groups = [asdict(g) for g in found]
        store.save_coordination("r1", groups)
        table = store.coordination_groups("r1")
        members = store.coordination_members("r1")
        assert table[["n_posts", "n_accounts", "method"]].values.tolist() == [[2, 2, "text_hash"]]
        assert members[["post_id", "author_handle"]].values.tolist() == [["1", "alice"], ["2", "bob"]]
        assert members["created_at"].tolist() == [T0, T0 + timedelta(minutes=10)]
        store.save_coordination("r1", groups)  # saving again replaces, never duplicates
        assert len(store.coordination_members("r1")) == 2
        store.save_coordination("r1", [])
        assert store.coordination_members("r1").empty
