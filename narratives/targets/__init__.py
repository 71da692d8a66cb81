"""Targets: link candidate mentions in post text: who is this post aimed at?

Names are matched by dictionary lookup over word tokens (one `finditer` per post, then dict hits on
the few tokens that can start a registered name), so 200k posts link in seconds. Surfaces come in
two strengths:

* strong (full names, aliases, nicknames, several-word misspellings, handles, registered hashtags,
  names in other scripts) link on their own;
* weak (bare surnames, first names listed as `context_names`, one-word misspellings, ambiguous
  transliterations such as 摩尔, a surname inside a CamelCase hashtag, a description such as "the
  Alabama congressman") link only with *support* (SUPPORT_WEIGHTS, at least MIN_SUPPORT): a
  compatible title right before the name, a party-state tag like "(R-AL)", the narrative prior, the
  candidate already named in full, a registry context word, a related or any other candidate in the
  same post, an office, party or political word, or a registry `surname_alone` flag for rare surnames.

Collisions are vetoed: registry `negatives` ("Roy Moore", "Blackburn Rovers") drop weak links for
that candidate in the post and any mention they overlap; a title that does not fit ("Gov. Moore",
"Mrs. Rubio"), a capitalised given name before the surname ("met Tony Blackburn"), or a place word
after it ("McCaul Street") vetoes that occurrence. When several candidates share a weak surface
("Johnson"), the best supported wins (the one whose home state the post names, if any) and a tie
links nobody.

Modules: `rules` (word lists, weights), `mentions` (what is found), `linker` (tables and scan),
`disambiguate` (support and vetoes), `priors` (narrative priors, two-pass linking), `stage` (the
pipeline stage: stance per target, summary per narrative).
"""

from ..util import none_if_nan
from .linker import Linker
from .mentions import Mention, post_targets
from .priors import link_posts, narrative_priors
from .rules import CONFIDENCE, MAX_POLITICAL, MIN_SUPPORT, SUPPORT_WEIGHTS, fold
from .stage import TargetsResult, find_targets, summarize_targets

__all__ = ["CONFIDENCE", "MAX_POLITICAL", "MIN_SUPPORT", "SUPPORT_WEIGHTS", "Linker", "Mention", "TargetsResult",
           "find_targets", "fold", "link_posts", "narrative_priors", "none_if_nan", "post_targets",
           "summarize_targets"]
