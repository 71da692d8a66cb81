"""Stable narrative ids: Hungarian matching plus merges, splits, dormant and new on synthetic centroids."""

from __future__ import annotations

import numpy as np
import pytest

from narratives.track import PreviousNarrative, format_id, match_narratives, next_number


def _axes(dim: int = 8) -> np.ndarray:
    return np.eye(dim)


def _prev(*pairs: tuple[str, np.ndarray], run: str = "r1") -> list[PreviousNarrative]:
    return [PreviousNarrative(nid, run, vec) for nid, vec in pairs]


def _relations(result) -> set[tuple]:
    return {(l.narrative_id, l.previous_narrative_id, l.relation) for l in result.lineage}


def test_first_run_numbers_new_narratives_in_order():
    e = _axes()
    result = match_narratives(e[:3], [], first_number=1)
    assert result.ids == ["n001", "n002", "n003"]
    assert result.status == ["new"] * 3
    assert _relations(result) == {("n001", None, "new"), ("n002", None, "new"), ("n003", None, "new")}


def test_continuing_keeps_ids_whatever_the_cluster_order_and_new_ids_continue_the_sequence():
    e = _axes()
    previous = _prev(("n001", e[0]), ("n002", e[1]))
    # this run's clusters come in another order, slightly moved, plus one unseen direction
    current = np.stack([e[1] + 0.1 * e[5], e[4], e[0] + 0.1 * e[6]])
    result = match_narratives(current, previous, first_number=next_number(["n001", "n002"]))
    assert result.ids == ["n002", "n003", "n001"]
    assert result.status == ["continuing", "new", "continuing"]
    sims = {l.narrative_id: l.similarity for l in result.lineage if l.relation == "continuing"}
    assert sims["n001"] == pytest.approx(1 / np.sqrt(1.01))


def test_hungarian_prefers_the_one_to_one_assignment_with_the_highest_total():
    e = _axes()
    a = e[0] + 0.3 * e[1]
    b = e[0] + 0.9 * e[1]
    previous = _prev(("n001", a), ("n002", b))
    # greedy would give cluster 0 (closest to both) to n001 and leave cluster 1 below threshold for n002
    current = np.stack([e[0] + 0.6 * e[1], e[0] + 1.2 * e[1]])
    result = match_narratives(current, previous, first_number=3, threshold=0.9)
    assert result.ids == ["n001", "n002"]
    assert result.status == ["continuing", "continuing"]


def test_merge_two_old_narratives_into_one_cluster():
    e = _axes()
    previous = _prev(("n001", e[0] + 0.4 * e[1]), ("n002", e[0] + 0.5 * e[2]), ("n003", e[3]))
    current = np.stack([e[0] + 0.3 * e[1] + 0.3 * e[2], e[3]])
    result = match_narratives(current, previous, first_number=4, threshold=0.8)
    assert result.ids[1] == "n003"
    assert result.ids[0] in {"n001", "n002"}
    assert result.status == ["merged", "continuing"]
    other = ({"n001", "n002"} - {result.ids[0]}).pop()
    assert (result.ids[0], other, "merged") in _relations(result)
    assert (result.ids[0], result.ids[0], "continuing") in _relations(result)


def test_split_one_old_narrative_into_two_clusters_gives_the_second_a_new_id():
    e = _axes()
    previous = _prev(("n001", e[0]), ("n002", e[3]))
    current = np.stack([e[3], e[0] + 0.2 * e[1], e[0] + 0.4 * e[2]])
    result = match_narratives(current, previous, first_number=3, threshold=0.8)
    assert result.ids == ["n002", "n001", "n003"]
    assert result.status == ["continuing", "continuing", "split"]
    assert ("n003", "n001", "split") in _relations(result)


def test_old_narrative_without_match_is_dormant_and_can_come_back_later():
    e = _axes()
    previous = _prev(("n001", e[0]), ("n002", e[1]))
    result = match_narratives(np.stack([e[0]]), previous, first_number=3)
    assert result.ids == ["n001"]
    assert ("n002", "n002", "dormant") in _relations(result)
    dormant = [l for l in result.lineage if l.relation == "dormant"][0]
    assert dormant.previous_run_id == "r1" and dormant.similarity == pytest.approx(0.0)
    # a later run sees it again: the id comes back, nothing new is numbered
    later = match_narratives(np.stack([e[1], e[0]]), _prev(("n001", e[0]), ("n002", e[1])), first_number=3)
    assert later.ids == ["n002", "n001"]


def test_empty_run_marks_everything_dormant():
    e = _axes()
    result = match_narratives(np.zeros((0, 8)), _prev(("n001", e[0])), first_number=2)
    assert result.ids == [] and [l.relation for l in result.lineage] == ["dormant"]


