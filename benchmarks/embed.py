"""Benchmark embedding throughput: every model card's default path against plain MiniLM `encode`.

    python benchmarks/embed.py                   # 2,000 English IRA tweets from ../shared/data
    python benchmarks/embed.py --n 500 --rounds 1

The baseline is what a user of sentence-transformers would write: `SentenceTransformer(minilm).encode(texts)`
(its default batch size, unsorted texts, torch's default threads). Each card then embeds the same texts through
`narratives.embed.Embedder` (length-sorted chunks, every core). Systems alternate within each round and the best
round counts, so a burst of load on the shared machine hurts every system alike; the ratios of one run are the
result. Writes benchmarks/results/embed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from narratives.embed import Embedder, cpu_threads
from narratives.modelcards import DEFAULT_MODEL, card_files, load_card
from narratives.text import normalize_text

ROOT = Path(__file__).resolve().parents[1]
IRA = ROOT.parent / "shared" / "data" / "ira" / "ira_2016_sample200k.csv.gz"
OUT = ROOT / "benchmarks" / "results" / "embed.json"


def ira_english(n: int, seed: int = 0) -> list[str]:
    """`n` distinct normalised English IRA tweets (a seeded sample, never empty)."""
    if not IRA.exists():
        sys.exit(f"missing {IRA} (see ../shared/data/README.md)")
    frame = pd.read_csv(IRA, usecols=["content", "language"], dtype=str)
    texts = frame.loc[frame["language"] == "English", "content"].dropna().map(normalize_text)
    texts = pd.Series(texts[texts != ""].unique())
    return texts.sample(n=n, random_state=seed).tolist()


def plain_minilm():
    """The baseline: sentence-transformers as most code calls it."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(load_card("minilm").weights_dir()), device="cpu", local_files_only=True)
    return lambda texts: model.encode(texts)


def timed(encode, texts: list[str]) -> float:
    t0 = time.perf_counter()
    encode(texts)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="English IRA tweets to embed")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; the best of each system counts")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--relabel", action="store_true",
                        help="measure nothing: point an existing --out file's default_model/default_speedup at the "
                             "current default card (its measurements are kept as they are)")
    args = parser.parse_args()
    if args.relabel:
        result = json.loads(args.out.read_text(encoding="utf-8"))
        result["default_model"] = DEFAULT_MODEL
        result["default_speedup"] = result["systems"][DEFAULT_MODEL]["speedup_vs_baseline"]
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"default {DEFAULT_MODEL}: {result['default_speedup']}x the baseline")
        return
    texts = ira_english(args.n)
    systems: dict[str, object] = {}
    load_seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    systems["plain SentenceTransformer.encode (minilm)"] = plain_minilm()
    load_seconds["plain SentenceTransformer.encode (minilm)"] = time.perf_counter() - t0
    for card_id in sorted(card_files()):
        t0 = time.perf_counter()
        embedder = Embedder(load_card(card_id), device="cpu")
        embedder.encode(texts[:8])  # load the weights outside the timing
        load_seconds[card_id] = time.perf_counter() - t0
        systems[card_id] = embedder.encode
    seconds: dict[str, list[float]] = {name: [] for name in systems}
    for r in range(args.rounds):
        for name, encode in systems.items():
            seconds[name].append(timed(encode, texts))
            print(f"round {r + 1}: {name}: {len(texts) / seconds[name][-1]:,.0f} texts/s", file=sys.stderr)
    baseline = "plain SentenceTransformer.encode (minilm)"
    rate = {name: len(texts) / min(s) for name, s in seconds.items()}
    result = {
        "data": f"{args.n} distinct English tweets from {IRA.relative_to(ROOT.parent)} (seeded sample, normalised text)",
        "machine": {"cpus_usable": cpu_threads(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_average_at_end": os.getloadavg()},
        "rounds": args.rounds,
        "default_model": DEFAULT_MODEL,
        "baseline": baseline,
        "systems": {name: {"texts_per_s": round(rate[name], 1), "speedup_vs_baseline": round(rate[name] / rate[baseline], 2),
                           "seconds_per_round": [round(s, 3) for s in seconds[name]],
                           "load_seconds": round(load_seconds[name], 2)} for name in systems},
    }
    result["default_speedup"] = result["systems"][DEFAULT_MODEL]["speedup_vs_baseline"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    width = max(map(len, systems))
    print(f"{'system':<{width}}  texts/s  x baseline   ({result['data']})")
    for name in systems:
        s = result["systems"][name]
        mark = "  <- default" if name == DEFAULT_MODEL else ""
        print(f"{name:<{width}}  {s['texts_per_s']:>7,.0f}  {s['speedup_vs_baseline']:>6.2f}x{mark}")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
