"""Linking on real tweet text: collisions and positives hand-picked from real posts, P-Stance recall, rules file."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import shared_data

from narratives.candidates import load_registry
from narratives.targets import Linker, post_targets
from narratives.targets.rules import load_rules
from narratives.yamlconf import ConfigError

ROOT = Path(__file__).resolve().parents[1]
REAL_SET = ROOT / "tests" / "fixtures" / "linking" / "real_collisions.jsonl"


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(load_registry())


def real_rows() -> list[dict]:
    return [json.loads(line) for line in REAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_real_set_is_well_formed():
    rows = real_rows()
    registry = load_registry()
    assert sum(bool(r["not"]) for r in rows) >= 20 and sum(bool(r["links"]) for r in rows) >= 20
    for r in rows:
        assert r["source"] and r["note"] and len(r["text"]) <= 200  # short excerpts, source noted
        assert all(c in registry for c in r["links"] + r["not"]), r


def test_real_collisions_link_nobody_of_that_name(linker):
    """Athletes, actors, a shoe brand, a king, a card game, other Joes: never the candidate (precision)."""
    rows = [r for r in real_rows() if r["not"]]
    wrong = [(r["text"], c) for r in rows for c in r["not"] if c in post_targets(linker.link(r["text"]))]
    assert wrong == []


def test_real_positives_are_linked(linker):
    """Possessives without apostrophes, handles without @, names in hashtags, insults, bare surnames in politics."""
    rows = [r for r in real_rows() if r["links"]]
    missed = [(r["text"], c) for r in rows for c in r["links"] if c not in post_targets(linker.link(r["text"]))]
    assert missed == []


@pytest.mark.parametrize("text, expected", [
    ("Trumps presidency is over", ["donald_trump"]),
    ("Trump's presidency is over", ["donald_trump"]),
    ("RT realDonaldTrump: Big rally tonight", ["donald_trump"]),
    ("RT @realDonaldTrump: Big rally tonight", ["donald_trump"]),
    ("Vote #BidenHarris2020", ["joe_biden"]),
    ("#NeverTrump forever", ["donald_trump"]),
    ("#FeelTheBern", ["bernie_sanders"]),
    ("Sleepy Joe fell asleep again", ["joe_biden"]),
    ("Drumpf lies again", ["donald_trump"]),
    ("Rubio scored 14 points and dished 9 assists as the Timberwolves won", []),
    ("Grabbed fish tacos at Rubio's for lunch", []),
    ("Rubio voted against the bill in the Senate", ["marco_rubio"]),
    ("Joe Rogan had a comedian on the podcast", []),
    ("#Harrisburg traffic is terrible today", []),
])
def test_real_text_forms(linker, text, expected):
    assert sorted(post_targets(linker.link(text))) == expected


def test_rules_file_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "linking.yaml"
    bad.write_text("version: 1\npossessive_suffixes: [s]\noff_topic_penalty: -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"linking.yaml:3: field 'off_topic_penalty'"):
        load_rules(bad)
    bad.write_text("version: 1\nhashtag_joinerz: [is]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"linking.yaml:2: unknown field 'hashtag_joinerz'"):
        load_rules(bad)


def test_rules_are_data(tmp_path):
    """Emptying the rules file turns the real-text forms off: the behaviour comes from the YAML."""
    empty = tmp_path / "linking.yaml"
    empty.write_text("version: 1\n", encoding="utf-8")
    plain = Linker(load_registry(), rules=load_rules(empty))
    assert post_targets(plain.link("Trumps presidency is over")) == []
    assert post_targets(plain.link("#TrumpwasWrong")) == []
    assert post_targets(Linker(load_registry()).link("#TrumpwasWrong")) == ["donald_trump"]


@pytest.mark.slow
def test_pstance_validation_recall():
    """Each P-Stance validation tweet is linked to its gold target (recall >= 0.98), with no narrative prior."""
    spec = importlib.util.spec_from_file_location("linking_real", ROOT / "benchmarks" / "linking_real.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    linking_recall, read_split = bench.linking_recall, bench.read_split
    rows = read_split(shared_data("pstance/pstance_val.csv.gz"))
    result = linking_recall(Linker(load_registry()), rows)
    assert result["tweets"] == 2193
    assert result["recall"] >= 0.98, result
    assert all(v["recall"] >= 0.95 for v in result["per_target"].values()), result