def test_id_sequence_is_global_and_deterministic():
    assert next_number(["n001", "n017", "n003", "weird"]) == 18
    assert next_number([]) == 1
    assert format_id(7) == "n007" and format_id(1234) == "n1234"
    e = _axes()
    args = (np.stack([e[2], e[5]]), _prev(("n017", e[0])))
    assert match_narratives(*args, first_number=18).ids == match_narratives(*args, first_number=18).ids == ["n018", "n019"]


@pytest.mark.slow
def test_demo_in_two_halves_keeps_ids_and_embeds_only_new_texts(tmp_path):
    """Ingest a slice of the demo corpus before and after 2024-10-07 with a run after each: the second
    run embeds only texts it has not seen and keeps the narrative id of the first half's posts."""
    import json

    from narratives.demo.generator import generate
    from narratives.ingest import ingest_paths
    from narratives.pipeline import run_pipeline
    from narratives.report import build_report
    from narratives.store import Store

    posts = generate(7)[::6]  # a slice keeps the real model's embedding time small on CPU
    halves = ([p for p in posts if p["created_at"] < "2024-10-07"], [p for p in posts if p["created_at"] >= "2024-10-07"])
    files = []
    for i, half in enumerate(halves):
        files.append(tmp_path / f"half{i + 1}.jsonl")
        files[-1].write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in half), encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        ingest_paths(store, [files[0]])
        first = run_pipeline(store, seed=0, progress=False)
        ingest_paths(store, [files[1]])
        second = run_pipeline(store, seed=0, progress=False)
        kept, total = store.id_retention(first.run_id, second.run_id)
        relations = {l["relation"] for l in store.lineage(second.run_id)}
        # the planted shapes show in the weekly reports of the second run
        planted = dict(store.con.execute(
            """SELECT g.narrative, mode(a.narrative_id) FROM gold g JOIN assignments a USING (platform, post_id)
               WHERE a.run_id = ? AND g.narrative IN ('insider_trading', 'corruption_scheme') GROUP BY 1""",
            [second.run_id]).fetchall())
        w41, w42 = (build_report(store, week=w) for w in ("2024-W41", "2024-W42"))
    assert second.n_embedded == len(set(second.corpus.hashes) - set(first.corpus.hashes)) > 0
    assert total > 0 and kept / total >= 0.95, f"kept {kept}/{total}"
    assert "continuing" in relations
    assert planted["insider_trading"] in {b.narrative_id for b in w41.bursts}
    assert planted["corruption_scheme"] in {n.narrative_id for n in w42.new}


def _persist(store, run_id: str, started, texts: list[str], anchored) -> None:
    """Store posts (one per text, the text standing for its hash), and a finished run with the anchored
    narratives and assignments."""
    from datetime import datetime

    import pandas as pd

    posts = pd.DataFrame({"platform": "x", "post_id": texts, "created_at": datetime(2024, 10, 1), "text": texts,
                          "text_hash": texts})
    store.con.register("_p", posts)
    store.con.execute("INSERT OR IGNORE INTO posts BY NAME SELECT * FROM _p")
    store.con.unregister("_p")
    narratives = pd.DataFrame({"run_id": run_id, "narrative_id": anchored.ids, "label": anchored.ids,
                               "n_posts": np.bincount(anchored.labels_[anchored.labels_ >= 0], minlength=len(anchored.ids)),
                               "centroid": [c.tolist() for c in anchored.centroids_], "status": anchored.status,
                               "examples": [[] for _ in anchored.ids]})
    assignments = pd.DataFrame({"run_id": run_id, "platform": "x", "post_id": texts, "score": anchored.scores_,
                                "narrative_id": [anchored.ids[k] if k >= 0 else None for k in anchored.labels_]})
    store.save_run({"run_id": run_id, "started_at": started, "model": "m", "params": {}, "timings": {},
                    "status": "done"}, narratives, assignments)


