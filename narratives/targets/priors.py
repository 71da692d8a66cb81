"""Narrative priors: the candidates a narrative already targets lend support to its posts' bare names."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from .linker import Linker
from .mentions import Mention, post_targets


def narrative_priors(mentions: Sequence[Sequence[Mention]], narrative_ids: Sequence[str | None],
                     min_share: float = 0.25, min_posts: int = 3, relative: float = 0.0) -> dict[str, frozenset[str]]:
    """Candidates each narrative already targets: linked in >= min_share of its posts (and >= min_posts),
    and in >= `relative` times as many posts as its most linked candidate (0.6: its main targets only)."""
    posts: Counter = Counter()
    hits: dict[str, Counter] = defaultdict(Counter)
    for found, nid in zip(mentions, narrative_ids, strict=True):
        if nid is None:
            continue
        posts[nid] += 1
        for cid in set(post_targets(found)):
            hits[nid][cid] += 1
    return {nid: frozenset(c for c, k in hits[nid].items()
                           if k >= min_posts and k / posts[nid] >= min_share and k >= relative * max(hits[nid].values()))
            for nid in posts}


def link_posts(linker: Linker, texts: Sequence[str], narrative_ids: Sequence[str | None] | None = None,
               **prior_options) -> list[list[Mention]]:
    """Link every post; with narrative ids, relink the posts of narratives that target someone, using that prior.

    Two passes because the prior comes from the links themselves: a narrative that mostly says
    "Rep. McCaul" lends its target to the posts that just say "McCaul".
    """
    first = [linker.link(t) for t in texts]
    if narrative_ids is None:
        return first
    priors = narrative_priors(first, narrative_ids, **prior_options)
    out = []
    for text, found, nid in zip(texts, first, narrative_ids, strict=True):
        prior = priors.get(nid, frozenset()) if nid is not None else frozenset()
        out.append(linker.link(text, prior) if prior - {m.candidate_id for m in found} else found)
    return out
