"""The coordination stage: the co-action objects of every enabled network, then each network's groups."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import NarrativesError
from ..text import normalize_text
from .config import NETWORKS, CoordinationConfig
from .near_duplicates import near_duplicate_labels
from .networks import _network, _seconds
from .results import EDGE_COLUMNS, POST_COLUMNS, CoordinationGroup, CoordinationResult

REQUIRED_COLUMNS = ("platform", "post_id", "author_handle", "created_at", "text")

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_HASHTAG = re.compile(r"#(\w+)")


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


def _tag_sequence(tags, text: str) -> list[str]:
    if not isinstance(tags, (list, tuple, np.ndarray)):  # None, NaN or NA: the layout had no hashtag column
        tags = _HASHTAG.findall(text)
    return [str(t).lstrip("#").lower() for t in tags]
