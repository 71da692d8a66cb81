"""Label stage: readable keywords, representative posts, the taxonomy file and matching against it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from narratives.label import class_keywords, representatives, terms
from narratives.taxonomy import load_taxonomy, match_taxonomy
from narratives.text import normalize_text
from narratives.yamlconf import ConfigError

# English function words no keyword may contain (stated here, not copied from label.STOP_WORDS)
COMMON_WORDS = {"a", "an", "and", "are", "at", "be", "by", "for", "in", "is", "it", "of", "on", "or", "the", "this",
                "that", "to", "was", "with", "these", "their", "about", "going", "today", "tonight"}

TAXONOMY_IDS = [
    "corruption_scheme", "insider_trading", "industry_money", "antisemitic_tropes", "foreign_agent",
    "election_fraud", "health_age", "rival_support", "extremism_smear", "hypocrisy", "demobilization",
    "scandal_personal",
]

TRADES = [
    "RT @newsbot: Senator Smith sold his stock days before the crash. Insider trading! #StockAct",
    "So the senator just happened to dump shares before the briefing? insider trading again #StockAct",
    "lol the senator's stock trades beat every hedge fund. insider trading is legal for them @SenSmith",
    "Ban congressional stock trading. Insider trading by the senator is a scandal https://t.co/abc",
]
PHARMA = [
    "Big Pharma money bought this congressman. Follow the money #PharmaCash",
    "He took pharma money and voted against lower drug prices #PharmaCash",
    "Pharma money flows to his PAC and drug prices go up. Just saying.",
    "Another vote for big pharma, paid for by pharma money @RepJones",
]


def test_terms_keep_hashtags_and_handles_and_drop_stop_words_and_filler():
    got = terms(normalize_text("RT @bot: I just think the #StockAct is good, and @SenSmith's trades are really shady lol"))
    assert "#stockact" in got and "@sensmith" in got
    assert "trades" in got and "shady" in got
    assert not {"just", "think", "the", "is", "and", "really", "lol", "@bot", "rt"} & set(got)


def test_bigrams_do_not_span_stop_words_and_chinese_is_segmented_into_words():
    assert "insider trading" in terms("insider trading")
    assert "sold stock" not in terms("sold the stock")
    zh = terms(normalize_text("参议员腐败"))
    assert zh == ["参议员", "腐败"]  # words, not the character bigrams 参议 / 议员 / 员腐
    # a candidate's Chinese name from the registry stays one word; fillers (的, 了) and punctuation go
    assert terms(normalize_text("麦考尔利用机密简报炒股赚大钱。")) == ["麦考尔", "利用", "机密", "简报", "炒股", "赚大钱"]


def test_cyrillic_posts_give_words_and_drop_russian_function_words():
    got = terms(normalize_text("Сенатор Блэкберн получила деньги фармы, поэтому лекарства такие дорогие и это всё"))
    assert "сенатор блэкберн" in got and "лекарства" in got
    assert not {"поэтому", "такие", "и", "это", "всё"} & set(got)
    assert all(len(w) >= 2 for t in got for w in t.split())


def test_a_chinese_cluster_is_labelled_with_words():
    zh = ["麦考尔利用机密简报炒股赚大钱。#麦考尔内幕交易", "麦考尔在制裁消息公布前就卖出了股票。查一查他的交易记录吧。",
          "麦考尔是国会里最大的内幕交易者。#国会炒股", "麦考尔一边投票拨款，一边买入军工股。太讽刺了。"]
    other = ["今天纳什维尔的天气真好，适合散步。", "周末去吃了火锅，太满足了！", "nice weather today"]
    texts = [normalize_text(t) for t in zh + other]
    (keywords,) = class_keywords(texts, np.array([0] * 4 + [-1] * 3), 1)
    assert keywords[0] == "麦考尔"
    assert {"股票", "内幕"} & set(keywords) or "交易" in " ".join(keywords)
    assert all(len(k) >= 2 for k in keywords) and not any(k in {"考尔", "麦考"} for k in keywords)


def test_class_keywords_name_each_cluster_without_stopword_soup():
    texts = [normalize_text(t) for t in TRADES + PHARMA + ["nice weather today", "going to the game tonight"]]
    labels = np.array([0] * 4 + [1] * 4 + [-1, -1])
    trades, pharma = class_keywords(texts, labels, 2)
    assert "insider trading" in trades and "#stockact" in trades
    assert "pharma money" in pharma and "#pharmacash" in pharma
    assert "insider" not in trades  # already said by the bigram
    for keywords in (trades, pharma):
        assert not {w for k in keywords for w in k.split()} & COMMON_WORDS
        assert len(keywords) <= 8


def test_representatives_are_closest_to_the_centroid_and_distinct():
    X = np.array([[1, 0], [0.99, 0.141], [0.99, 0.141], [0.8, 0.6], [0, 1]], dtype=np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    labels = np.array([0, 0, 0, 0, 1])
    scores = X @ np.array([1, 0], dtype=np.float32)
    assert representatives(X, labels, scores, 0, n=3, max_similarity=0.999) == [0, 1, 3]


def test_default_taxonomy_has_the_fixed_ids_with_stances_and_examples():
    tax = load_taxonomy()
    assert tax.ids == TAXONOMY_IDS
    assert tax.get("rival_support").stance == "favor"
    assert all(e.stance == "against" for e in tax.entries if e.id != "rival_support")
    assert all(4 <= len(e.examples) <= 8 for e in tax.entries)


VALID_ENTRY = """  - id: {id}
    title: A title
    stance: {stance}
    description: What it claims.
    examples: ["one example post", "another example post"]
