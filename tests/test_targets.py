"""Candidate linking: hard cases, collisions, the demo corpus and the hand-labeled set, the store and the CLI."""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import shared_data
from narratives.candidates import load_registry
from narratives.cli import app
from narratives.demo import generate
from narratives.demo.phrases import COLLISIONS
from narratives.ingest import ingest_file
from narratives.metrics import multilabel_prf
from narratives.store import Store
from narratives.targets import Linker, find_targets, link_posts, narrative_priors, post_targets, summarize_targets

ROOT = Path(__file__).resolve().parents[1]
EVAL_SET = ROOT / "eval" / "downballot_2024.jsonl"


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(load_registry())


def targets_of(linker: Linker, text: str, prior=()) -> list[str]:
    return sorted(post_targets(linker.link(text, prior)))


HARD_CASES = [
    # full names, titles, possessives, case, diacritics, misspellings
    ("Rep. Barry Moore is bought and paid for", ["barry_moore"]),
    ("Rubio's insider deals exposed again, follow the money", ["marco_rubio"]),
    ("Rubio’s vote on the border bill was pure politics", ["marco_rubio"]),
    ("Congressman McCaul traded stocks before the briefing", ["michael_mccaul"]),
    ("Sen. Blackburn voted against the farm bill", ["marsha_blackburn"]),
    ("MARCO RUBIO IS A CROOK", ["marco_rubio"]),
    ("marco rubió visited tampa", ["marco_rubio"]),
    ("Marsha Blackbern is corrupt", ["marsha_blackburn"]),
    ("Donald J. Trump and Hillary Clinton debate tonight", ["donald_trump", "hillary_clinton"]),
    ("Little Marco strikes again", ["marco_rubio"]),
    ("Sleepy Joe can't finish a sentence", ["joe_biden"]),
    ("AOC and Ocasio-Cortez are the same person, yes", ["alexandria_ocasio_cortez"]),
    # handles and hashtags
    ("@marcorubio you sold out Florida", ["marco_rubio"]),
    ("@RepMcCaul how did you know to sell before the news broke?", ["michael_mccaul"]),
    ("#McCaulInsiderTrading is trending", ["michael_mccaul"]),
    ("#mccaulinsidertrading", ["michael_mccaul"]),
    ("#VoteJohnson for Tennessee Senate!", ["gloria_johnson"]),
    ("#NeverTrump #ImWithHer", ["donald_trump", "hillary_clinton"]),
    ("#MAGA #TCOT", []),
    # other scripts
    ("卢比奥又在撒谎", ["marco_rubio"]),
    ("特朗普和拜登又吵起来了", ["donald_trump", "joe_biden"]),
    ("川普的集会", ["donald_trump"]),
    ("摩尔是阿拉巴马州的众议员", ["barry_moore"]),
    ("摩尔今天去超市了", []),
    ("Трампа поддержали в Техасе", ["donald_trump"]),
    # several targets in one post, a bare surname supported by a co-mentioned rival
    ("Gloria Johnson will beat Blackburn in November", ["gloria_johnson", "marsha_blackburn"]),
    ("Researchers flag bots targeting Reps. Moore and McCaul and Sens. Blackburn and Rubio",
     ["barry_moore", "marco_rubio", "marsha_blackburn", "michael_mccaul"]),
    ("Vote Gloria Johnson. Chip in for Johnson today!", ["gloria_johnson"]),
    ("Speaker Johnson caved again", ["mike_johnson"]),
    ("The Alabama congressman never misses an Israel vote", ["barry_moore"]),
    # collisions and ambiguity: no link
    ("Roy Moore lost Alabama", []),
    ("Michael Moore's new film is great", []),
    ("Tornado hits Moore, Oklahoma", []),
    ("Demi Moore stuns at Cannes", []),
    ("Gov. Moore signs a Maryland bill", []),
    ("Blackburn Rovers beat Leeds 2-1", []),
    ("Tony Blackburn returns to radio", []),
    ("McCall, Idaho is lovely in the fall", []),
    ("Marco Polo was an explorer", []),
    ("Dwayne Johnson stars in a new film", []),
    ("Boris Johnson resigns", []),
    ("Rep. Johnson voted no on the bill", []),  # which Johnson? a tie links nobody
    ("Mrs. Rubio brought over tamales", []),
    ("I met Jane Rubio at the market", []),
    ("McCaul Street in Austin is flooded again", []),
    ("Gloria Estefan concert in Nashville was incredible", []),
    ("My uncle Barry Moore turned 70 today!", []),
    ("Ivanka Trump launches a new brand", []),
    ("the rand fell against the dollar", []),
    ("布莱克本流浪者今天又赢球了", []),
    ("Minnesota governor says race played role in shooting", []),  # a headline: whoever held the office then
    ("Texas Congressman Gohmert says the quiet part", []),  # a description that titles someone else
    ("George W. Bush takes on Trump", ["donald_trump"]),
]


