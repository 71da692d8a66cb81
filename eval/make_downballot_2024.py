"""Build eval/downballot_2024.jsonl from the hand-written posts in downballot_2024_posts.txt.

The posts and their gold labels are written by hand, one a line, in a compact form that is easy to
review; this script only expands it into the labeled-set JSONL and prints the count tables that
scripts/docs_figures.py generates into eval/README.md. Run from the repository root:

    python eval/make_downballot_2024.py            # writes eval/downballot_2024.jsonl
    python eval/make_downballot_2024.py --counts   # prints the Markdown count tables
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "downballot_2024_posts.txt"
OUTPUT = HERE / "downballot_2024.jsonl"

CODES = {
    "BM": "barry_moore", "MM": "michael_mccaul", "MB": "marsha_blackburn", "MR": "marco_rubio",
    "GJ": "gloria_johnson", "DT": "donald_trump", "KH": "kamala_harris", "JB": "joe_biden",
    "TW": "tim_walz", "JV": "jd_vance", "RS": "rick_scott", "TC": "ted_cruz", "RD": "ron_desantis",
}
STANCES = {"a": "against", "f": "favor", "n": "neutral"}


def parse(source: Path = SOURCE) -> list[dict]:
    """The posts in time order with ids db24-0001..., each line checked as it is read."""
    rows = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(" | ", 7)]
        if len(fields) != 8:
            raise ValueError(f"{source}:{number}: expected 8 fields separated by ' | '")
        when, author, lang, narrative, targets, coordinated, engagement, text = fields
        stance = {}
        for item in targets.split() if targets != "-" else []:
            code, _, value = item.partition(":")
            stance[CODES[code]] = STANCES[value]
        likes, reposts, replies = (int(n) for n in engagement.split(","))
        month_day, clock = when.split()
        rows.append({
            "text": text, "created_at": f"2024-{month_day}T{clock}:00Z", "author": author, "platform": "x",
            "lang": lang, "likes": likes, "reposts": reposts, "replies": replies, "narrative": narrative,
            "targets": sorted(stance), "stance": {t: stance[t] for t in sorted(stance)},
            "coordinated": {"C": True, "-": False}[coordinated],
        })
    rows.sort(key=lambda r: r["created_at"])  # stable: ties keep their written order
    return [{"id": f"db24-{i:04d}", **row} for i, row in enumerate(rows, start=1)]


def render(posts: list[dict]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts)


def counts_markdown(posts: list[dict]) -> str:
    """Tables for eval/README.md: per narrative (with coordinated and zh), per target and stance, per week."""
    def week(p: dict) -> str:
        y, w, _ = date.fromisoformat(p["created_at"][:10]).isocalendar()
        return f"{y}-W{w:02d}"

    out = [f"{len(posts)} posts, {len({p['author'] for p in posts})} authors, "
           f"{sum(p['coordinated'] for p in posts)} coordinated, languages "
           + ", ".join(f"{k} {v}" for k, v in sorted(Counter(p["lang"] for p in posts).items())) + ".", "",
           "| narrative | posts | coordinated | zh |", "|---|---:|---:|---:|"]
    narratives = Counter(p["narrative"] for p in posts)
    for name, n in sorted(narratives.items(), key=lambda kv: (-kv[1], kv[0])):
        mine = [p for p in posts if p["narrative"] == name]
        out.append(f"| {name} | {n} | {sum(p['coordinated'] for p in mine)} | {sum(p['lang'] == 'zh' for p in mine)} |")
    out += ["", "| target | posts | against | favor | neutral |", "|---|---:|---:|---:|---:|"]
    per = Counter((t, s) for p in posts for t, s in p["stance"].items())
    for target in sorted({t for t, _ in per}, key=lambda t: (-sum(per[(t, s)] for s in STANCES.values()), t)):
        row = [per[(target, s)] for s in ("against", "favor", "neutral")]
        out.append(f"| {target} | {sum(row)} | " + " | ".join(map(str, row)) + " |")
    out.append(f"| (no target) | {sum(not p['targets'] for p in posts)} | | | |")
    weeks = sorted({week(p) for p in posts})
    taxonomy = sorted(n for n in narratives if n != "none")
    out += ["", "| week | " + " | ".join(taxonomy) + " | none |", "|---|" + "---:|" * (len(taxonomy) + 1)]
    by_week = Counter((week(p), p["narrative"]) for p in posts)
    for w in weeks:
        out.append(f"| {w} | " + " | ".join(str(by_week[(w, n)]) for n in taxonomy + ["none"]) + " |")
    return "\n".join(out)


def main(argv: list[str]) -> None:
    posts = parse()
    if "--counts" in argv:
        print(counts_markdown(posts))
        return
    OUTPUT.write_text(render(posts), encoding="utf-8")
    print(f"wrote {len(posts)} posts to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
