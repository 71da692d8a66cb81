"""Measure the demo corpus (`narratives demo-data`, seed 7) into eval/results/demo_corpus.json.

The README's figures about the demo corpus (its size, accounts, languages, weekly shape, coordination)
are generated from that file by `scripts/docs_figures.py`; `tests/test_docs.py` re-measures the corpus
and fails when the committed file no longer matches it. Run from the repository root:

    python eval/demo_corpus.py            # writes eval/results/demo_corpus.json
    python eval/demo_corpus.py --check    # exit 1 if the committed file differs from a fresh measurement

Everything here is read from the posts and their gold labels, never from the generator's plan.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "eval" / "results" / "demo_corpus.json"
SEED = 7
TWIN_MINUTES = 20  # two coordinated originals of one narrative this close with near-equal text: one burst


def _when(p: dict) -> datetime:
    return datetime.fromisoformat(p["created_at"].replace("Z", "+00:00"))


def _week(p: dict) -> str:
    y, w, _ = _when(p).isocalendar()
    return f"{y}-W{w:02d}"


def _bursts(originals: list[dict]) -> list[list[dict]]:
    """Coordinated original posts grouped into bursts: near-equal text, same narrative, minutes apart."""
    from narratives.text import normalize_text

    parent = list(range(len(originals)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    norm = [normalize_text(p["text"]) for p in originals]
    for i, a in enumerate(originals):
        for j in range(i + 1, len(originals)):
            b = originals[j]
            if (a["narrative"] == b["narrative"] and abs(_when(a) - _when(b)) <= timedelta(minutes=TWIN_MINUTES)
                    and SequenceMatcher(None, norm[i], norm[j]).ratio() > 0.8):
                parent[find(i)] = find(j)
    groups: dict[int, list[dict]] = defaultdict(list)
    for i, p in enumerate(originals):
        groups[find(i)].append(p)
    return sorted(groups.values(), key=lambda g: min(p["created_at"] for p in g))


def demo_data_output(seed: int = SEED) -> list[str]:
    """What `narratives demo-data` prints (run in a scratch folder, so the path reads `demo.jsonl`)."""
    from typer.testing import CliRunner

    from narratives.cli import app

    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            result = CliRunner().invoke(app, ["demo-data", "--seed", str(seed)], env={"COLUMNS": "200"})
        finally:
            os.chdir(here)
    if result.exit_code != 0:
        raise SystemExit(f"narratives demo-data failed: {result.output}")
    return result.output.rstrip("\n").splitlines()


def measure(posts: list[dict], seed: int = SEED) -> dict[str, Any]:
    """The demo corpus's figures, from its posts and gold labels."""
    campaign = [p for p in posts if p["narrative"] != "none"]
    bots = {p["author"] for p in campaign}
    others = {p["author"] for p in posts} - bots
    weeks = sorted({_week(p) for p in posts})
    narratives = sorted({p["narrative"] for p in campaign})
    by_week = Counter((p["narrative"], _week(p)) for p in posts)
    coordinated = [p for p in posts if p["coordinated"]]
    originals = [p for p in coordinated if "repost_of" not in p]
    bursts = _bursts(originals)
    by_id = {p["id"]: p for p in posts}
    rings: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for p in coordinated:
        if "repost_of" in p:
            rings[(p["narrative"], _week(by_id[p["repost_of"]]))].append(p)
    cascades = Counter(p["repost_of"] for p in posts if "repost_of" in p and not p["coordinated"])
    bot_likes = [p["likes"] for p in campaign]
    return {
        "data": f"the demo corpus, seed {seed} (`narratives demo-data --seed {seed}`); synthetic",
        "seed": seed,
        "demo_data_output": demo_data_output(seed),
        "posts": len(posts),
        "platforms": sorted({p["platform"] for p in posts}),
        "first_day": min(_when(p).date() for p in posts).isoformat(),
        "last_day": max(_when(p).date() for p in posts).isoformat(),
        "weeks": weeks,
        "campaign_posts": len(campaign),
        "bot_accounts": len(bots),
        "other_accounts": len(others),
        "campaign_lang": dict(sorted(Counter(p["lang"] for p in campaign).items())),
        "organic_lang": dict(sorted(Counter(p["lang"] for p in posts if p["narrative"] == "none").items())),
        "weekly": {n: [by_week[(n, w)] for w in weeks] for n in narratives},
        "coordinated_posts": len(coordinated),
        "bursts": [{"narrative": g[0]["narrative"], "week": _week(g[0]), "lang": g[0]["lang"], "posts": len(g),
                    "accounts": len({p["author"] for p in g}),
                    "minutes": round((max(map(_when, g)) - min(map(_when, g))).total_seconds() / 60, 1)}
                   for g in bursts],
        "retweet_rings": [{"narrative": n, "week": w, "reposts": len(g), "bots": len({p["author"] for p in g}),
                           "posts_reposted": len({p["repost_of"] for p in g})} for (n, w), g in sorted(rings.items())],
        "organic_cascades": sorted(cascades.values()),
        "bot_likes": {"min": min(bot_likes), "max": max(bot_likes)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is stale")
    args = parser.parse_args(argv)
    from narratives.demo import generate

    text = json.dumps(measure(generate(SEED)), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if args.check:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} differs from the demo corpus: run python eval/demo_corpus.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
