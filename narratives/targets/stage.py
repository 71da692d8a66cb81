"""The targets stage: link every post, score stance toward each target, summarize per narrative."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..candidates import load_registry
from ..stance import MAIN_RATIO, StanceItem, StanceModel, TargetMasker, score_stance
from ..util import none_if_nan
from .linker import Linker
from .priors import link_posts, narrative_priors
from .mentions import post_targets


@dataclass
class TargetsResult:
    """The targets stage's output: one row per mention (stance included) and the per-narrative summary."""

    mentions: pd.DataFrame  # platform, post_id, candidate_id, span_start, span_end, surface, method, confidence, stance, stance_score
    summary: pd.DataFrame  # narrative_id, candidate_id, posts, share, against, favor, neutral


def find_targets(posts: pd.DataFrame, assignments: pd.DataFrame, narratives: pd.DataFrame,
                 narrative_stance: dict[str, str], embeddings: np.ndarray | None, *,
                 linker: Linker | None = None, stance_model: StanceModel | None = None,
                 embedding_model: str | None = None) -> TargetsResult:
    """Link every post in `posts` (platform, post_id, text, row) to candidates and score stance toward each.

    `assignments` gives each post's narrative_id, `narratives` each narrative's taxonomy_id, and
    `narrative_stance` the taxonomy stance per taxonomy id. Posts of a taxonomy narrative that
    mainly targets someone are linked with that prior (see `link_posts`); stance reads the post with the
    candidate's names masked (the linker's registry), the sentence around the first mention and the
    narrative's stance; where `embedding_model` has a stance head (the default card), it is blended in over
    the posts' rows of `embeddings` (see `score_stance`).
    """
    linker = linker or Linker(load_registry())
    model = stance_model or StanceModel.load()
    nid_of = dict(zip(zip(assignments["platform"], assignments["post_id"]), assignments["narrative_id"]))
    nids = [none_if_nan(nid_of.get(key)) for key in zip(posts["platform"], posts["post_id"])]
    texts = posts["text"].fillna("").tolist()
    taxonomy_of = dict(zip(narratives["narrative_id"], narratives["taxonomy_id"]))
    # only narratives matched to the taxonomy lend their targets: an unnamed cluster may be a grab bag
    # of namesakes ("Blackburn Rovers" beside "Sen. Blackburn")
    named = [nid if none_if_nan(taxonomy_of.get(nid)) is not None else None for nid in nids]
    found = link_posts(linker, texts, named)
    main = narrative_priors(found, nids, min_share=0.0, min_posts=1, relative=MAIN_RATIO)
    rows = posts["row"].tolist() if "row" in posts else [-1] * len(posts)
    items, where = [], []
    for i, (mentions, nid) in enumerate(zip(found, nids)):
        targets = post_targets(mentions)
        stance = narrative_stance.get(none_if_nan(taxonomy_of.get(nid))) if nid is not None else None
        for cid in targets:
            first = next(m for m in mentions if m.candidate_id == cid)
            items.append(StanceItem(texts[i], first.start, first.end, cid, int(rows[i]), len(targets), stance,
                                    cid in main.get(nid, ())))
            where.append((i, cid))
    masker = TargetMasker(linker.registry, model.mask)
    scored = dict(zip(where, score_stance(model, items, embeddings, embedding_model, masker=masker)))
    records = [
        (posts["platform"].iat[i], posts["post_id"].iat[i], m.candidate_id, m.start, m.end, m.surface, m.method,
         m.confidence, *scored[(i, m.candidate_id)])
        for i, mentions in enumerate(found) for m in mentions
    ]
    frame = pd.DataFrame(records, columns=["platform", "post_id", "candidate_id", "span_start", "span_end", "surface",
                                           "method", "confidence", "stance", "stance_score"])
    return TargetsResult(frame, summarize_targets(frame, pd.DataFrame({"platform": posts["platform"],
                                                                       "post_id": posts["post_id"],
                                                                       "narrative_id": nids})))


def summarize_targets(mentions: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """Per narrative x candidate: posts mentioning the candidate, share of the narrative's posts, stance mix."""
    columns = ["narrative_id", "candidate_id", "posts", "share", "against", "favor", "neutral"]
    assigned = assignments.dropna(subset=["narrative_id"])
    if mentions.empty or assigned.empty:
        return pd.DataFrame(columns=columns)
    per_post = mentions.drop_duplicates(["platform", "post_id", "candidate_id"])
    joined = per_post.merge(assigned[["platform", "post_id", "narrative_id"]], on=["platform", "post_id"])
    sizes = assigned.groupby("narrative_id").size()
    out = (joined.assign(**{s: joined["stance"].eq(s) for s in ("against", "favor", "neutral")})
           .groupby(["narrative_id", "candidate_id"], as_index=False)
           .agg(posts=("post_id", "size"), against=("against", "sum"), favor=("favor", "sum"),
                neutral=("neutral", "sum")))
    out["share"] = out["posts"] / out["narrative_id"].map(sizes)
    return out[columns].sort_values(["narrative_id", "posts", "candidate_id"], ascending=[True, False, True],
                                     ignore_index=True)
