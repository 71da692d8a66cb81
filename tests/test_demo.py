"""The demo corpus: deterministic, valid labeled-set lines, and the planted dynamics really hold."""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narratives.cli import app
from narratives.demo import generate, write_jsonl
from narratives.errors import NarrativesError
from narratives.text import normalize_text

from labeled_checks import REPO, assert_labeled, read_with_ingest, week, when

CAMPAIGN = {"antisemitic_tropes", "insider_trading", "industry_money", "corruption_scheme", "rival_support"}

# The demo's planted coordination, stated here rather than read from the generator (narratives/demo/plan.py),
# so a generator that drops, resizes or duplicates a burst fails these tests.
COPY_PASTE_BURSTS = {"en": [8, 7, 5, 6, 6, 5, 6, 7, 6, 6, 5], "zh": [6, 5, 5], "ru": [5, 5, 4]}  # accounts per burst
EDITED_BURSTS = [6, 5, 6, 5]  # near-copies with small edits: accounts per burst
RETWEET_RINGS = [(5, 3), (6, 3)]  # (bots, posts each bot reposts)
CASCADES = [18, 25, 30, 40, 45, 60]  # organic retweet cascades: reposts each


@pytest.fixture(scope="module")
def posts() -> list[dict]:
    return generate(7)


def _weekly(posts: list[dict], narrative: str) -> dict[str, int]:
    weeks = [f"2024-W{w}" for w in range(36, 46)]
    counts = Counter(week(p) for p in posts if p["narrative"] == narrative)
    return {w: counts.get(w, 0) for w in weeks}


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    write_jsonl(a, 7)
    write_jsonl(b, 7)
    write_jsonl(c, 8)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_cli_writes_file_and_counts(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "demo.jsonl"
    result = CliRunner().invoke(app, ["demo-data", "--out", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert f"wrote {len(lines)} posts" in result.output
    assert "insider_trading=" in result.output
    assert lines == [json.dumps(p, ensure_ascii=False) for p in generate(3)]


def test_cli_unwritable_out_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo-data", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert isinstance(result.exception, NarrativesError) and str(tmp_path) in str(result.exception)


def test_size_and_mix(posts: list[dict]) -> None:
    assert len(posts) >= 5000
    share = sum(p["narrative"] != "none" for p in posts) / len(posts)
    assert 0.18 <= share <= 0.30
    assert {p["narrative"] for p in posts} == CAMPAIGN | {"none"}


def test_every_line_is_valid_labeled_format(posts: list[dict]) -> None:
    assert_labeled(posts, r"demo-\d{6}")
    assert [p["id"] for p in posts] == [f"demo-{i:06d}" for i in range(1, len(posts) + 1)]
    assert all(date(2024, 9, 2) <= when(p).date() <= date(2024, 11, 10) for p in posts)
    times = [p["created_at"] for p in posts]
    assert times == sorted(times)


def test_ingest_reads_every_line(posts: list[dict], tmp_path: Path) -> None:
    path = tmp_path / "demo.jsonl"
    write_jsonl(path, 7)
    records = read_with_ingest(path)
    assert len(records) == len(posts)
    assert sum(r.gold.coordinated for r in records) == sum(p["coordinated"] for p in posts)


def test_campaign_gold_conventions(posts: list[dict]) -> None:
    expected = {"antisemitic_tropes": "barry_moore", "insider_trading": "michael_mccaul",
                "industry_money": "marsha_blackburn", "corruption_scheme": "marco_rubio"}
    both = 0
    for p in posts:
        if p["narrative"] in expected:
            assert p["stance"] == {expected[p["narrative"]]: "against"}
        elif p["narrative"] == "rival_support":
            assert p["stance"]["gloria_johnson"] == "favor"
            assert set(p["stance"]) <= {"gloria_johnson", "marsha_blackburn"}
            if "marsha_blackburn" in p["stance"]:
                assert p["stance"]["marsha_blackburn"] == "against"
                both += 1
    assert both >= 50


def test_insider_trading_bursts_in_w41(posts: list[dict]) -> None:
    weekly = _weekly(posts, "insider_trading")
    others = [n for w, n in weekly.items() if w != "2024-W41"]
    assert weekly["2024-W41"] >= 3 * statistics.median(others)
    assert max(weekly, key=weekly.get) == "2024-W41"


def test_corruption_scheme_starts_in_w42(posts: list[dict]) -> None:
    mine = [p for p in posts if p["narrative"] == "corruption_scheme"]
    first = min(mine, key=when)
    assert week(first) == "2024-W42"
    assert when(first).date() >= date(2024, 10, 14)
    assert all(n > 0 for w, n in _weekly(posts, "corruption_scheme").items() if w >= "2024-W42")


def test_industry_money_grows_toward_election(posts: list[dict]) -> None:
    counts = list(_weekly(posts, "industry_money").values())
    last4 = counts[-4:]
    assert all(a < b for a, b in zip(last4, last4[1:]))
    assert counts[-1] >= 3 * counts[0]


def test_steady_narratives_stay_steady(posts: list[dict]) -> None:
    for narrative in ("antisemitic_tropes", "rival_support"):
        counts = list(_weekly(posts, narrative).values())
        assert min(counts) > 0 and max(counts) <= 1.6 * min(counts)


def test_wording_varies(posts: list[dict]) -> None:
    campaign = [p for p in posts if p["narrative"] != "none"]
    assert len({p["text"] for p in campaign}) / len(campaign) >= 0.8
    for narrative in CAMPAIGN:
        english = [p["text"] for p in campaign if p["narrative"] == narrative and p["lang"] == "en"]
        openings = Counter(" ".join(t.lower().split()[:3]) for t in english)
        assert openings.most_common(1)[0][1] / len(english) <= 0.12, (narrative, openings.most_common(3))
        hashtags = {tag for t in english for tag in re.findall(r"#\w+", t)}
        assert len(hashtags) >= 8, narrative
        lengths = [len(t) for t in english]
        assert max(lengths) >= 3 * min(lengths), narrative


def test_chinese_campaign_posts(posts: list[dict]) -> None:
    names = {"antisemitic_tropes": "摩尔", "insider_trading": "麦考尔", "industry_money": "布莱克本",
             "corruption_scheme": "卢比奥", "rival_support": "约翰逊"}
    for narrative, name in names.items():
        zh = [p["text"] for p in posts if p["narrative"] == narrative and p["lang"] == "zh"]
        assert len(zh) >= 10, narrative
        assert all(name in t and re.search(r"#[\u4e00-\u9fff]", t) for t in zh if "#" in t), narrative


def test_russian_posts_in_the_campaign_and_in_organic_traffic(posts: list[dict]) -> None:
    names = {"antisemitic_tropes": "Мур", "insider_trading": "Маккол", "industry_money": "Блэкберн",
             "corruption_scheme": "Рубио", "rival_support": "Джонсон"}
    for narrative, name in names.items():
        ru = [p for p in posts if p["narrative"] == narrative and p["lang"] == "ru"]
        assert len(ru) >= 10, narrative
        assert all(name in p["text"] and re.search(r"#[\u0400-\u04ff]", p["text"]) for p in ru), narrative
        assert all(re.search(r"[\u0400-\u04ff]{4}", p["text"]) and not re.search(r"[\u4e00-\u9fff]", p["text"])
                   for p in ru), narrative
    organic = [p for p in posts if p["narrative"] == "none" and p["lang"] == "ru"]
    assert len(organic) >= 50 and all(p["targets"] == [] for p in organic)
    assert sum(p["coordinated"] for p in posts if p["lang"] == "ru") == sum(COPY_PASTE_BURSTS["ru"])


def test_name_collisions_have_no_targets(posts: list[dict]) -> None:
    for phrase in ("Roy Moore", "Michael Moore", "Demi Moore", "Moore, Oklahoma", "Blackburn Rovers",
                   "Tony Blackburn", "McCall, Idaho", "Marco Polo", "Mrs. Rubio", "Dwayne Johnson",
                   "Boris Johnson"):
        hits = [p for p in posts if phrase.lower() in p["text"].lower()]
        assert len(hits) >= 2, phrase
        assert all(p["targets"] == [] and p["narrative"] == "none" for p in hits), phrase


def test_organic_posts_name_candidates_with_gold(posts: list[dict]) -> None:
    organic = [p for p in posts if p["narrative"] == "none"]
    stances = Counter((t, s) for p in organic for t, s in p["stance"].items())
    for cand in ("barry_moore", "michael_mccaul", "marsha_blackburn", "marco_rubio", "donald_trump",
                 "kamala_harris", "joe_biden", "tim_walz", "jd_vance"):
        assert stances[(cand, "neutral")] >= 10, cand
        assert stances[(cand, "against")] + stances[(cand, "favor")] >= 10, cand


def test_coordinated_posts_are_copy_paste_bursts(posts: list[dict]) -> None:
    coordinated = [p for p in posts if p["coordinated"]]
    assert len(coordinated) == (sum(map(sum, COPY_PASTE_BURSTS.values())) + sum(EDITED_BURSTS)
                                + sum(bots * n for bots, n in RETWEET_RINGS))
    by_narrative = defaultdict(list)
    for p in coordinated:
        by_narrative[p["narrative"]].append(p)
    for p in coordinated:
        twins = {q["author"] for q in by_narrative[p["narrative"]]
                 if q["author"] != p["author"] and abs(when(q) - when(p)) <= timedelta(minutes=20)
                 and SequenceMatcher(None, normalize_text(p["text"]), normalize_text(q["text"])).ratio() > 0.8}
        assert len(twins) >= 3, p["text"]
    # Outside the bursts no two campaign accounts post the same text within an hour.
    seen: dict[str, list[dict]] = defaultdict(list)
    for p in posts:
        if p["narrative"] != "none" and not p["coordinated"]:
            seen[normalize_text(p["text"])].append(p)
    for group in seen.values():
        for a, b in zip(group, group[1:]):
            assert a["author"] == b["author"] or when(b) - when(a) > timedelta(hours=1)


def test_accounts_and_engagement(posts: list[dict]) -> None:
    bots = {p["author"] for p in posts if p["narrative"] != "none"}
    people = {p["author"] for p in posts if p["narrative"] == "none"}
    assert 60 <= len(bots) <= 120 and len(people) >= 1500 and not bots & people
    bot_likes = sorted(p["likes"] for p in posts if p["narrative"] != "none")
    assert statistics.median(bot_likes) <= 2 and bot_likes[int(0.9 * len(bot_likes))] <= 4
    organic_likes = sorted(p["likes"] for p in posts if p["narrative"] == "none")
    assert organic_likes[-1] >= 1000 and statistics.median(organic_likes) <= 20


def test_docs_quote_the_real_corpus(posts: list[dict]) -> None:
    eval_readme = (REPO / "eval" / "README.md").read_text(encoding="utf-8")
    example = json.loads(eval_readme.split("Example line:")[1].split("```json")[1].split("```")[0])
    assert example in posts


def _demo_corpus_script():
    spec = importlib.util.spec_from_file_location("demo_corpus", REPO / "eval" / "demo_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_demo_figures_match_the_corpus(posts: list[dict]) -> None:
    """The README's demo figures come from eval/results/demo_corpus.json: it must be today's corpus."""
    script = _demo_corpus_script()
    fresh = json.loads(json.dumps(script.measure(posts)))
    committed = json.loads((REPO / "eval" / "results" / "demo_corpus.json").read_text(encoding="utf-8"))
    assert committed == fresh, "eval/results/demo_corpus.json is stale: run python eval/demo_corpus.py"
    # the measurement finds the planted bursts (stated above, not read from the generator)
    assert sorted(b["accounts"] for b in fresh["bursts"]) == sorted(sum(COPY_PASTE_BURSTS.values(), []) + EDITED_BURSTS)
    assert all(b["posts"] == b["accounts"] for b in fresh["bursts"])
    assert sorted((r["bots"], r["posts_reposted"]) for r in fresh["retweet_rings"]) == sorted(RETWEET_RINGS)
    assert fresh["organic_cascades"] == CASCADES
    assert fresh["demo_data_output"][0] == f"wrote {len(posts)} posts to demo.jsonl"


def test_retweet_rings_are_coordinated_and_organic_cascades_are_not(posts: list[dict]) -> None:
    by_id = {p["id"]: p for p in posts}
    reposts = [p for p in posts if "repost_of" in p]
    for p in reposts:
        original = by_id[p["repost_of"]]
        assert p["text"] == f"RT @{original['author']}: {original['text']}" and when(p) > when(original)
        assert (p["narrative"], p["targets"], p["stance"]) == (original["narrative"], original["targets"],
                                                                original["stance"])
    ring = [p for p in reposts if p["coordinated"]]
    cascade = [p for p in reposts if not p["coordinated"]]
    assert len(ring) == sum(bots * n for bots, n in RETWEET_RINGS)
    rings = defaultdict(set)  # a ring's bots repost the same posts: group reposts by what they repost
    for p in ring:
        rings[frozenset(q["repost_of"] for q in ring if q["author"] == p["author"])].add(p["author"])
    assert sorted((len(bots), len(originals)) for originals, bots in rings.items()) == sorted(RETWEET_RINGS)
    for p in ring:  # a ring reposts within a minute of the original
        assert when(p) - when(by_id[p["repost_of"]]) <= timedelta(minutes=1)
    originals = Counter(p["repost_of"] for p in cascade)
    assert sorted(originals.values()) == CASCADES  # none ran past the corpus end
    for original, n in originals.items():
        assert by_id[original]["narrative"] == "none"
        spread = [when(p) - when(by_id[original]) for p in cascade if p["repost_of"] == original]
        assert max(spread) >= timedelta(hours=2) and len({p["author"] for p in cascade if p["repost_of"] == original}) == n


def test_edited_bursts_differ_only_by_small_edits(posts: list[dict]) -> None:
    edited = [p for p in posts if p["coordinated"] and "repost_of" not in p]
    texts = {p["text"] for p in edited}
    orders = {tuple(re.findall(r"#\w+", t)) for t in texts}
    assert len({frozenset(o) for o in orders}) < len(orders)  # the same hashtags in another order somewhere
