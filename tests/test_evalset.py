"""eval/downballot_2024.jsonl: the hand-labeled down-ballot set is valid, in sync and covers its hard cases."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from datetime import timedelta
from difflib import SequenceMatcher

import pytest

from narratives.text import normalize_text

from labeled_checks import REPO, assert_labeled, read_with_ingest, week, when

EVAL = REPO / "eval"
SET = EVAL / "downballot_2024.jsonl"


def _builder():
    spec = importlib.util.spec_from_file_location("make_downballot_2024", EVAL / "make_downballot_2024.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def posts() -> list[dict]:
    return [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]


def test_format_ids_and_size(posts: list[dict]) -> None:
    assert len(posts) >= 300
    assert_labeled(posts, r"db24-\d{4}")
    assert [p["id"] for p in posts] == [f"db24-{i:04d}" for i in range(1, len(posts) + 1)]
    assert min(p["created_at"] for p in posts) >= "2024-09" and max(p["created_at"] for p in posts) < "2024-12"


def test_jsonl_and_readme_match_the_hand_written_source(posts: list[dict]) -> None:
    builder = _builder()
    built = builder.parse()
    assert SET.read_text(encoding="utf-8") == builder.render(built)
    assert builder.counts_markdown(built) in (EVAL / "README.md").read_text(encoding="utf-8")


def test_ingest_reads_every_line(posts: list[dict]) -> None:
    assert len(read_with_ingest(SET)) == len(posts)


def test_narrative_and_language_coverage(posts: list[dict]) -> None:
    counts = Counter(p["narrative"] for p in posts)
    for narrative in ("antisemitic_tropes", "insider_trading", "industry_money", "corruption_scheme",
                      "rival_support"):
        assert counts[narrative] >= 20, narrative
    for narrative in ("election_fraud", "health_age", "foreign_agent", "demobilization"):
        assert counts[narrative] >= 8, narrative
    assert counts["none"] >= 0.4 * len(posts)
    langs = Counter(p["lang"] for p in posts)
    assert langs["zh"] >= 25
    assert all(lang in langs for lang in ("en", "zh", "es"))
    assert sum(len(p["targets"]) >= 2 for p in posts) >= 20


def test_known_burst_weeks(posts: list[dict]) -> None:
    for narrative, burst_week in (("election_fraud", "2024-W45"), ("insider_trading", "2024-W41")):
        weeks = Counter(week(p) for p in posts if p["narrative"] == narrative)
        assert weeks.most_common(1)[0][0] == burst_week
        assert weeks[burst_week] >= 0.5 * sum(weeks.values())
    assert min(when(p) for p in posts if p["narrative"] == "corruption_scheme").date().isoformat() >= "2024-10-14"


def test_coordinated_posts_have_near_copies_by_other_accounts(posts: list[dict]) -> None:
    coordinated = [p for p in posts if p["coordinated"]]
    assert len(coordinated) >= 20
    for p in coordinated:
        twins = {q["author"] for q in coordinated
                 if q["author"] != p["author"] and abs(when(q) - when(p)) <= timedelta(minutes=10)
                 and SequenceMatcher(None, normalize_text(p["text"]), normalize_text(q["text"])).ratio() > 0.75}
        assert len(twins) >= 3, p["id"]


@pytest.mark.parametrize("phrase", ["Roy Moore", "Michael Moore", "Demi Moore", "Moore, OK", "Moore's law",
                                    "Blackburn Rovers", "Tony Blackburn", "McCall, Idaho", "Marco Polo",
                                    "Mrs. Rubio", "Dwayne Johnson", "Boris Johnson", "Gloria Estefan",
                                    "迈克尔·摩尔", "布莱克本流浪者"])
def test_name_collisions_have_no_target(posts: list[dict], phrase: str) -> None:
    hits = [p for p in posts if phrase in p["text"]]
    assert hits and all(p["targets"] == [] and p["narrative"] == "none" for p in hits)


@pytest.mark.parametrize("phrase, target", [("senator from Florida", "marco_rubio"),
                                            ("Florida's senior senator", "marco_rubio"),
                                            ("Alabama congressman", "barry_moore"),
                                            ("senator from Tennessee", "marsha_blackburn"),
                                            ("state's junior senator", "marsha_blackburn"),
                                            ("chairman of House Foreign Affairs", "michael_mccaul"),
                                            ("Tennessee Three teacher", "gloria_johnson")])
def test_indirect_references_are_targets(posts: list[dict], phrase: str, target: str) -> None:
    hits = [p for p in posts if phrase in p["text"]]
    assert hits and all(target in p["targets"] for p in hits)
