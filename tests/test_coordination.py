"""Coordination networks on hand-made posts, their parameters, and the store round trip."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from narratives.coordination import (CoordinationConfig, co_action_pairs, coordinated_keys, detect_coordination,
                                     near_duplicate_labels)
from narratives.errors import NarrativesError, ParameterError
from narratives.store import Store
from narratives.text import text_hash

T0 = datetime(2024, 10, 1, 12, 0)
COPY = "Senator Rubio sold his stock right before the crash and nobody in Washington cares #StockAct #Rubio"


def _posts(rows: list[tuple]) -> pd.DataFrame:
    """rows: (post_id, author, seconds after T0, text[, repost_of])."""
    return pd.DataFrame({
        "platform": "x",
        "post_id": [r[0] for r in rows],
        "author_handle": [r[1] for r in rows],
        "created_at": [T0 + timedelta(seconds=r[2]) for r in rows],
        "text": [r[3] for r in rows],
        "is_repost": [len(r) > 4 for r in rows],
        "repost_of": [r[4] if len(r) > 4 else None for r in rows],
    })


def _only(network: str) -> CoordinationConfig:
    return CoordinationConfig().with_overrides({f"{n}.enabled": n == network
                                                for n in ("co_post", "co_repost", "co_hashtag", "co_link")})


def test_near_copies_by_three_accounts_within_the_window_form_one_co_post_group():
    posts = _posts([
        ("1", "alice", 0, COPY),
        ("2", "bob", 60, COPY + " 😡"),                                   # emoji added
        ("3", "carol", 120, COPY.replace("#StockAct #Rubio", "#Rubio #StockAct").replace("crash", "crash!")),
        ("4", "dave", 240, COPY.replace("right before", "just before")),  # a small edit
        ("5", "erin", 4 * 3600, COPY),                                    # hours later: outside the window
        ("6", "frank", 30, "Vote for Gloria Johnson on Tuesday, polls open at seven in Knox County"),
    ])
    result = detect_coordination(posts)
    assert [(g.network, g.accounts) for g in result.groups] == [("co_post", ("alice", "bob", "carol", "dave"))]
    group = result.groups[0]
    assert group.members == (("x", "1"), ("x", "2"), ("x", "3"), ("x", "4"))
    assert (group.first_at, group.last_at) == (T0, T0 + timedelta(seconds=240))
    assert group.group_id.startswith("post-") and detect_coordination(posts).groups[0].group_id == group.group_id
    edges = result.edges.set_index(["account_a", "account_b"])
    assert len(edges) == 6 and set(edges["weight"]) == {1}  # 4 accounts, all pairs, one shared text
    assert edges.loc[("alice", "dave"), "last_at"] == T0 + timedelta(seconds=240)
    assert set(result.posts["object"]) == {"senator rubio sold his stock right before the crash and nobody in "
                                           "washington cares stockact rubio"}


def test_two_strangers_writing_the_same_phrase_and_one_account_repeating_itself_are_not_coordination():
    posts = _posts([("1", "alice", 0, COPY), ("2", "bob", 60, COPY),                  # only two accounts
                    ("3", "carol", 0, "Roll Tide! What a comeback."), ("4", "carol", 10, "Roll Tide! What a comeback."),
                    ("5", "carol", 20, "Roll Tide! What a comeback.")])
    assert detect_coordination(posts).groups == []
    assert detect_coordination(posts, CoordinationConfig().with_overrides(
        ["co_post.min_accounts=2", "min_group_accounts=2"])).groups[0].accounts == ("alice", "bob")


def test_dissimilar_texts_stay_apart_and_empty_texts_get_no_label():
    texts = [COPY, COPY + " !!", "Gloria Johnson will fight for teachers and nurses in every county of Tennessee",
             "https://t.co/abc", "🔥🔥"]
    labels = near_duplicate_labels(texts)
    assert labels[0] == labels[1] and labels[0] != labels[2]
    assert list(labels[3:]) == [-1, -1]


def test_reposts_are_their_own_network_and_an_organic_cascade_is_not_coordination():
    cascade = [(f"c{i}", f"fan{i}", 5 * i, "RT @news: Storm closes I-40 tonight", "n1") for i in range(20)]
    ring = [(f"r{k}{i}", f"bot{i}", 1000 * k + i, f"RT @boss: message {k}", f"b{k}") for k in range(3) for i in range(4)]
    result = detect_coordination(_posts(cascade + ring))
    assert [(g.network, g.accounts) for g in result.groups] == [("co_repost", ("bot0", "bot1", "bot2", "bot3"))]
    assert set(result.edges["weight"]) == {3}  # each pair reposted the same three posts together
    assert len(result.groups[0].members) == 12
    assert not coordinated_keys(result.groups, networks=("co_post",))  # reposts never count as copy-paste


def test_hashtag_sequences_and_links_need_two_co_actions_within_a_minute():
    rows = []
    for k in range(2):
        for i, who in enumerate(("a", "b", "c")):
            rows.append((f"h{k}{i}", who, 600 * k + 10 * i, f"day {k} post {i} #Trump #MAGA #Vote{k}"))
            rows.append((f"l{k}{i}", who, 600 * k + 10 * i + 1, f"read {i} this https://ex.com/story{k}."))
    rows.append(("h9", "d", 0, "something else #Trump #MAGA #Vote0"))  # once only: weight 1
    result = detect_coordination(_posts(rows), CoordinationConfig().with_overrides({"co_post.enabled": False}))
    assert sorted((g.network, g.accounts) for g in result.groups) == [
        ("co_hashtag", ("a", "b", "c")), ("co_link", ("a", "b", "c"))]
    link_objects = set(result.posts.loc[result.posts["network"] == "co_link", "object"])
    assert link_objects == {"https://ex.com/story0", "https://ex.com/story1"}  # trailing period trimmed


def test_edge_weight_percentile_and_min_participation_prune_weak_edges():
    rows = []
    for k in range(4):  # a, b, c repost four posts together; d joins only once
        for i, who in enumerate(("a", "b", "c") + (("d",) if k == 0 else ())):
            rows.append((f"p{k}{who}", who, 1000 * k + i, f"RT @x: {k}", f"s{k}"))
    base = _only("co_repost").with_overrides(["co_repost.min_weight=1"])
    assert detect_coordination(_posts(rows), base).groups[0].accounts == ("a", "b", "c", "d")
    for setting in ("co_repost.weight_percentile=60", "co_repost.min_participation=2"):
        assert detect_coordination(_posts(rows), base.with_overrides([setting])).groups[0].accounts == ("a", "b", "c")


def test_pairs_are_bounded_by_the_window_and_max_links():
    n = 2000  # one text posted by 2000 accounts within a minute: far fewer than n^2/2 pairs
    i, j = co_action_pairs(np.zeros(n, dtype=np.int64), np.arange(n) // 40, np.arange(n), window_s=60, max_links=50)
    assert len(i) == sum(min(k, 50) for k in range(n))
    assert (np.abs(i - j) <= 50).all()
    i, j = co_action_pairs(np.array([0, 0, 1, 1]), np.array([0, 61, 0, 60]), np.array([1, 2, 3, 4]), 60, 100)
    assert sorted(zip(i.tolist(), j.tolist())) == [(2, 3)]  # 60 s apart is inside, 61 s is not


def test_leiden_splits_what_components_join():
    pytest.importorskip("leidenalg")
    rows = []
    for k in range(3):  # two rings of four bots each reposting three posts together, bridged once by b0-c0
        for ring in ("b", "c"):
            for i in range(4):
                rows.append((f"{ring}{k}{i}", f"{ring}{i}", 1000 * k + i, f"RT @{ring}: {k}", f"{ring}{k}"))
    rows += [("x1", "b0", 5000, "RT @z: bridge", "z"), ("x2", "c0", 5001, "RT @z: bridge", "z"),
             ("x3", "b0", 6000, "RT @z: bridge2", "z2"), ("x4", "c0", 6001, "RT @z: bridge2", "z2")]
    posts = _posts(rows)
    assert [len(g.accounts) for g in detect_coordination(posts).groups] == [8]
    leiden = detect_coordination(posts, CoordinationConfig(community="leiden"))
    assert sorted(g.accounts for g in leiden.groups) == [("b0", "b1", "b2", "b3"), ("c0", "c1", "c2", "c3")]


def test_config_overrides_round_trip_and_errors_name_the_parameter():
    config = CoordinationConfig().with_overrides(["co_post.window_s=600", "jaccard=0.8", "co_link.enabled=false"])
    assert (config.co_post.window_s, config.jaccard, config.co_link.enabled) == (600.0, 0.8, False)
    assert CoordinationConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ParameterError, match=r"coordination\.co_post\.windw_s: unknown setting") as err:
        config.with_overrides(["co_post.windw_s=3"])
    assert err.value.parameter == "coordination.co_post.windw_s"
    with pytest.raises(ParameterError, match=r"coordination\.jaccard='high': expected a float"):
        config.with_overrides(["jaccard=high"])
    with pytest.raises(ParameterError, match=r"coordination\.jaccard=1\.5: must be in"):
        CoordinationConfig(jaccard=1.5)
    with pytest.raises(ParameterError, match=r"coordination\.co_repost\.min_accounts=1"):
        config.with_overrides({"co_repost.min_accounts": 1})
    with pytest.raises(ParameterError, match="expected name=value"):
        config.with_overrides(["jaccard"])
    with pytest.raises(NarrativesError, match="lack column"):
        detect_coordination(pd.DataFrame({"platform": ["x"], "post_id": ["1"], "created_at": [T0], "text": ["a"]}))


def test_store_round_trip(tmp_path):
    posts = _posts([("1", "alice", 0, COPY), ("2", "bob", 10, COPY), ("3", "carol", 90, COPY + " 🚨"),
                    ("4", "dave", 95, "other")])
    with Store(tmp_path / "s.duckdb") as store:
        store.con.register("_p", posts.assign(text_hash=posts["text"].map(text_hash)))
        store.con.execute("INSERT INTO posts (platform, post_id, author_handle, created_at, text, text_hash, is_repost, "
                          "repost_of) SELECT platform, post_id, author_handle, created_at, text, text_hash, is_repost, "
                          "repost_of FROM _p")
        read = store.coordination_input()
        assert read["post_id"].tolist() == ["1", "2", "3", "4"]
        result = detect_coordination(read)
        store.save_coordination("r1", result)
        groups = store.coordination_groups("r1")
        assert groups[["network", "n_posts", "n_accounts"]].values.tolist() == [["co_post", 3, 3]]
        assert list(groups["accounts"].iat[0]) == ["alice", "bob", "carol"]
        members = store.coordination_members("r1")
        assert members[["post_id", "author_handle"]].values.tolist() == [["1", "alice"], ["2", "bob"], ["3", "carol"]]
        evidence = store.coordination_group_posts("r1", groups["group_id"].iat[0])
        assert evidence["text"].tolist()[2] == COPY + " 🚨"
        assert len(store.coordination_edges("r1")) == 3
        store.save_coordination("r1", result)  # saving again replaces, never duplicates
        assert len(store.coordination_members("r1")) == 3
        store.save_coordination("r1", detect_coordination(read.iloc[:0]))
        assert store.coordination_members("r1").empty and store.coordination_edges("r1").empty


def test_migration_0006_keeps_the_groups_of_older_runs_as_co_post(tmp_path):
    import duckdb

    from narratives.store.core import _migrations

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMP DEFAULT current_timestamp)")
    for version, name, sql in _migrations():
        if version <= 5:  # a store written before the networks existed
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
    con.execute("INSERT INTO coordination_groups VALUES ('r1', 'gabc', 2, 2, ['a', 'b'], ?, ?, 'text_hash')",
                [T0, T0 + timedelta(minutes=5)])
    con.execute("INSERT INTO coordination VALUES ('r1', 'gabc', 'x', '1', 'a', ?), ('r1', 'gabc', 'x', '2', 'b', ?)",
                [T0, T0 + timedelta(minutes=5)])
    con.close()
    with Store(path) as store:
        assert store.schema_version >= 6
        members = store.coordination_members("r1")
        assert members[["network", "group_id", "post_id", "author_handle"]].values.tolist() == [
            ["co_post", "gabc", "1", "a"], ["co_post", "gabc", "2", "b"]]
        assert store.con.execute("SELECT network, n_accounts FROM coordination_group").fetchall() == [("co_post", 2)]


def test_demo_corpus_bursts_and_rings_are_found_and_organic_cascades_are_not():
    from narratives.demo import generate

    demo = generate(7)
    posts = pd.DataFrame({
        "platform": [p["platform"] for p in demo], "post_id": [p["id"] for p in demo],
        "author_handle": [p["author"] for p in demo],
        "created_at": pd.to_datetime([p["created_at"] for p in demo]).tz_localize(None),
        "text": [p["text"] for p in demo], "is_repost": ["repost_of" in p for p in demo],
        "repost_of": [p.get("repost_of") for p in demo],
    })
    result = detect_coordination(posts)
    flagged = {post_id for _, post_id in coordinated_keys(result.groups)}
    gold = {p["id"] for p in demo if p["coordinated"]}
    tp = len(flagged & gold)
    assert 2 * tp / (len(flagged) + len(gold)) >= 0.97
    cascades = {p["id"] for p in demo if "repost_of" in p and not p["coordinated"]}
    assert len(cascades) >= 100 and not cascades & flagged  # in no network, co_post least of all
    rings = {p["id"] for p in demo if "repost_of" in p and p["coordinated"]}
    assert rings <= {post_id for g in result.groups if g.network == "co_repost" for _, post_id in g.members}
