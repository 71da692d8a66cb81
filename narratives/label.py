"""Label stage: say what each cluster is about, in words an analyst recognises.

Three views per narrative: keywords by class-based TF-IDF (what is said here more than elsewhere),
the posts closest to the centroid, and the nearest entry of the narrative taxonomy
(prompts/narratives.yaml) by embedding similarity. A cluster near no entry is a new narrative and
its keywords are its label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from .text import normalize_text
from .taxonomy import TAXONOMY_THRESHOLD, Taxonomy, match_taxonomy

N_KEYWORDS = 8
N_EXAMPLES = 3

# Filler that dominates social media text and says nothing about a narrative.
_SOCIAL = """rt amp via lol lmao omg wtf im ive id youre hes shes theyre dont doesnt didnt cant wont isnt
arent wasnt werent thats theres whats lets just like got get gets getting go going gone gonna wanna gotta
know think really say says said today tonight new time want need make makes let look see u ur ya yes yeah
oh ok okay thing things way day did does doing done hey pls please thank thanks good great big lot lots
right left come came tell told watch read retweet follow breaking video pic photo http https www com
week weeks days hours minutes took wait waiting expected finally tomorrow yesterday morning literally
actually guys pm am
""".split()
# A few of the commonest function words of the other languages in the reference corpora.
_OTHER = """der die das und ist nicht ein eine einen zu den mit von sich auf für im dem es ich du wir sie
auch als an aus bei so wie was noch nur hat werden wird sind war
и в не на что с по как это к а но за из от у о же так все для до то он она они мы вы я ты бы ли уже
или его её их ещё был была были есть нет сегодня года году может будет надо очень просто кто где когда
чем там тут вот нас вас им ему ее поэтому потому такие такой такая такое который которая которые
этот эта эти этих свой своих свою своей только тоже себя всё весь вся всех очень прямо перед после
de la que el en los las del se por un una con para es al lo como más pero sus le ya este porque esta
muy sin sobre también hay donde
""".split()
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(_SOCIAL) | frozenset(_OTHER)
_CJK_STOP = frozenset("的了是在和也就都吗吧呢啊我你他她它们这那有不")
_ZH_STOP = frozenset("""我们 你们 他们 她们 它们 这个 那个 这些 那些 什么 怎么 为什么 就是 还是 但是 因为 所以 如果
已经 可以 没有 不是 一个 自己 这样 那样 只是 真的 还有 知道 今天 大家 一下 一直 然后 而且 或者""".split())

_TOKEN = re.compile(
    r"(?P<tag>[#@][^\W_][\w]*)"
    r"|(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]+)"
    r"|(?P<kana>[\u3040-\u30ff]+)"
    r"|(?P<word>[^\W\d_](?:[\w'’-]*[^\W_])?)"
)


@lru_cache(maxsize=1)
def _segmenter():
    """A jieba tokenizer (its bundled dictionary, nothing downloaded) that also knows the candidates'
    Chinese names from the packaged registry, so 麦考尔 stays one word instead of 麦 + 考尔."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    from .candidates import load_registry

    for cand in load_registry():
        for name in cand.scripts + cand.scripts_ambiguous:
            if _HAN.search(name):
                seg.add_word(name, freq=100_000)
                for part in name.split("·"):
                    if len(part) >= 2:
                        seg.add_word(part, freq=100_000)
    return seg


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _chinese_words(run: str) -> list[str]:
    """Words of a run of Han characters by jieba; one-character words and common fillers dropped."""
    words = _segmenter().lcut(run.replace("·", ""), HMM=False)
    return [w for w in words if len(w) >= 2 and w not in _ZH_STOP and not set(w) <= _CJK_STOP]


def tokens(text: str) -> list[list[str]]:
    """Content tokens of a normalised text, as runs of adjacent tokens (bigrams never span a gap).

    Hashtags and @handles are kept whole; stop words, numbers and one-letter words break runs.
    Chinese is split into words by jieba (each word its own run, so no bigram joins two Chinese
    words); Cyrillic, Greek, Hangul and other spaced scripts are words like English; kana (no
    segmenter here) becomes overlapping character bigrams.
    """
    runs: list[list[str]] = [[]]
    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        if kind == "tag":
            runs.append([tok])
            runs.append([])
        elif kind == "han":
            runs.extend([w] for w in _chinese_words(tok))
            runs.append([])
        elif kind == "kana":
            grams = [tok[i : i + 2] for i in range(len(tok) - 1) if not (set(tok[i : i + 2]) & _CJK_STOP)]
            runs.extend([g] for g in grams)
            runs.append([])
        else:
            tok = re.sub(r"['’]s$", "", tok).replace("’", "'")
            if len(tok) < 2 or tok in STOP_WORDS or tok.replace("'", "") in STOP_WORDS:
                runs.append([])
            else:
                runs[-1].append(tok)
    return [r for r in runs if r]