def test_anchoring_keeps_earlier_assignments_and_carries_narratives_the_clustering_missed(tmp_path):
    from datetime import datetime
    from types import SimpleNamespace

    from narratives.store import Store
    from narratives.pipeline import anchor
    from narratives.track import name_narratives

    e = _axes()
    texts1 = ["a1", "a2", "edge", "b1", "b2"]
    X1 = np.stack([e[0], e[0] + 0.1 * e[5], e[0] + 1.2 * e[2], e[1], e[1] + 0.1 * e[6]])
    with Store(tmp_path / "s.duckdb") as store:
        first = anchor(store, texts1, X1, SimpleNamespace(centroids_=np.stack([e[0], e[1]]), threshold=0.5))
        assert first.ids == ["n001", "n002"] and first.labels_.tolist() == [0, 0, 0, 1, 1]
        _persist(store, "r1", datetime(2024, 10, 1), texts1, first)

        # the next run's clustering finds only the first narrative again, plus a new one near "edge"
        texts2 = texts1 + ["c1", "c2"]
        X2 = np.vstack([X1, e[2], e[2] + 0.1 * e[7]])
        second = anchor(store, texts2, X2, SimpleNamespace(centroids_=np.stack([e[0], e[2]]), threshold=0.5))
        got = [second.ids[k] for k in second.labels_]
        # "edge" is nearer the new centroid but keeps n001; b1/b2 keep n002, carried over; c1/c2 are new
        assert got == ["n001", "n001", "n001", "n002", "n002", "n003", "n003"]
        assert second.status == ["continuing", "new", "continuing"]
        relations = {(l.narrative_id, l.relation) for l in second.lineage}
        assert relations == {("n001", "continuing"), ("n002", "continuing"), ("n003", "new")}
        _persist(store, "r2", datetime(2024, 10, 8), texts2, second)

        # a run over fewer texts: n001 is carried for a1, n002 is left with no texts and becomes dormant
        third = anchor(store, ["a1", "c1"], np.stack([e[0], e[2]]),
                       SimpleNamespace(centroids_=np.stack([e[2]]), threshold=0.5))
        assert [third.ids[k] for k in third.labels_] == ["n001", "n003"]
        assert {(l.narrative_id, l.relation) for l in third.lineage if l.relation == "dormant"} == {("n002", "dormant")}

    import pandas as pd

    narratives = pd.DataFrame({"cluster": [0, 1, 2], "n_posts": [2, 5, 2]})
    assignments = pd.DataFrame({"cluster": [1, -1, 0]})
    named, assigned = name_narratives(narratives, assignments, second)
    assert named["narrative_id"].tolist() == ["n003", "n001", "n002"]
    assert named["status"].tolist() == ["new", "continuing", "continuing"]
    assert assigned["narrative_id"].tolist()[0] == "n003" and pd.isna(assigned["narrative_id"].iloc[1])


def test_a_merged_narrative_keeps_its_texts_and_new_texts_join_the_one_it_merged_into(tmp_path):
    from datetime import datetime
    from types import SimpleNamespace

    from narratives.store import Store
    from narratives.pipeline import anchor

    e = _axes()
    a, b = e[0] + 0.4 * e[1], e[0] + 0.5 * e[2]
    texts1, X1 = ["a1", "b1"], np.stack([a, b])
    with Store(tmp_path / "s.duckdb") as store:
        first = anchor(store, texts1, X1, SimpleNamespace(centroids_=X1, threshold=0.5))
        _persist(store, "r1", datetime(2024, 10, 1), texts1, first)
        # the next clustering finds one narrative where there were two; a new text lands near the old "b"
        second = anchor(store, texts1 + ["b2"], np.vstack([X1, b]),
                        SimpleNamespace(centroids_=np.stack([e[0] + 0.3 * e[1] + 0.3 * e[2]]), threshold=0.5))
    got = [second.ids[k] for k in second.labels_]
    kept = first.ids[0] if second.ids[0] == "n001" else first.ids[1]
    merged = ({"n001", "n002"} - {second.ids[0]}).pop()
    assert got[:2] == ["n001", "n002"] and got[2] == second.ids[0] == kept
    assert dict(zip(second.ids, second.status)) == {kept: "merged", merged: "merged"}
    assert {(l.narrative_id, l.previous_narrative_id, l.relation) for l in second.lineage} == {
        (kept, kept, "continuing"), (kept, merged, "merged")}


