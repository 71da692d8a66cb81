"""Coordinated accounts: networks of accounts that act together, and the groups they form.

Influence operations copy-paste one message across many accounts within minutes, retweet the same
post in lock-step, push the same hashtag sequence or the same link. Following CooRTweet and the QUT
coordination-network-toolkit, each kind of co-action gives its own account network:

- `co_post`: original posts (not reposts) with the same or nearly the same text. Texts are reduced to
  their words (URLs, `RT @user:`, punctuation, emoji and case dropped), cut into character shingles and
  sketched with MinHash (`rensa`); LSH banding proposes candidate pairs of texts, which are kept when
  their estimated Jaccard similarity is at least `jaccard`. Near-duplicate texts then share one object.
- `co_repost`: reposts of the same post (`repost_of`, or the reposted text when the layout has no id).
- `co_hashtag`: original posts with the same sequence of at least `min_hashtags` hashtags.
- `co_link`: original posts sharing a URL written in the text.

Two accounts co-act when they post the same object at most the network's `window_s` apart. The edge
weight is the number of distinct objects they co-acted on. Edges below `min_weight` (and below the
`weight_percentile` of the network's weights, CooRTweet's edge-weight filter) are dropped, then accounts
with fewer than `min_participation` co-actions; groups are the connected components (or Leiden
communities) of what is left that have at least `min_group_accounts` accounts. A group's posts are the
posts behind its kept edges: the evidence.

Cost is near-linear: texts are compared only within LSH buckets (each bucket member against one
leader, never all pairs), and posts of one object only within their time window, to at most
`max_links` earlier posts each; the same account never links to itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .errors import NarrativesError, ParameterError
from .text import normalize_text

NETWORKS = ("co_post", "co_repost", "co_hashtag", "co_link")
COMMUNITIES = ("components", "leiden")
REQUIRED_COLUMNS = ("platform", "post_id", "author_handle", "created_at", "text")
_WORD = re.compile(r"\w+")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_HASHTAG = re.compile(r"#(\w+)")
_GROUP_PREFIX = {"co_post": "post", "co_repost": "repost", "co_hashtag": "hashtag", "co_link": "link"}


@dataclass(frozen=True)
class NetworkConfig:
    """How one network links accounts and which of its edges count.

    window_s: most seconds between two accounts' posts of the same object (inclusive).
    min_weight: least number of distinct objects two accounts co-acted on for their edge to count.
    weight_percentile: also drop edges whose weight is below this percentile (0-100) of the network's
        edge weights, as CooRTweet does; 0 keeps all.
    min_participation: least number of co-actions (distinct objects, over kept edges) an account needs.
    min_accounts: least distinct accounts linked on one object for its co-actions to count (a burst, not
        two strangers who happen to write the same phrase).
    enabled: whether to build this network at all.
    """

    window_s: float = 60.0
    min_weight: int = 1
    weight_percentile: float = 0.0
    min_participation: int = 1
    min_accounts: int = 2
    enabled: bool = True


@dataclass(frozen=True)
class CoordinationConfig:
    """Every coordination parameter, with the defaults a run uses; stored with the run.

    The four networks have their own window and thresholds. Three or more accounts pasting the same
    text within 30 minutes is evidence at weight 1 (two strangers writing the same short phrase is
    chance, so co_post needs `min_accounts=3` on one text); co-reposts, shared hashtag sequences and
    links are ordinary one at a time, so those networks need two co-actions by the same pair of
    accounts within a minute.

    jaccard: least estimated Jaccard similarity of two texts' shingle sets for co_post.
    shingle: characters per shingle. num_perm: MinHash permutations; bands: LSH bands (num_perm must
        be a multiple of bands; more bands find less similar pairs as candidates).
    min_hashtags: least hashtags a post needs to enter co_hashtag.
    min_group_accounts: least accounts a group needs.
    community: "components" (connected components) or "leiden" (needs the `leidenalg` package).
    max_links: most earlier posts of the same object one post is linked to (bounds the cost of huge bursts).
    seed: MinHash and Leiden seed.
    """

    co_post: NetworkConfig = field(default_factory=lambda: NetworkConfig(window_s=1800, min_weight=1,
                                                                                   min_accounts=3))
    co_repost: NetworkConfig = field(default_factory=lambda: NetworkConfig(window_s=60, min_weight=2))
    co_hashtag: NetworkConfig = field(default_factory=lambda: NetworkConfig(window_s=60, min_weight=2))
    co_link: NetworkConfig = field(default_factory=lambda: NetworkConfig(window_s=60, min_weight=2))
    jaccard: float = 0.7
    shingle: int = 5
    num_perm: int = 64
    bands: int = 16
    min_hashtags: int = 2
    min_group_accounts: int = 3
    community: str = "components"
    max_links: int = 100
    seed: int = 0

    def __post_init__(self) -> None:
        """Check every value; a bad one raises ParameterError naming it (e.g. `coordination.jaccard`)."""
        for name in NETWORKS:
            net = getattr(self, name)
            if isinstance(net, dict):  # from a stored run's JSON
                object.__setattr__(self, name, NetworkConfig(**net))
                net = getattr(self, name)
            for key, ok, problem in (("window_s", net.window_s >= 0, "must be >= 0"),
                                     ("min_weight", net.min_weight >= 1, "must be at least 1"),
                                     ("min_participation", net.min_participation >= 1, "must be at least 1"),
                                     ("min_accounts", net.min_accounts >= 2, "must be at least 2"),
                                     ("weight_percentile", 0 <= net.weight_percentile <= 100, "must be in [0, 100]")):
                if not ok:
                    raise ParameterError(f"coordination.{name}.{key}", problem, getattr(net, key))
        for key, ok, problem in (
                ("jaccard", 0 < self.jaccard <= 1, "must be in (0, 1]"),
                ("shingle", self.shingle >= 1, "must be at least 1"),
                ("bands", self.bands >= 1, "must be at least 1"),
                ("num_perm", self.num_perm >= 1 and self.num_perm % max(self.bands, 1) == 0,
                 f"must be a positive multiple of bands ({self.bands})"),
                ("community", self.community in COMMUNITIES, f"must be one of {', '.join(COMMUNITIES)}"),
                ("min_group_accounts", self.min_group_accounts >= 2, "must be at least 2"),
                ("max_links", self.max_links >= 1, "must be at least 1"),
                ("min_hashtags", self.min_hashtags >= 1, "must be at least 1")):
            if not ok:
                raise ParameterError(f"coordination.{key}", problem, getattr(self, key))

    def to_dict(self) -> dict:
        """Plain JSON-ready values (what a run stores in its params)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> CoordinationConfig:
        return cls(**values)

    def with_overrides(self, overrides: Iterable[str] | dict[str, object]) -> CoordinationConfig:
        """A copy with `name=value` settings applied, e.g. "jaccard=0.8", "co_post.window_s=600",
        "co_link.enabled=false". Unknown names and bad values raise ParameterError naming the parameter."""
        items = overrides.items() if isinstance(overrides, dict) else (_split(o) for o in overrides)
        values = self.to_dict()
        for name, raw in items:
            head, _, leaf = name.partition(".")
            if head in NETWORKS and leaf:
                target, key = values[head], leaf
                kinds = {f.name: f.type for f in dataclasses.fields(NetworkConfig)}
            elif not leaf and head in values and head not in NETWORKS:
                target, key = values, head
                kinds = {f.name: f.type for f in dataclasses.fields(CoordinationConfig)}
            else:
                raise ParameterError(f"coordination.{name}", f"unknown setting (known: {', '.join(_known_names())})")
            if key not in kinds:
                raise ParameterError(f"coordination.{name}", f"unknown setting (known: {', '.join(_known_names())})")
            target[key] = _coerce(name, raw, target[key])
        return CoordinationConfig.from_dict(values)