"""


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (VALID_ENTRY.format(id="ok", stance="sideways"), r":5: entry 1 \(ok\): field 'stance': must be one of against, favor"),
        (VALID_ENTRY.format(id="ok", stance="favor") + VALID_ENTRY.format(id="ok", stance="favor"),
         r":8: entry 2 \(ok\): field 'id': duplicate id"),
        (VALID_ENTRY.format(id="Bad Id", stance="favor"), r":3: entry 1 \(Bad Id\): field 'id': must be lower_snake_case"),
        ("  - id: short\n    title: T\n    stance: favor\n    description: D\n    examples: [only one]\n",
         r":7: entry 1 \(short\): field 'examples': must be a list of at least 2"),
        ("  - id: nodesc\n    title: T\n    stance: favor\n    examples: [a, b]\n",
         r":3: entry 1 \(nodesc\): field 'description': missing"),
    ],
)
def test_taxonomy_errors_name_file_line_entry_and_field(tmp_path: Path, entries: str, expected: str):
    path = tmp_path / "tax.yaml"
    path.write_text("# my taxonomy\nnarratives:\n" + entries, encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path).replace(".", r"\.") + expected):
        load_taxonomy(path)


def test_taxonomy_without_entries_is_an_error(tmp_path: Path):
    path = tmp_path / "empty.yaml"
    path.write_text("stories: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="top-level 'narratives:' list"):
        load_taxonomy(path)


def test_match_taxonomy_takes_the_nearest_entry_above_the_threshold():
    entries = np.eye(3, dtype=np.float32)
    centroids = np.array([[0.9, 0.1, 0], [0.5, 0.5, 0.5]], dtype=np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    (a, sa), (b, sb) = match_taxonomy(centroids, entries, ["x", "y", "z"], threshold=0.7)
    assert a == "x" and sa > 0.9
    assert b is None and sb == pytest.approx(1 / np.sqrt(3), abs=1e-6)


@pytest.mark.slow
def test_real_model_matches_generic_posts_to_their_taxonomy_entry():
    from narratives.embed import Embedder
    from narratives.taxonomy import taxonomy_vectors
    from narratives.modelcards import load_card

    tax = load_taxonomy()
    embedder = Embedder(load_card("minilm"), device="cpu")
    vectors = taxonomy_vectors(tax, embedder.encode)
    posts = [TRADES, PHARMA, ["sunny afternoon at the farmers market", "new coffee place downtown is great"]]
    centroids = np.array([embedder.encode([normalize_text(p) for p in group]).mean(axis=0) for group in posts])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    matches = [m[0] for m in match_taxonomy(centroids, vectors, tax.ids)]
    assert matches == ["insider_trading", "industry_money", None]


def test_clusters_of_only_stop_words_or_emoji_get_no_keywords_rather_than_an_error():
    assert class_keywords(["lol ok", "the and", "123"], np.array([0, -1, 0]), 1) == [[]]


def test_clusters_of_handles_or_hashtags_alone_are_no_claim():
    from narratives.label import cluster_kind

    replies = ["@jenn_abrams @tenGOP @pamela_moore13 yes", "@a_b @c_d lol", "@x @y @z"]
    spam = ["#news #sports #local", "#news #politics", "#sports"]
    claim = ["hillary lied about the emails again", "the emails prove she lied #crookedhillary", "@x she lied to congress"]
    assert cluster_kind(replies) == "no_claim"
    assert cluster_kind(spam) == "no_claim"
    assert cluster_kind(claim) == "claim"


def test_a_taxonomy_label_needs_the_entry_cues_and_equal_labels_get_distinct_suffixes():
    from narratives.label import cue_share, distinct_labels, entry_cues
    from narratives.taxonomy import load_taxonomy

    cues = entry_cues(load_taxonomy())
    leadership = ["mcconnell and ryan block the bill again", "paul ryan says the house will vote on friday"]
    smear = ["a radical extremist who hates democracy", "communist agenda, plain and simple"]
    assert cue_share(leadership, cues["extremism_smear"]) == 0.0
    assert cue_share(smear, cues["extremism_smear"]) == 1.0
    labels = distinct_labels(["Extremist smear", "Extremist smear", "Extremist smear", "a, b"],
                             [("antifa", "riots"), ("mcconnell", "ryan"), ("antifa", "riots"), ("a", "b")])
    assert len(set(labels)) == 4 and labels[3] == "a, b"
    assert labels[1] == "Extremist smear: mcconnell, ryan"
    assert all(l.startswith("Extremist smear") for l in labels[:3])


def _label_one(texts: list[str], entry: str):
    """label_clusters on one cluster whose centroid is the taxonomy entry's own vector (a perfect match)."""
    from narratives.label import label_clusters
    from narratives.taxonomy import load_taxonomy

    tax = load_taxonomy()
    vectors = np.eye(len(tax.ids), dtype=np.float32)
    centroid = vectors[[tax.ids.index(entry)]]
    X = np.repeat(centroid, len(texts), axis=0)
    return label_clusters(texts, X, np.zeros(len(texts), dtype=np.int64), np.ones(len(texts)), centroid, tax,
                          vectors, threshold=0.5)[0]