def test_a_family_is_anchored_once_keeps_its_id_and_children_keep_theirs_across_runs(tmp_path):
    from datetime import datetime
    from types import SimpleNamespace

    import pandas as pd

    from narratives.merge import sub_narratives
    from narratives.store import Store
    from narratives.pipeline import anchor as anchor_to_history
    from narratives.track import child_ids

    e = _axes()
    # two clusters of one campaign (family 0) and an unrelated one (family 1)
    centroids = np.stack([e[0], e[0] * 0.6 + e[1] * 0.8, e[3]])
    family = np.array([0, 0, 1])
    texts = ["a1", "a2", "b1", "b2", "c1"]
    # b2 is close to its own cluster's centroid (0.9) but far from the family's mean direction
    X = np.stack([e[0], e[0] + 0.1 * e[5], e[0] * 0.6 + e[1] * 0.8, e[1] + 0.3 * e[0] + 0.2 * e[6], e[3]])
    disc = SimpleNamespace(centroids_=centroids, threshold=0.8, cluster_sizes_=np.array([2, 2, 1]))
    with Store(tmp_path / "s.duckdb") as store:
        first = anchor_to_history(store, texts, X, disc, family=family)
        assert first.ids == ["n001", "n002"]
        assert [first.ids[k] for k in first.labels_] == ["n001", "n001", "n001", "n001", "n002"]
        sub = sub_narratives(X, first.labels_, first.source, family, centroids)
        assert sub.labels_.tolist() == [0, 0, 1, 1, -1]
        kids, _ = child_ids([first.ids[k] for k in sub.parent], sub.centroids_, store.latest_child_centroids(),
                            store.known_narrative_ids())
        assert kids == ["n001.1", "n001.2"]
        _persist(store, "r1", datetime(2024, 10, 1), texts, first)
        store.con.execute("INSERT INTO narratives BY NAME SELECT * FROM (VALUES ('r1', 'n001.1', 'x', 1, 'n001', ?, '[]'),"
                          " ('r1', 'n001.2', 'y', 1, 'n001', ?, '[]')) t(run_id, narrative_id, label, n_posts, parent_id, "
                          "centroid, examples)",
                          [sub.centroids_[0].tolist(), sub.centroids_[1].tolist()])
        # the children are not narratives of their own when the next run anchors
        assert sorted(n for n, _, _ in store.latest_centroids()) == ["n001", "n002"]
        # next run: clusters found in another order; the family keeps n001, its children keep their ids
        second = anchor_to_history(store, texts + ["a3"], np.vstack([X, e[0]]),
                                   SimpleNamespace(centroids_=centroids[[2, 1, 0]], threshold=0.8,
                                                   cluster_sizes_=np.array([1, 2, 2])), family=np.array([0, 1, 1]))
        assert dict(zip(second.ids, second.status)) == {"n002": "continuing", "n001": "continuing"}
        assert [second.ids[k] for k in second.labels_][-1] == "n001"
        sub2 = sub_narratives(np.vstack([X, e[0]]), second.labels_, second.source, np.array([0, 1, 1]), centroids[[2, 1, 0]])
        kids2, status2 = child_ids([second.ids[k] for k in sub2.parent], sub2.centroids_,
                                   store.latest_child_centroids(), store.known_narrative_ids())
        assert kids2 == ["n001.2", "n001.1"] and status2 == ["continuing", "continuing"]
        # listing: families only by default, each family followed by its children on request
        assert store.run_narratives("r1")["narrative_id"].tolist() == ["n001", "n002"]
        assert store.run_narratives("r1", children=True)["narrative_id"].tolist() == ["n001", "n001.1", "n001.2", "n002"]


def test_two_narratives_that_a_later_run_joins_into_one_family_are_counted_once_and_linked_as_its_children(tmp_path):
    from datetime import datetime
    from types import SimpleNamespace

    from narratives.merge import sub_narratives
    from narratives.pipeline import anchor
    from narratives.store import Store
    from narratives.track import child_ids, joined_lineage

    e = _axes()
    a, b = e[0], e[0] * 0.6 + e[1] * 0.8  # cosine 0.6: two narratives when nothing joins them
    texts, X = ["a1", "a2", "b1", "b2"], np.stack([a, a + 0.05 * e[5], b, b + 0.05 * e[6]])
    disc = SimpleNamespace(centroids_=np.stack([a, b]), threshold=0.8, cluster_sizes_=np.array([2, 2]))
    with Store(tmp_path / "s.duckdb") as store:
        first = anchor(store, texts, X, disc)  # run 1: merge off
        assert first.ids == ["n001", "n002"]
        _persist(store, "r1", datetime(2024, 10, 1), texts, first)
        # run 2: the same clusters, joined by the merge stage into one family, and one new text of "b"
        X2 = np.vstack([X, b + 0.05 * e[7]])
        second = anchor(store, texts + ["b3"], X2, disc, family=np.array([0, 0]))
        kept = second.ids[0]
        other = ({"n001", "n002"} - {kept}).pop()
        # one top-level narrative holds every text, the old ones included: the claim is counted once
        assert second.ids == [kept] and (second.labels_ == 0).all()
        assert (kept, other, "merged") in {(l.narrative_id, l.previous_narrative_id, l.relation) for l in second.lineage}
        sub = sub_narratives(X2, second.labels_, second.source, np.array([0, 0]), disc.centroids_)
        kids, _ = child_ids([second.ids[k] for k in sub.parent], sub.centroids_, store.latest_child_centroids(),
                            store.known_narrative_ids())
        links = joined_lineage(second, kids, [second.ids[k] for k in sub.parent], sub.centroids_)
    # the old narrative lives on as the child whose centroid is its own (b's cluster: the second child)
    old_vector = {"n001": 0, "n002": 1}[other]
    assert [(l.narrative_id, l.previous_narrative_id, l.relation, l.previous_run_id) for l in links] == [
        (kids[old_vector], other, "joined", "r1")]
    assert links[0].similarity == pytest.approx(1.0)
    assert all(k.startswith(kept + ".") for k in kids)