@pytest.mark.parametrize("text, expected", HARD_CASES)
def test_hard_cases(linker, text, expected):
    assert targets_of(linker, text) == expected


def test_mentions_carry_span_surface_method_and_confidence(linker):
    text = "Why does Sen. Rubio's PAC pay @marcorubio staff? #RubioCorruption"
    mentions = linker.link(text)
    assert [(m.surface, m.method) for m in mentions] == [
        ("Rubio", "title_surname"), ("@marcorubio", "handle"), ("#RubioCorruption", "hashtag")]
    for m in mentions:
        assert text[m.start:m.end] == m.surface
        assert 0.5 <= m.confidence <= 1.0


def test_a_bare_surname_needs_support_and_the_narrative_prior_gives_it(linker):
    text = "Moore said it again today."
    assert targets_of(linker, text) == []
    assert targets_of(linker, text, prior={"barry_moore"}) == ["barry_moore"]
    assert targets_of(linker, "Roy Moore said it again today.", prior={"barry_moore"}) == []
    place = "Moore Public Schools bond vote next Tuesday, read up on it Moore folks!"
    assert targets_of(linker, place, prior={"barry_moore"}) == []  # a place once, the place again


def test_link_posts_relinks_a_narratives_posts_with_its_target(linker):
    texts = ["Rep. Barry Moore works for AIPAC"] * 4 + ["Moore sold out, again."]
    plain = link_posts(linker, texts)
    assert plain[-1] == []
    relinked = link_posts(linker, texts, ["n1"] * 5)
    assert post_targets(relinked[-1]) == ["barry_moore"]
    assert narrative_priors(relinked, ["n1"] * 5) == {"n1": frozenset({"barry_moore"})}


def _score(linker: Linker, posts: list[dict], with_prior: bool):
    texts = [p["text"] for p in posts]
    nids = [p["narrative"] if p["narrative"] != "none" else None for p in posts] if with_prior else None
    found = link_posts(linker, texts, nids)
    return multilabel_prf([p["targets"] for p in posts], [post_targets(m) for m in found])[0]


def test_demo_corpus_precision_and_recall(linker):
    """Micro P/R against gold targets of the demo corpus (organic mentions included), with no narrative prior."""
    micro = _score(linker, generate(7), with_prior=False)
    assert micro.precision >= 0.95 and micro.recall >= 0.95, micro


def test_no_link_on_any_demo_collision_post(linker):
    texts = [t for group in COLLISIONS.values() for t in group]
    linked = {t: targets_of(linker, t) for t in texts}
    assert {t: found for t, found in linked.items() if found} == {}


@pytest.mark.skipif(not EVAL_SET.exists(), reason="eval/downballot_2024.jsonl not written yet")
def test_hand_labeled_set_precision_and_recall(linker):
    posts = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    micro = _score(linker, posts, with_prior=False)
    assert micro.precision >= 0.95 and micro.recall >= 0.90, micro
    untargeted = [p["text"] for p in posts if not p["targets"]]  # collisions, other topics, places, offices
    assert [t for t in untargeted if linker.link(t)] == []


@pytest.mark.slow
def test_links_the_2016_ira_sample_fast(linker):
    with gzip.open(shared_data("ira/ira_2016_sample200k.csv.gz"), "rt", encoding="utf-8") as fh:
        texts = [row["content"] or "" for row in itertools.islice(csv.DictReader(fh), 50_000)]
    t0 = time.perf_counter()
    found = linker.link_many(texts)
    elapsed = time.perf_counter() - t0
    assert elapsed < 30, f"{elapsed:.1f}s for 50k posts"
    counts = pd.Series([c for m in found for c in post_targets(m)]).value_counts()
    assert counts.index[0] == "donald_trump" and {"hillary_clinton", "barack_obama"} <= set(counts.index[:5])


# --- stage, store and CLI ------------------------------------------------------------------------

