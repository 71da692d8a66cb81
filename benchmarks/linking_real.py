"""Linking recall on real tweets: is each P-Stance tweet linked to its gold `Target`?

    python benchmarks/linking_real.py                 # val and train; writes benchmarks/results/linking_pstance.json
    python benchmarks/linking_real.py --splits val --out /tmp/l.json

Data: P-Stance (Li et al. 2021) train and validation splits in ../shared/data/pstance/: real tweets
about Donald Trump, Joe Biden or Bernie Sanders, each labelled with its one target. Recall is the
share of tweets whose target the linker finds with no narrative prior (each tweet on its own), with
the packaged registry (prompts/candidates.yaml) and rules (prompts/linking.yaml); nothing is tuned here.
"""

from __future__ import annotations

import argparse
import gzip
import csv
import json
import sys
import time
from pathlib import Path

from narratives.candidates import load_registry
from narratives.targets import Linker, post_targets

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "pstance"
OUT = ROOT / "benchmarks" / "results" / "linking_pstance.json"
TARGET_IDS = {"Donald Trump": "donald_trump", "Joe Biden": "joe_biden", "Bernie Sanders": "bernie_sanders"}


def read_split(path: Path) -> list[tuple[str, str]]:
    """(tweet, candidate id) per row of a P-Stance CSV (columns Tweet, Target, Stance)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return [(row["Tweet"], TARGET_IDS[row["Target"]]) for row in csv.DictReader(fh)]


def linking_recall(linker: Linker, rows: list[tuple[str, str]]) -> dict:
    """Recall overall and per target, and the seconds it took."""
    t0 = time.perf_counter()
    hits = [cid in post_targets(linker.link(text)) for text, cid in rows]
    seconds = time.perf_counter() - t0
    per = {}
    for cid in sorted(set(c for _, c in rows)):
        mine = [h for h, (_, c) in zip(hits, rows) if c == cid]
        per[cid] = {"tweets": len(mine), "linked": sum(mine), "recall": round(sum(mine) / len(mine), 4)}
    return {"tweets": len(rows), "linked": sum(hits), "recall": round(sum(hits) / len(rows), 4), "per_target": per,
            "seconds": round(seconds, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--splits", nargs="+", default=["val", "train"])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    linker = Linker(load_registry())
    results = {"data": "P-Stance (../shared/data/pstance), gold Target per tweet, no narrative prior", "splits": {}}
    for split in args.splits:
        path = args.data / f"pstance_{split}.csv.gz"
        if not path.is_file():
            print(f"{path}: not found (see ../shared/data/README.md)", file=sys.stderr)
            return 2
        results["splits"][split] = linking_recall(linker, read_split(path))
        r = results["splits"][split]
        print(f"{split}: recall {r['recall']:.4f} ({r['linked']}/{r['tweets']}) "
              + ", ".join(f"{c} {v['recall']:.3f}" for c, v in r["per_target"].items()))
    timing = {s: results["splits"][s].pop("seconds") for s in results["splits"]}  # keep the file deterministic
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (seconds: {timing})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
