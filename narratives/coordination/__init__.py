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

from .config import COMMUNITIES, NETWORKS, CoordinationConfig, NetworkConfig
from .detect import REQUIRED_COLUMNS, coordinated_keys, detect_coordination
from .near_duplicates import near_duplicate_labels, shingle_hashes, shingle_text
from .networks import co_action_pairs
from .results import EDGE_COLUMNS, POST_COLUMNS, CoordinationGroup, CoordinationResult

__all__ = ["COMMUNITIES", "EDGE_COLUMNS", "NETWORKS", "POST_COLUMNS", "REQUIRED_COLUMNS", "CoordinationConfig",
           "CoordinationGroup", "CoordinationResult", "NetworkConfig", "co_action_pairs", "coordinated_keys",
           "detect_coordination", "near_duplicate_labels", "shingle_hashes", "shingle_text"]
