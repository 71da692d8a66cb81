"""What a run's coordination networks show the analyst: groups, their evidence, the account graph as a file.

Built only from the store (after `narratives run`), like the report. `coordination_groups` lists the
groups with the narratives and candidates their posts push; `coordination_group` gives one group's
accounts, edges and evidence posts; `coordination_graph` / `export_network` give the account network
with node attributes handle, posts, evidence_posts, groups, narratives and edge attributes weight,
network (the co-action type: co_post, co_repost, co_hashtag, co_link), first_at, last_at, group_id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import NarrativesError

EXPORT_FORMATS = ("graphml", "gexf", "csv")


def coordination_groups(store, run_id: str | None = None, narrative_id: str | None = None) -> tuple[str, pd.DataFrame]:
    """(run id, the run's groups most accounts first): group_id, network, n_accounts, n_posts, accounts,
    first_at, last_at, narratives, candidates. The latest run by default; `narrative_id` keeps the
    groups with at least one post assigned to it."""
    run_id = store.resolve_run(run_id)
    if narrative_id is not None and narrative_id not in set(store.run_narratives(run_id)["narrative_id"]):
        raise NarrativesError(f"run {run_id} has no narrative {narrative_id!r}")
    return run_id, store.coordination_groups(run_id, narrative_id)


@dataclass
class GroupDetail:
    """One group: its row from `coordination_groups`, its account edges and its evidence posts in time order."""

    run_id: str
    group: dict
    edges: pd.DataFrame
    posts: pd.DataFrame  # platform, post_id, author_handle, created_at, text, object, narrative_id

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, **_jsonable(self.group),
                "edges": [_jsonable(r) for r in self.edges.to_dict("records")],
                "posts": [_jsonable(r) for r in self.posts.to_dict("records")]}


def coordination_group(store, group_id: str, run_id: str | None = None) -> GroupDetail:
    """The accounts, edges and evidence posts of `group_id` in a run (the latest by default)."""
    run_id = store.resolve_run(run_id)
    groups = store.coordination_groups(run_id)
    row = groups[groups["group_id"] == group_id]
    if row.empty:
        raise NarrativesError(f"run {run_id} has no coordination group {group_id!r}")
    edges = store.coordination_edges(run_id)
    return GroupDetail(run_id, row.iloc[0].to_dict(), edges[edges["group_id"] == group_id].reset_index(drop=True),
                       store.coordination_group_posts(run_id, group_id))


def coordination_graph(store, run_id: str | None = None):
    """The run's account network as a `networkx.MultiGraph`: one node per account in a kept edge, one edge
    per account pair and network (key = network)."""
    import networkx as nx

    run_id = store.resolve_run(run_id)
    graph = nx.MultiGraph(run_id=run_id)
    for acc in store.coordination_accounts(run_id):
        graph.add_node(acc["handle"], label=acc["handle"], handle=acc["handle"], posts=int(acc["posts"]),
                       evidence_posts=int(acc["evidence_posts"]), groups=",".join(acc["groups"]),
                       narratives=",".join(acc["narratives"]))
    for e in store.coordination_edges(run_id).itertuples(index=False):
        graph.add_edge(e.account_a, e.account_b, key=e.network, weight=int(e.weight), network=e.network,
                       first_at=pd.Timestamp(e.first_at).isoformat(), last_at=pd.Timestamp(e.last_at).isoformat(),
                       group_id=e.group_id)
    return graph


def export_network(store, path: str | Path, format: str = "graphml", run_id: str | None = None) -> list[Path]:
    """Write the run's account network for Gephi or networkx and return the files written.

    graphml and gexf write one file; csv writes the edge list to `path` (Source, Target, Weight, network,
    first_at, last_at, group_id) and the nodes beside it as `<stem>_nodes.csv` (Id, Label, ...), the two
    tables Gephi's spreadsheet import reads.
    """
    import networkx as nx

    if format not in EXPORT_FORMATS:
        raise NarrativesError(f"export format {format!r}: expected one of {', '.join(EXPORT_FORMATS)}")
    graph = coordination_graph(store, run_id)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if format == "graphml":
        nx.write_graphml(graph, path)
        return [path]
    if format == "gexf":
        nx.write_gexf(graph, path)
        return [path]
    edges = pd.DataFrame([{"Source": a, "Target": b, "Weight": d["weight"], "network": d["network"],
                           "first_at": d["first_at"], "last_at": d["last_at"], "group_id": d["group_id"]}
                          for a, b, d in graph.edges(data=True)],
                         columns=["Source", "Target", "Weight", "network", "first_at", "last_at", "group_id"])
    nodes = pd.DataFrame([{"Id": n, "Label": d["label"], "posts": d["posts"], "evidence_posts": d["evidence_posts"],
                           "groups": d["groups"], "narratives": d["narratives"]} for n, d in graph.nodes(data=True)],
                         columns=["Id", "Label", "posts", "evidence_posts", "groups", "narratives"])
    node_path = path.with_name(f"{path.stem}_nodes.csv")
    edges.to_csv(path, index=False)
    nodes.to_csv(node_path, index=False)
    return [path, node_path]


def _jsonable(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        if isinstance(value, pd.Timestamp):
            value = value.isoformat()
        elif hasattr(value, "tolist"):
            value = value.tolist()
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        if isinstance(value, float) and value != value:
            value = None
        out[key] = value
    return out