def terms(text: str) -> list[str]:
    """Unigrams and bigrams of one text (the analyzer of the c-TF-IDF vocabulary)."""
    out: list[str] = []
    for run in tokens(text):
        out.extend(run)
        out.extend(f"{a} {b}" for a, b in zip(run, run[1:]) if a[0] not in "#@" and b[0] not in "#@")
    return out


def class_keywords(texts: Sequence[str], labels: np.ndarray, n_clusters: int, top_n: int = N_KEYWORDS) -> list[list[str]]:
    """Top terms per cluster by class-based TF-IDF (BERTopic's c-TF-IDF); outliers act as background.

    A term must occur in at least 2 texts of the cluster (1 in a cluster under 5 texts), so one
    long post cannot fill the label; a unigram already inside a chosen bigram is skipped. Counts
    stay sparse: a 200k-post corpus has a vocabulary in the millions.
    """
    if n_clusters == 0:
        return []
    vectorizer = CountVectorizer(analyzer=terms, lowercase=False, min_df=2 if len(texts) >= 1000 else 1)
    try:
        D = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # only stop words, numbers or emoji: no keywords to give
        return [[] for _ in range(n_clusters)]
    vocab = np.array(vectorizer.get_feature_names_out(), dtype=object)
    classes = np.where(labels >= 0, labels, n_clusters)
    member = sparse.csr_matrix((np.ones(len(classes)), (classes, np.arange(len(classes)))),
                               shape=(n_clusters + 1, len(classes)))
    counts = (member @ D).tocsr()
    present = (member @ (D > 0).astype(np.float64)).tocsr()
    words = np.asarray(counts.sum(axis=1)).ravel()
    idf = np.log(1 + words.mean() / np.maximum(np.asarray(counts.sum(axis=0)).ravel(), 1))
    sizes = np.bincount(classes, minlength=n_clusters + 1)
    out = []
    for c in range(n_clusters):
        row, df = counts.getrow(c), present.getrow(c).toarray().ravel()
        cols = row.indices[df[row.indices] >= (2 if sizes[c] >= 5 else 1)]
        score = np.asarray(row[:, cols].todense()).ravel() / max(words[c], 1) * idf[cols]
        ranked = cols[np.lexsort((vocab[cols], -score))]
        out.append(_pick(vocab[ranked[: top_n * 4]], top_n))
    return out


def _pick(candidates: Sequence[str], top_n: int) -> list[str]:
    """Best terms without repeating a word that a chosen bigram already says."""
    chosen: list[str] = []
    for term in candidates:
        parts = term.split(" ")
        if len(parts) == 1 and any(term in c.split(" ") for c in chosen):
            continue
        if len(parts) == 2:
            chosen = [c for c in chosen if c not in parts]
        chosen.append(term)
        if len(chosen) == top_n:
            break
    return chosen


def representatives(X: np.ndarray, labels: np.ndarray, scores: np.ndarray, cluster: int, n: int = N_EXAMPLES,
                    max_similarity: float = 0.95) -> list[int]:
    """Rows of the `n` texts closest to the centroid, skipping near-copies of one already chosen."""
    rows = np.flatnonzero(labels == cluster)
    rows = rows[np.lexsort((rows, -scores[rows]))]
    chosen: list[int] = []
    for r in rows:
        if all(float(X[r] @ X[c]) < max_similarity for c in chosen):
            chosen.append(int(r))
            if len(chosen) == n:
                break
    return chosen


@dataclass(frozen=True)
class ClusterLabel:
    """How one cluster is named: label, taxonomy match, keywords, and rows of its example texts."""

    label: str
    taxonomy_id: str | None
    taxonomy_score: float
    keywords: tuple[str, ...]
    example_rows: tuple[int, ...]
    kind: str = "claim"  # claim | no_claim (only handles, hashtags and filler: nothing is asserted)


CLAIM, NO_CLAIM = "claim", "no_claim"
MIN_CLAIM_WORDS = 2
"""A text asserts something when it has at least this many content words besides @handles and #hashtags."""
NO_CLAIM_SHARE = 0.5
"""A cluster is `no_claim` (reply chains of handles, hashtag spam) when at least this share of its texts assert nothing."""
CUE_SHARE = 0.05
"""A taxonomy title must be earned: at least this share of the cluster's texts use one of the entry's own cue words."""


def content_words(text: str) -> list[str]:
    """The words of a normalised text that can carry a claim: no handles, hashtags, stop words or numbers."""
    return [t for run in tokens(text) for t in run if t[0] not in "#@"]