def _split(item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise ParameterError("coordination", "expected name=value, e.g. co_post.window_s=600", item)
    return name.strip(), value.strip()


def _known_names() -> list[str]:
    top = [f.name for f in dataclasses.fields(CoordinationConfig) if f.name not in NETWORKS]
    nested = [f"{n}.{f.name}" for n in NETWORKS for f in dataclasses.fields(NetworkConfig)]
    return top + nested


def _coerce(name: str, raw: object, current: object) -> object:
    if not isinstance(raw, str):
        return raw
    try:
        if isinstance(current, bool):
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(raw)
            return raw.lower() in ("true", "1", "yes")
        if isinstance(current, int):
            return int(raw)
        if isinstance(current, float):
            return float(raw)
    except ValueError:
        raise ParameterError(f"coordination.{name}", f"expected a {type(current).__name__}", raw) from None
    return raw


@dataclass(frozen=True)
class CoordinationGroup:
    """One group of accounts of one network: its evidence posts (platform, post_id), accounts and time span."""

    group_id: str
    network: str
    members: tuple[tuple[str, str], ...]
    accounts: tuple[str, ...]
    first_at: datetime
    last_at: datetime


@dataclass
class CoordinationResult:
    """Groups (largest first), the kept account edges and the evidence posts of every network.

    edges: network, account_a, account_b (a < b), weight, first_at, last_at, group_id.
    posts: network, group_id, platform, post_id, account, created_at, object (what they shared).
    """

    groups: list[CoordinationGroup]
    edges: pd.DataFrame
    posts: pd.DataFrame
    config: CoordinationConfig


EDGE_COLUMNS = ["network", "account_a", "account_b", "weight", "first_at", "last_at", "group_id"]
POST_COLUMNS = ["network", "group_id", "platform", "post_id", "account", "created_at", "object"]


def detect_coordination(posts: pd.DataFrame, config: CoordinationConfig | None = None) -> CoordinationResult:
    """Build every enabled network over `posts` and return its groups, edges and evidence posts.

    `posts` needs platform, post_id, author_handle, created_at (UTC) and text; optional columns are
    is_repost (default False), repost_of (the reposted post's id) and hashtags (a list per post; taken
    from the text when absent). Posts without an author handle cannot be told apart and are skipped.
    Same posts and config give the same result.
    """
    config = config or CoordinationConfig()
    missing = [c for c in REQUIRED_COLUMNS if c not in posts.columns]
    if missing:
        raise NarrativesError(f"detect_coordination: posts lack column(s) {', '.join(missing)}")
    posts = posts.loc[np.array([isinstance(a, str) and a != "" for a in posts["author_handle"]], dtype=bool)]
    posts = posts.sort_values(["created_at", "platform", "post_id"], kind="stable").reset_index(drop=True)
    seconds = _seconds(posts["created_at"])
    reposts = (posts["is_repost"].fillna(False).astype(bool).to_numpy() if "is_repost" in posts
               else np.zeros(len(posts), dtype=bool))
    originals = np.flatnonzero(~reposts)

    objects: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # network -> (post rows, object labels)
    if config.co_post.enabled and len(originals):
        labels = near_duplicate_labels(posts["text"].to_numpy()[originals], config)
        keep = labels >= 0
        objects["co_post"] = (originals[keep], labels[keep].astype(str))
    if config.co_repost.enabled and reposts.any():
        rows = np.flatnonzero(reposts)
        source = posts["repost_of"].to_numpy()[rows] if "repost_of" in posts else np.full(len(rows), None)
        codes, distinct = pd.factorize(posts["text"].iloc[rows].fillna(""), sort=False)
        normalized = np.array([normalize_text(t) for t in distinct], dtype=object)[codes]  # each text once
        keys = np.array([f"id:{s}" if isinstance(s, str) and s else f"text:{t}" for s, t in zip(source, normalized)],
                        dtype=object)
        keep = keys != "text:"
        objects["co_repost"] = (rows[keep], keys[keep])
    if config.co_hashtag.enabled and len(originals):
        tags = posts["hashtags"].to_numpy()[originals] if "hashtags" in posts else [None] * len(originals)
        texts = posts["text"].to_numpy()[originals]
        seqs = [_tag_sequence(t, x) for t, x in zip(tags, texts)]
        keep = np.array([len(s) >= config.min_hashtags for s in seqs], dtype=bool)
        objects["co_hashtag"] = (originals[keep], np.array([" ".join(s) for s, k in zip(seqs, keep) if k],
                                                           dtype=object))
    if config.co_link.enabled and len(originals):
        rows, urls = [], []
        for i, text in zip(originals, posts["text"].to_numpy()[originals]):
            for url in dict.fromkeys(u.rstrip(".,;:!?)]}'\"").lower() for u in _URL.findall(text)):
                rows.append(i)
                urls.append(url)
        objects["co_link"] = (np.array(rows, dtype=np.int64), np.array(urls, dtype=object))

    accounts = posts["author_handle"].to_numpy()
    groups, edges, evidence = [], [], []
    for network in NETWORKS:
        if network not in objects or not len(objects[network][0]):
            continue
        rows, labels = objects[network]
        g, e, p = _network(network, getattr(config, network), config, rows, labels, accounts, seconds, posts)
        groups += g
        edges.append(e)
        evidence.append(p)
    groups.sort(key=lambda g: (-len(g.accounts), -len(g.members), g.first_at, g.group_id))
    edge_frame = pd.concat(edges, ignore_index=True) if edges else pd.DataFrame(columns=EDGE_COLUMNS)
    post_frame = pd.concat(evidence, ignore_index=True) if evidence else pd.DataFrame(columns=POST_COLUMNS)
    return CoordinationResult(groups, edge_frame, post_frame, config)


def coordinated_keys(groups: Iterable[CoordinationGroup], networks: Sequence[str] = NETWORKS) -> set[tuple[str, str]]:
    """(platform, post_id) of every evidence post of a group of one of `networks`."""
    return {member for group in groups if group.network in networks for member in group.members}


# --- near-duplicate texts ------------------------------------------------------------------------

def shingle_text(text: str) -> str:
    """The words of a post for comparing copies: URLs, `RT @user:`, punctuation, emoji and case dropped."""
    return " ".join(_WORD.findall(normalize_text(text)))


def near_duplicate_labels(texts: Sequence[str], config: CoordinationConfig | None = None) -> np.ndarray:
    """One label per text: texts with the same label are the same or near-same (-1: no words).

    Exact copies (after `shingle_text`) share a label directly; distinct texts are sketched with MinHash
    over character shingles and joined when an LSH band puts them in one bucket and their estimated
    Jaccard similarity is at least `config.jaccard` (each bucket member is checked against the
    bucket's first text only, so a bucket costs its size, not its size squared).
    """
    import rensa

    config = config or CoordinationConfig()
    raw_codes, raw_uniques = pd.factorize(pd.Series(texts, dtype=object).fillna(""), sort=False)
    cleaned = [shingle_text(t) if isinstance(t, str) else "" for t in raw_uniques]  # each distinct text once
    clean_codes, uniques = pd.factorize(pd.Series(cleaned, dtype=object), sort=True)
    codes = clean_codes[raw_codes] if len(raw_codes) else raw_codes
    uniques = np.asarray(uniques, dtype=object)
    n = len(uniques)
    if n == 0:
        return np.full(len(raw_codes), -1, dtype=np.int64)
    hashes, offsets = shingle_hashes(uniques, config.shingle)
    sig = np.asarray(rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        hashes, offsets, config.num_perm, config.seed).to_rows(), dtype=np.uint32)
    rows_per_band = config.num_perm // config.bands
    src, dst = [], []
    for b in range(config.bands):
        band = np.ascontiguousarray(sig[:, b * rows_per_band:(b + 1) * rows_per_band])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows_per_band))).ravel()
        _, first, bucket = np.unique(keys, return_index=True, return_inverse=True)
        leader = first[bucket.ravel()]
        cand = np.flatnonzero(leader != np.arange(n))
        if not len(cand):
            continue
        similar = (sig[cand] == sig[leader[cand]]).mean(axis=1) >= config.jaccard
        src.append(cand[similar])
        dst.append(leader[cand][similar])
    if src:
        a, b = np.concatenate(src), np.concatenate(dst)
        graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
        _, label = connected_components(graph, directed=False)
    else:
        label = np.arange(n)
    out = label[codes].astype(np.int64)
    empty = np.flatnonzero(uniques == "")
    if len(empty):
        out[codes == empty[0]] = -1
    return out


def shingle_hashes(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every k-character shingle of each text (a text shorter than k is one shingle),
    flat, with row offsets (len(texts) + 1): computed for all texts at once, no per-shingle Python."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    pad = "\0" * (k - 1)  # so a window never reaches into the next text
    chars = np.frombuffer((pad.join(texts) + pad).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate([[0], np.cumsum(lengths + k - 1)[:-1]])
    counts = np.maximum(1, lengths - k + 1)
    positions = np.repeat(starts, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    h = np.zeros(len(positions), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):  # polynomial rolling hash, then a splitmix64 finaliser to spread the bits
            h = h * np.uint64(1_000_003) + chars[positions + i]
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h, np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)


def _tag_sequence(tags, text: str) -> list[str]:
    if not isinstance(tags, (list, tuple, np.ndarray)):  # None, NaN or NA: the layout had no hashtag column
        tags = _HASHTAG.findall(text)
    return [str(t).lstrip("#").lower() for t in tags]


# --- one network --------------------------------------------------------------------------------

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
