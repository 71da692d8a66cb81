"""One co-action network: account pairs acting on the same object within a window, edge filters, groups."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..errors import NarrativesError
from .config import CoordinationConfig, NetworkConfig
from .near_duplicates import shingle_text
from .results import EDGE_COLUMNS, POST_COLUMNS, CoordinationGroup

_GROUP_PREFIX = {"co_post": "post", "co_repost": "repost", "co_hashtag": "hashtag", "co_link": "link"}


def _seconds(times: pd.Series) -> np.ndarray:
    ns = pd.to_datetime(times).to_numpy(dtype="datetime64[ns]").astype(np.int64)
    return ns // 1_000_000_000


def co_action_pairs(objects: np.ndarray, seconds: np.ndarray, accounts: np.ndarray, window_s: float,
                    max_links: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j) of rows with the same object, different accounts, at most `window_s` apart.

    Rows are grouped by object and sorted by time; each row is paired with at most `max_links` earlier
    rows of its object inside the window, so the cost is linear in rows times `max_links`.
    """
    n = len(objects)
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    obj_code = pd.factorize(pd.Series(objects, dtype=object), sort=False)[0].astype(np.int64)
    t = seconds.astype(np.int64) - int(seconds.min())
    order = np.lexsort((t, obj_code))
    span = int(t.max()) + int(window_s) + 2
    key = obj_code[order] * span + t[order]
    lo = np.searchsorted(key, key - int(window_s), side="left")
    lo = np.maximum(lo, np.arange(n) - max_links)
    counts = np.arange(n) - lo
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    later = np.repeat(np.arange(n), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    earlier = lo[later] + (np.arange(total) - starts)
    i, j = order[earlier], order[later]
    differ = accounts[i] != accounts[j]
    return i[differ], j[differ]


def _network(network: str, net: NetworkConfig, config: CoordinationConfig, rows: np.ndarray, labels: np.ndarray,
             accounts: np.ndarray, seconds: np.ndarray, posts: pd.DataFrame):
    acct_code, acct_names = pd.factorize(pd.Series(accounts[rows], dtype=object), sort=True)
    acct_names = np.asarray(acct_names, dtype=object)
    i, j = co_action_pairs(labels, seconds[rows], acct_code, net.window_s, config.max_links)
    empty = ([], pd.DataFrame(columns=EDGE_COLUMNS), pd.DataFrame(columns=POST_COLUMNS))
    if not len(i):
        return empty
    a, b = np.minimum(acct_code[i], acct_code[j]), np.maximum(acct_code[i], acct_code[j])
    obj = pd.factorize(pd.Series(labels, dtype=object))[0][i]
    pairs = pd.DataFrame({"a": a, "b": b, "obj": obj, "i": i, "j": j,
                          "t0": np.minimum(seconds[rows][i], seconds[rows][j]),
                          "t1": np.maximum(seconds[rows][i], seconds[rows][j])})
    if net.min_accounts > 2:
        linked = pd.concat([pairs[["obj", "a"]], pairs[["obj", "b"]].rename(columns={"b": "a"})])
        per_object = linked.drop_duplicates().groupby("obj").size()
        pairs = pairs[pairs["obj"].isin(per_object[per_object >= net.min_accounts].index)]
        if pairs.empty:
            return empty
    edges = pairs.groupby(["a", "b"], sort=True).agg(weight=("obj", "nunique"), t0=("t0", "min"), t1=("t1", "max"))
    edges = edges.reset_index()
    cut = net.min_weight
    if net.weight_percentile > 0:
        cut = max(cut, float(np.percentile(edges["weight"], net.weight_percentile)))
    edges = edges[edges["weight"] >= cut]
    if net.min_participation > 1 and len(edges):
        kept = pairs.merge(edges[["a", "b"]], on=["a", "b"])
        part = pd.concat([kept[["a", "obj"]].rename(columns={"a": "acct"}), kept[["b", "obj"]].rename(columns={"b": "acct"})])
        active = part.drop_duplicates().groupby("acct").size()
        ok = set(active[active >= net.min_participation].index)
        edges = edges[edges["a"].isin(ok) & edges["b"].isin(ok)]
    if edges.empty:
        return empty
    community = _communities(edges, len(acct_names), config)
    edges = edges.assign(ca=community[edges["a"].to_numpy()], cb=community[edges["b"].to_numpy()])
    edges = edges[edges["ca"] == edges["cb"]]
    sizes = pd.Series(np.concatenate([edges["a"], edges["b"]])).groupby(
        np.concatenate([edges["ca"], edges["ca"]])).nunique()
    big = set(sizes[sizes >= config.min_group_accounts].index)
    edges = edges[edges["ca"].isin(big)]
    if edges.empty:
        return empty
    # group ids from the network and its accounts, so they are stable and readable
    members_of: dict[int, set[int]] = {}
    for x, y, c in zip(edges["a"], edges["b"], edges["ca"]):
        members_of.setdefault(int(c), set()).update((int(x), int(y)))
    gid = {c: _group_id(network, [acct_names[m] for m in ms]) for c, ms in members_of.items()}
    edges = edges.assign(group_id=edges["ca"].map(gid))
    kept = pairs.merge(edges[["a", "b", "group_id"]], on=["a", "b"])
    post_rows = pd.DataFrame({"k": np.concatenate([kept["i"], kept["j"]]),
                              "group_id": np.concatenate([kept["group_id"], kept["group_id"]])}).drop_duplicates("k")
    local = post_rows["k"].to_numpy()
    evidence = pd.DataFrame({
        "network": network, "group_id": post_rows["group_id"].to_numpy(),
        "platform": posts["platform"].astype(str).to_numpy()[rows[local]],
        "post_id": posts["post_id"].astype(str).to_numpy()[rows[local]],
        "account": accounts[rows[local]],
        "created_at": pd.to_datetime(posts["created_at"]).to_numpy()[rows[local]],
        "object": np.asarray(labels, dtype=object)[local].astype(str),
        "text": posts["text"].to_numpy()[rows[local]],
    }).sort_values(["group_id", "created_at", "platform", "post_id"], ignore_index=True)
    if network == "co_post":  # a cluster number means nothing to a reader: name it by its earliest text
        first_text: dict[str, str] = {}
        for label, text in zip(evidence["object"], evidence["text"]):
            first_text.setdefault(label, shingle_text(text)[:200])
        evidence["object"] = evidence["object"].map(first_text)
    evidence = evidence.drop(columns="text")
    edge_frame = pd.DataFrame({
        "network": network, "account_a": acct_names[edges["a"].to_numpy()],
        "account_b": acct_names[edges["b"].to_numpy()], "weight": edges["weight"].to_numpy().astype(np.int64),
        "first_at": pd.to_datetime(edges["t0"].to_numpy(), unit="s"), "last_at": pd.to_datetime(edges["t1"].to_numpy(), unit="s"),
        "group_id": edges["group_id"].to_numpy(),
    })
    groups = []
    for group_id, frame in evidence.groupby("group_id", sort=True):
        groups.append(CoordinationGroup(
            group_id=group_id, network=network,
            members=tuple(zip(frame["platform"], frame["post_id"])),
            accounts=tuple(sorted(set(frame["account"]))),
            first_at=pd.Timestamp(frame["created_at"].min()).to_pydatetime(),
            last_at=pd.Timestamp(frame["created_at"].max()).to_pydatetime(),
        ))
    return groups, edge_frame, evidence


def _communities(edges: pd.DataFrame, n: int, config: CoordinationConfig) -> np.ndarray:
    """A community number per account: connected components, or Leiden (modularity, weighted, seeded)."""
    a, b = edges["a"].to_numpy(), edges["b"].to_numpy()
    if config.community == "components":
        graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
        return connected_components(graph, directed=False)[1]
    try:
        import igraph
        import leidenalg
    except ImportError:
        raise NarrativesError("coordination community='leiden' needs the igraph and leidenalg packages "
                              "(pip install 'narratives[leiden]')") from None
    graph = igraph.Graph(n=n, edges=list(zip(a.tolist(), b.tolist())))
    part = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition,
                                    weights=edges["weight"].astype(float).tolist(), seed=config.seed)
    return np.asarray(part.membership, dtype=np.int64)


def _group_id(network: str, accounts: Iterable[str]) -> str:
    digest = hashlib.blake2b(("\n".join(sorted(accounts))).encode("utf-8"), digest_size=5).hexdigest()
    return f"{_GROUP_PREFIX[network]}-{digest}"