def cluster_kind(texts: Sequence[str]) -> str:
    """`no_claim` when most texts are only handles, hashtags and filler, else `claim`."""
    if not texts:
        return CLAIM
    empty = sum(len(content_words(t)) < MIN_CLAIM_WORDS for t in texts)
    return NO_CLAIM if empty / len(texts) >= NO_CLAIM_SHARE else CLAIM


def _stem(word: str) -> str:
    return word[:6]


def entry_cues(taxonomy: Taxonomy) -> dict[str, frozenset[str]]:
    """Per entry, the stems (first 6 letters) of the content words of its title, description and examples
    that no other entry uses: "extremist", "fascist" for the extremism smear, "ballot" for election fraud."""
    stems = {e.id: {_stem(w) for t in (e.title.lower(), *e.texts()) for w in content_words(t) if len(w) >= 4}
             for e in taxonomy.entries}
    return {i: frozenset(s - set().union(*(o for j, o in stems.items() if j != i))) for i, s in stems.items()}


def cue_share(texts: Sequence[str], cues: frozenset[str]) -> float:
    """Share of `texts` with at least one word whose stem is a cue."""
    if not texts:
        return 0.0
    return sum(any(_stem(w) in cues for w in content_words(t)) for t in texts) / len(texts)


TARGET_SHARE = 0.2
"""An entry that names its targets is earned only when at least this share of the cluster's texts name one of them."""


def target_pattern(registry, candidate_ids: Sequence[str]) -> re.Pattern | None:
    """One case-insensitive pattern for the surfaces that name any of `candidate_ids` in `registry`: full
    names, surnames, aliases, nicknames, misspellings, handles, hashtags and names in other scripts.

    A loose test on purpose (a bare surname counts): it only has to tell a cluster about the entry's
    targets from one about other people; the targets stage links mentions properly later."""
    surfaces: set[str] = set()
    for cid in candidate_ids:
        cand = registry[cid] if registry is not None and cid in registry else None
        if cand is None:
            continue
        surfaces.update([cand.name, *cand.last, *cand.aliases, *cand.nicknames, *cand.misspellings, *cand.scripts,
                         *cand.scripts_ambiguous,
                         *(f"#{h}" for h in cand.hashtags), *(f"@{h}" for hs in cand.handles.values() for h in hs)])
    surfaces = {normalize_text(x) for x in surfaces if x and x.strip()}
    if not surfaces:
        return None
    def either(group: set[str]) -> str:
        return "|".join(re.escape(x) for x in sorted(group, key=lambda x: (-len(x), x))) or "(?!)"

    han = {x for x in surfaces if _HAN.search(x)}  # no word boundaries in Chinese
    spaced = surfaces - han
    return re.compile(rf"(?<![\w#@])(?:{either(spaced)})(?!\w)|#\w*(?:{either(spaced)})\w*|{either(han)}",
                      re.IGNORECASE)


def target_share(texts: Sequence[str], pattern: re.Pattern | None) -> float:
    """Share of `texts` that name a target (`target_pattern`); 0 when there is no pattern."""
    if not texts or pattern is None:
        return 0.0
    return sum(bool(pattern.search(t)) for t in texts) / len(texts)


_WORD = re.compile(r"[^\W\d_]+")


def word_counts(texts: Sequence[str], limit: int = 20_000) -> dict[str, int]:
    """How often each plain word occurs in (the first `limit` of) `texts`, stop words included: the
    vocabulary `segment_hashtag` splits hashtags with."""
    counts: dict[str, int] = {}
    for t in texts[:limit]:
        for w in _WORD.findall(re.sub(r"[#@]\w+", " ", t)):
            counts[w] = counts.get(w, 0) + 1
    return counts


def segment_hashtag(tag: str, counts: dict[str, int]) -> str | None:
    """`#probabletrumpstweets` -> "probable trumps tweets": the most probable split of the hashtag's body
    into words seen in the corpus (unigram model, `counts` from `word_counts`); None when some part is no
    known word, or the body is not letters."""
    body = tag.lstrip("#@").lower()
    if not body.isalpha() or not counts:
        return None
    total = float(sum(counts.values()))
    n = len(body)
    # fewest words first, then the most probable words; a part seen once must have 5 letters or more (a
    # typo seen once does not split "probable" into "prob able"), and one of one or two letters must be a
    # stop word ("to", "i")
    best: list[tuple[int, float, int]] = [(0, 0.0, 0)] + [(n + 1, np.inf, 0)] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - 20), end):
            word = body[start:end]
            c = max(counts.get(word, 0), counts.get(word[:-1], 0) if word.endswith("s") else 0)  # "hillarys"
            if c == 0 or (c == 1 and len(word) < 5) or best[start][0] > n \
                    or (len(word) <= 2 and word not in ENGLISH_STOP_WORDS):
                continue
            cand = (best[start][0] + 1, best[start][1] - np.log(c / total), start)
            if cand[:2] < best[end][:2]:
                best[end] = cand
    if best[n][0] > n or n / best[n][0] < 3.2:
        return None  # no split, or one into fragments ("pro bab let we ets")
    words, end = [], n
    while end > 0:
        start = best[end][2]
        words.append(body[start:end])
        end = start
    return " ".join(reversed(words))


