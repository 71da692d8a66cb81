"""`narratives coordination list|show|export` over a hand-built run: tables, JSON, and graph files networkx opens."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import networkx as nx
import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from narratives.cli import app
from narratives.coordination import detect_coordination
from narratives.networks import coordination_graph, coordination_groups
from narratives.store import Store
from narratives.store.posts import POST_COLUMNS
from narratives.text import text_hash

T0 = datetime(2024, 10, 1, 3, 0)
COPY = "McCaul traded defense stocks the week before the classified briefing, check the filings #StockAct"
RUN = "r20241002T000000-abcdef"


@pytest.fixture()
def db(tmp_path):
    """Four bots paste one text (narrative n001, naming McCaul); three of them also repost two posts together."""
    rows = [{"post_id": f"c{i}", "author_handle": f"bot{i}", "created_at": T0 + timedelta(seconds=40 * i),
             "text": COPY + (" 🚨" * (i % 2)), "is_repost": False} for i in range(4)]
    rows += [{"post_id": f"r{k}{i}", "author_handle": f"bot{i}", "created_at": T0 + timedelta(hours=k + 1, seconds=i),
              "text": f"RT @boss: post {k}", "is_repost": True, "repost_of": f"o{k}"} for k in range(2) for i in range(3)]
    rows += [{"post_id": "z", "author_handle": "person", "created_at": T0, "text": "Nice weather today",
              "is_repost": False}]
    frame = pd.DataFrame([{c: None for c in POST_COLUMNS} | {"platform": "x"} | r for r in rows])
    frame["text_hash"] = frame["text"].map(text_hash)
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.insert_posts(pa.Table.from_pandas(frame[list(POST_COLUMNS)], preserve_index=False))
        run = {"run_id": RUN, "started_at": T0, "finished_at": T0, "since": None, "until": None, "model": "m",
               "device": "cpu", "seed": 0, "params": {}, "n_posts": len(rows), "n_texts": 4, "n_embedded": 0,
               "timings": {}, "status": "done"}
        narratives = pd.DataFrame([{"run_id": RUN, "narrative_id": "n001", "label": "Insider trading",
                                    "examples": [], "n_posts": 4}])
        assignments = pd.DataFrame({"run_id": RUN, "platform": "x", "post_id": frame["post_id"],
                                    "narrative_id": ["n001" if p.startswith("c") else None for p in frame["post_id"]]})
        store.save_run(run, narratives, assignments)
        store.con.execute("INSERT INTO mentions (run_id, platform, post_id, candidate_id, method, confidence) "
                          "SELECT ?, 'x', post_id, 'michael_mccaul', 'surname', 1.0 FROM posts WHERE post_id LIKE 'c%'",
                          [RUN])
        store.save_coordination(RUN, detect_coordination(store.coordination_input()))
    return path


def test_list_shows_groups_with_their_narratives_and_candidates(db):
    runner = CliRunner()
    out = runner.invoke(app, ["coordination", "list", "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    groups = json.loads(out.output)["groups"]
    assert [(g["network"], g["n_accounts"], g["n_posts"]) for g in groups] == [("co_post", 4, 4), ("co_repost", 3, 6)]
    assert groups[0]["narratives"] == ["n001"] and groups[0]["candidates"] == ["michael_mccaul"]
    assert groups[1]["narratives"] == [] and groups[0]["accounts"] == ["bot0", "bot1", "bot2", "bot3"]
    table = runner.invoke(app, ["coordination", "list", "--db", str(db)])
    assert table.exit_code == 0 and groups[0]["group_id"] in table.output
    only = runner.invoke(app, ["coordination", "list", "--db", str(db), "--narrative", "n001", "--json"])
    assert [g["network"] for g in json.loads(only.output)["groups"]] == ["co_post"]
    bad = runner.invoke(app, ["coordination", "list", "--db", str(db), "--narrative", "n999"])
    assert bad.exit_code != 0 and "n999" in str(bad.exception)


def test_show_gives_the_evidence_posts_in_time_order(db):
    with Store(db, read_only=True) as store:
        _, groups = coordination_groups(store)
    group_id = groups["group_id"].iat[0]
    runner = CliRunner()
    out = runner.invoke(app, ["coordination", "show", group_id, "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    detail = json.loads(out.output)
    assert [p["author_handle"] for p in detail["posts"]] == ["bot0", "bot1", "bot2", "bot3"]
    assert detail["posts"][1]["text"] == COPY + " 🚨" and detail["posts"][0]["created_at"] == T0.isoformat()
    assert len(detail["edges"]) == 6
    text = runner.invoke(app, ["coordination", "show", group_id, "--db", str(db)])
    assert text.exit_code == 0 and "bot3" in text.output and "evidence posts" in text.output
    missing = runner.invoke(app, ["coordination", "show", "post-nope", "--db", str(db)])
    assert missing.exit_code != 0


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_opens_in_networkx_with_node_and_edge_attributes(db, tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    result = CliRunner().invoke(app, ["coordination", "export", "--format", fmt, "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert sorted(graph.nodes) == ["bot0", "bot1", "bot2", "bot3"]
    nodes = dict(graph.nodes(data=True))
    assert nodes["bot0"]["posts"] == 3 and nodes["bot0"]["narratives"] == "n001"  # one copy, two reposts
    assert nodes["bot3"]["posts"] == 1
    edges = [d for _, _, d in graph.edges(data=True)]
    assert sorted((d["network"], int(d["weight"])) for d in edges) == [("co_post", 1)] * 6 + [("co_repost", 2)] * 3
    repost = next(d for a, b, d in graph.edges(data=True) if d["network"] == "co_repost" and {a, b} == {"bot0", "bot1"})
    assert (repost["first_at"], repost["last_at"]) == ((T0 + timedelta(hours=1)).isoformat(),
                                                       (T0 + timedelta(hours=2, seconds=1)).isoformat())


def test_export_csv_writes_edges_and_nodes_and_rejects_unknown_formats(db, tmp_path):
    out = tmp_path / "net.csv"
    result = CliRunner().invoke(app, ["coordination", "export", "--format", "csv", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    edges, nodes = pd.read_csv(out), pd.read_csv(tmp_path / "net_nodes.csv")
    assert len(edges) == 9 and set(edges.columns) >= {"Source", "Target", "Weight", "network", "first_at", "last_at"}
    assert nodes["Id"].tolist() == ["bot0", "bot1", "bot2", "bot3"]
    bad = CliRunner().invoke(app, ["coordination", "export", "--format", "dot", "--out", str(out), "--db", str(db)])
    assert bad.exit_code != 0 and "graphml" in str(bad.exception)
    with Store(db, read_only=True) as store:
        assert coordination_graph(store).number_of_edges() == 9


def test_weekly_report_has_a_coordination_section(tmp_path):
    from test_report import MONDAY_W38, fill_store

    from narratives.coordination import CoordinationGroup, CoordinationResult
    from narratives.report import build_report, render_html, render_markdown

    # insider posts of W41 (week index 3) by acct0..acct2_insider form a co_post group (three of them)
    evidence = [(f"insider-3-{i}", f"acct{(i + 3) % 5}_insider") for i in (2, 3, 4)]
    when = [MONDAY_W38 + timedelta(weeks=3, hours=i) for i in (2, 3, 4)]
    accounts = tuple(sorted(a for _, a in evidence))
    group = CoordinationGroup("post-test", "co_post", tuple(("x", p) for p, _ in evidence), accounts, when[0], when[-1])
    posts = pd.DataFrame({"network": "co_post", "group_id": "post-test", "platform": "x",
                          "post_id": [p for p, _ in evidence], "account": [a for _, a in evidence],
                          "created_at": when, "object": "rubio made stock trades"})
    edges = pd.DataFrame({"network": "co_post", "account_a": [accounts[0], accounts[0], accounts[1]],
                          "account_b": [accounts[1], accounts[2], accounts[2]], "weight": 1,
                          "first_at": when[0], "last_at": when[-1], "group_id": "post-test"})
    with fill_store(tmp_path / "r.duckdb") as store:
        store.save_coordination("r1", CoordinationResult([group], edges, posts, None))
        report = build_report(store, week="2024-W41")
        quiet = build_report(store, week="2024-W38")
    c = report.coordination
    assert [(g["group_id"], g["posts"], g["n_accounts"], g["candidates"]) for g in c.groups] == [
        ("post-test", 3, 3, ["marco_rubio"])]
    # in W41, 40 insider posts by acct{(i + 3) % 5}: i + 3 = 0, 1, 2 (mod 5) for 24 of them
    insider = next(s for s in c.shares if s["label"] == "Insider trading")
    assert (insider["posts"], insider["coordinated_posts"]) == (40, 24)
    assert [s["label"] for s in c.shares] == ["Insider trading"]
    md, page = render_markdown(report), render_html(report)
    assert "## Coordination" in md and "post-test" in md and "| 40 | 24 | 60% |" in md
    assert "<h2>Coordination</h2>" in page and "60%" in page
    assert "No coordinated group posted in this period." in render_markdown(quiet)
