"""Checks shared by the tests of our labeled sets (demo corpus, eval/downballot_2024.jsonl)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from narratives.sources import Post, Source, detect_format

REPO = Path(__file__).resolve().parents[1]
TAXONOMY = {
    "corruption_scheme", "insider_trading", "industry_money", "antisemitic_tropes", "foreign_agent",
    "election_fraud", "health_age", "rival_support", "extremism_smear", "hypocrisy", "demobilization",
    "scandal_personal",
}
FIELDS = ["id", "text", "created_at", "author", "platform", "lang", "likes", "reposts", "replies",
          "narrative", "targets", "stance", "coordinated"]
REPOST_FIELDS = FIELDS[:9] + ["repost_of"] + FIELDS[9:]  # a repost names the id of the post it reposts
_ENTRY_ID = re.compile(r"^\s*- id:\s*([a-z_]+)\s*$", re.MULTILINE)


def registry_ids(name: str) -> set[str]:
    """The `- id:` entries of a registry file in prompts/ (candidates.yaml or narratives.yaml)."""
    return set(_ENTRY_ID.findall((REPO / "prompts" / name).read_text(encoding="utf-8")))


def when(post: dict) -> datetime:
    return datetime.fromisoformat(post["created_at"].replace("Z", "+00:00"))


def week(post: dict) -> str:
    year, number, _ = when(post).isocalendar()
    return f"{year}-W{number:02d}"


def assert_labeled(posts: list[dict], id_pattern: str) -> None:
    """Every post has the labeled-set fields, types and legal ids; gold targets and stance agree."""
    candidates = registry_ids("candidates.yaml")
    narratives = registry_ids("narratives.yaml") or TAXONOMY
    ids = [p["id"] for p in posts]
    assert len(set(ids)) == len(ids)
    for p in posts:
        assert list(p) in (FIELDS, REPOST_FIELDS), p["id"]
        assert "repost_of" not in p or p["repost_of"] in ids and p["repost_of"] != p["id"], p["id"]
        assert re.fullmatch(id_pattern, p["id"]), p["id"]
        assert isinstance(p["text"], str) and p["text"].strip(), p["id"]
        assert p["created_at"].endswith("Z") and when(p).year == 2024, p["id"]
        assert p["platform"] == "x" and p["author"] and not p["author"].startswith("@"), p["id"]
        assert p["lang"] in {"en", "zh", "es", "ru"}, p["id"]
        assert all(isinstance(p[k], int) and p[k] >= 0 for k in ("likes", "reposts", "replies")), p["id"]
        assert p["narrative"] == "none" or p["narrative"] in narratives & TAXONOMY, p["id"]
        assert p["targets"] == sorted(set(p["targets"])) and list(p["stance"]) == p["targets"], p["id"]
        assert set(p["targets"]) <= candidates, (p["id"], p["targets"])
        assert set(p["stance"].values()) <= {"against", "favor", "neutral"}, p["id"]
        assert isinstance(p["coordinated"], bool), p["id"]


def read_with_ingest(path: Path) -> list[Post]:
    """Read a file the way `narratives ingest` does; fails on any rejected row."""
    detected = detect_format(path)
    assert detected.layout == "labeled"
    with Source(detected) as source:
        records = list(source.records())
    rejects = [r for r in records if not isinstance(r, Post)]
    assert not rejects, rejects[:3]
    return records