def _labeled(tmp_path: Path) -> Path:
    rows = [
        ("p1", "2024-10-01T10:00:00Z", "Rep. Barry Moore works for AIPAC, not Alabama. Disgusting.", "n1"),
        ("p2", "2024-10-02T10:00:00Z", "Barry Moore puts Israel first. Vote him out.", "n1"),
        ("p3", "2024-10-09T10:00:00Z", "Moore sold out again.", "n1"),
        ("p4", "2024-10-09T11:00:00Z", "Vote Gloria Johnson for Senate! Time to retire Marsha Blackburn.", "n2"),
        ("p5", "2024-10-09T12:00:00Z", "Nice weather in Nashville today", None),
        ("p6", "2024-10-03T10:00:00Z", "Congressman Barry Moore took AIPAC money again", "n1"),
    ]
    path = tmp_path / "posts.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for pid, when, text, _ in rows:
            fh.write(json.dumps({"id": pid, "text": text, "created_at": when, "author": "a" + pid, "platform": "x",
                                 "narrative": "none", "targets": [], "stance": {}, "coordinated": False}) + "\n")
    return path


def _assignments() -> pd.DataFrame:
    return pd.DataFrame({"platform": ["x"] * 6, "post_id": ["p1", "p2", "p3", "p4", "p5", "p6"],
                         "narrative_id": ["n1", "n1", "n1", "n2", None, "n1"], "score": [0.9] * 6})


def test_find_targets_store_and_cli(tmp_path):
    db = tmp_path / "store.duckdb"
    narratives = pd.DataFrame({"narrative_id": ["n1", "n2"], "label": ["Israel first", "Vote Gloria"],
                               "taxonomy_id": ["antisemitic_tropes", "rival_support"], "n_posts": [4, 1],
                               "share": [0.6, 0.2], "keywords": [["israel"], ["gloria"]],
                               "examples": [[], []], "taxonomy_score": [0.8, 0.7]})
    with Store(db) as store:
        ingest_file(store, _labeled(tmp_path))
        posts = store.run_posts()
        run = {"run_id": "r1", "started_at": pd.Timestamp("2024-11-01"), "finished_at": pd.Timestamp("2024-11-01"),
               "since": None, "until": None, "model": "minilm", "device": "cpu", "seed": 0, "params": {},
               "n_posts": 6, "n_texts": 6, "n_embedded": 0, "timings": {}, "status": "done"}
        store.save_run(run, narratives.assign(run_id="r1"), _assignments().assign(run_id="r1"))
        result = find_targets(posts.assign(row=-1), _assignments(), narratives,
                              {"antisemitic_tropes": "against", "rival_support": "favor"}, None)
        by_post = result.mentions.groupby("post_id")["candidate_id"].apply(set).to_dict()
        assert by_post == {"p1": {"barry_moore"}, "p2": {"barry_moore"}, "p3": {"barry_moore"},
                           "p4": {"gloria_johnson", "marsha_blackburn"}, "p6": {"barry_moore"}}
        stance = dict(zip(zip(result.mentions["post_id"], result.mentions["candidate_id"]), result.mentions["stance"]))
        assert stance[("p1", "barry_moore")] == "against"
        assert stance[("p4", "gloria_johnson")] == "favor"
        assert set(result.mentions["stance"]) <= {"against", "favor", "neutral"}
        summary = result.summary.set_index(["narrative_id", "candidate_id"])
        assert summary.loc[("n1", "barry_moore"), "posts"] == 4 and summary.loc[("n1", "barry_moore"), "share"] == 1.0
        with store.transaction():
            assert store.save_mentions("r1", result.mentions) == len(result.mentions)
        assert len(store.run_mentions("r1")) == len(result.mentions)
        stored = pd.DataFrame(store.narrative_targets("r1")).set_index(["narrative_id", "candidate_id"])
        assert stored.loc[("n1", "barry_moore"), "posts"] == 4
        assert stored.loc[("n1", "barry_moore"), "against"] == summary.loc[("n1", "barry_moore"), "against"]
        weekly = store.candidate_weekly("r1", "barry_moore")
        assert [(w["week"], w["posts"]) for w in weekly] == [("2024-W40", 3), ("2024-W41", 1)]
    out = CliRunner().invoke(app, ["targets", "--candidate", "barry_moore", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "barry_moore" in out.output and "Israel first" in out.output and "W41" in out.output
    missing = CliRunner().invoke(app, ["targets", "--run", "nope", "--db", str(db)])
    assert missing.exit_code != 0 and "no run 'nope'" in str(missing.exception)


def test_summarize_targets_counts_posts_not_mentions():
    mentions = pd.DataFrame({"platform": ["x"] * 3, "post_id": ["p1", "p1", "p2"],
                             "candidate_id": ["barry_moore"] * 3, "stance": ["against"] * 3})
    assignments = pd.DataFrame({"platform": ["x"] * 3, "post_id": ["p1", "p2", "p3"], "narrative_id": ["n1"] * 3})
    row = summarize_targets(mentions, assignments).iloc[0]
    assert (row["posts"], row["against"], round(row["share"], 3)) == (2, 2, 0.667)