def keyword_label(keywords: Sequence[str], counts: dict[str, int], n: int = 3) -> str:
    """A label from c-TF-IDF keywords that says the claim: content words and phrases first, handles never
    (unless there is nothing else). When the top keyword is a campaign hashtag it leads, split into its
    words ("probable trumps tweets: grab, wall"); other hashtags only fill what content words leave."""
    words = [k for k in keywords if k[0] not in "#@"]
    tags = [k for k in keywords if k[0] == "#"]
    lead = []
    if keywords and keywords[0][0] == "#":
        split = segment_hashtag(keywords[0], counts)
        lead = [split] if split else [keywords[0]]
        tags = tags[1:]
    rest = [w for w in words if not lead or w not in lead[0].split()]
    picked = (rest + [segment_hashtag(t, counts) or t for t in tags])[: n - 1 if lead else n]
    if lead:
        return f"{lead[0]}: {', '.join(picked)}" if picked else lead[0]
    return ", ".join(picked) or ", ".join(keywords[:n])


def distinct_labels(labels: Sequence[str], keywords: Sequence[Sequence[str]]) -> list[str]:
    """Labels made unique: two narratives sharing a label each get their own keywords as a suffix
    ("Extremist smear: mcconnell, ryan"), and a number when even those collide."""
    out = list(labels)
    for label in {l for l in labels if labels.count(l) > 1}:
        same = [i for i, l in enumerate(labels) if l == label]
        for i in same:
            others = set().union(*(set(keywords[j]) for j in same if j != i))
            own = [w for w in keywords[i] if w not in others and w.lower() not in label.lower()][:2]
            out[i] = f"{label}: {', '.join(own)}" if own else label
    for label in {l for l in out if out.count(l) > 1}:
        for n, i in enumerate([i for i, l in enumerate(out) if l == label], start=1):
            out[i] = f"{label} ({n})"
    return out


def label_clusters(texts: Sequence[str], X: np.ndarray, labels: np.ndarray, scores: np.ndarray,
                   centroids: np.ndarray, taxonomy: Taxonomy, entry_vectors: np.ndarray,
                   threshold: float = TAXONOMY_THRESHOLD, registry=None) -> list[ClusterLabel]:
    """Name every cluster (rows of `texts`/`X` are unique texts, `labels` from the discover stage).

    A taxonomy entry names a cluster only when the centroid is near it, the cluster's texts use the
    entry's own cue words (`CUE_SHARE`) and, for an entry that names its targets, the texts name one of
    them (`TARGET_SHARE`, surfaces from the candidate `registry`; None: the packaged one). Other clusters
    are named by `keyword_label`; a cluster of handles or hashtags alone is `no_claim`; no two clusters
    share a label (`distinct_labels`).
    """
    keywords = class_keywords(texts, labels, len(centroids))
    matches = match_taxonomy(centroids, entry_vectors, taxonomy.ids, threshold)
    cues = entry_cues(taxonomy)
    if registry is None and any(e.targets for e in taxonomy.entries):
        from .candidates import load_registry

        registry = load_registry()
    patterns = {e.id: target_pattern(registry, e.targets) for e in taxonomy.entries if e.targets}
    counts = word_counts(texts)
    out = []
    for c, (kw, (tax_id, tax_score)) in enumerate(zip(keywords, matches)):
        members = [texts[r] for r in np.flatnonzero(labels == c)]
        kind = cluster_kind(members)
        if tax_id and (kind == NO_CLAIM or cue_share(members, cues[tax_id]) < CUE_SHARE
                       or (tax_id in patterns and target_share(members, patterns[tax_id]) < TARGET_SHARE)):
            tax_id = None  # near the entry in embedding space, but not about what (or whom) the entry is about
        label = taxonomy.get(tax_id).title if tax_id else keyword_label(kw, counts) or f"cluster {c}"
        out.append(ClusterLabel(label, tax_id, tax_score, tuple(kw), tuple(representatives(X, labels, scores, c)), kind))
    names = distinct_labels([l.label for l in out], [l.keywords for l in out])
    return [replace(l, label=n) for l, n in zip(out, names)]