def test_an_entry_that_names_its_targets_is_earned_only_by_a_cluster_about_them():
    rally = ["huge rally tonight, the challenger has momentum: donate and volunteer for {}",
             "proud to vote for {} in november, the best candidate in this race",
             "{} will bring real change, get out the vote and support the campaign"]
    rival = _label_one([t.format("gloria johnson") for t in rally], "rival_support")
    leadership = _label_one([t.format(n) for t, n in zip(rally, ["mcconnell", "paul ryan", "mitch mcconnell"])],
                            "rival_support")
    assert rival.taxonomy_id == "rival_support" and rival.label == "Amplifying a rival"
    # the same cues about other people: near the entry, but not the rival the entry was written for
    assert leadership.taxonomy_id is None and leadership.label != "Amplifying a rival"


def test_keyword_labels_lead_with_the_claim_and_split_a_campaign_hashtag_into_words():
    from narratives.label import keyword_label, segment_hashtag, word_counts

    counts = word_counts(["what trump would probably tweet", "his tweets are probable", "a to do list before christmas",
                          "islam kills says the troll"] * 2)
    assert segment_hashtag("#probabletrumpstweets", counts) == "probable trumps tweets"
    assert segment_hashtag("#todolistbeforechristmas", counts) == "to do list before christmas"
    assert segment_hashtag("#zzqx", counts) is None
    # a campaign hashtag on top: its words lead, content words follow, other hashtags and handles do not
    assert keyword_label(["#islamkills", "#brussels", "@tengop", "terrorists", "syrian refugees", "isis"], counts) \
        == "islam kills: terrorists, syrian refugees"
    # content words on top: they are the label, hashtags and handles behind them are left out
    assert keyword_label(["emails", "@tengop", "#maga", "lied", "congress"], counts) == "emails, lied, congress"
