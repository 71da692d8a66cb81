"""Benchmark `narratives run`: wall time and posts/s per stage, dedupe savings, peak RSS, and (demo) quality.

    python benchmarks/run.py --corpus demo     # the built-in demo corpus, scored against its gold labels
    python benchmarks/run.py --corpus ira      # 200k IRA tweets from ../shared/data (long on a laptop CPU)

Each corpus is ingested once into --workdir; a second invocation reuses the store and so measures a
re-run with a warm embedding cache (the table says how many texts were embedded now).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from narratives.demo import write_jsonl
from narratives.ingest import ingest_file
from narratives.pipeline import RunResult, run_pipeline
from narratives.store import Store

ROOT = Path(__file__).resolve().parents[1]
IRA = ROOT.parent / "shared" / "data" / "ira" / "ira_2016_sample200k.csv.gz"
CORPORA = {"demo": "2024-09-01", "ira": None}


def prepare(corpus: str, workdir: Path) -> tuple[Store, float]:
    """Open (and on first use fill) the corpus store; returns it and the ingest seconds (0 when reused)."""
    workdir.mkdir(parents=True, exist_ok=True)
    store = Store(workdir / f"{corpus}.duckdb")
    if store.con.execute("SELECT count(*) FROM posts").fetchone()[0]:
        return store, 0.0
    t0 = time.perf_counter()
    if corpus == "demo":
        source = workdir / "demo.jsonl"
        write_jsonl(source)
    else:
        if not IRA.exists():
            sys.exit(f"missing {IRA} (see ../shared/data/README.md)")
        source = IRA
    ingest_file(store, source)
    return store, time.perf_counter() - t0


def demo_quality(store: Store, run_id: str) -> dict:
    """ARI over campaign posts (outliers = their own label -1), taxonomy match per planted narrative, outliers."""
    gold = store.run_gold(run_id)
    campaign = gold[gold["gold"] != "none"]
    ari = adjusted_rand_score(campaign["gold"], campaign["narrative_id"].fillna("-1"))
    matched = {
        name: group["taxonomy_id"].fillna("-").value_counts().idxmax() for name, group in campaign.groupby("gold")
    }
    return {"ari_campaign": ari, "taxonomy_majority": matched, "outlier_share": gold["narrative_id"].isna().mean()}


def report(corpus: str, result: RunResult, ingest_s: float) -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n== {corpus}: {result.n_posts:,} posts, {result.n_texts:,} unique texts "
          f"(dedupe saved {1 - result.n_texts / result.n_posts:.1%} of embeddings), "
          f"{result.n_embedded:,} embedded now, {len(result.narratives)} narratives, "
          f"outliers {result.outlier_share:.1%}, device {result.params['device']}")
    if ingest_s:
        print(f"{'ingest':>10} {ingest_s:8.1f} s {result.n_posts / ingest_s:10,.0f} posts/s")
    for stage, seconds in result.timings.items():
        print(f"{stage:>10} {seconds:8.1f} s {result.n_posts / max(seconds, 1e-9):10,.0f} posts/s")
    total = sum(result.timings.values())
    print(f"{'run total':>10} {total:8.1f} s {result.n_posts / total:10,.0f} posts/s   peak RSS {peak_mb:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="demo")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/narratives-bench"))
    parser.add_argument("--device", default="auto")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    store, ingest_s = prepare(args.corpus, args.workdir)
    with store:
        result = run_pipeline(store, since=CORPORA[args.corpus], device=args.device, seed=args.seed, progress=False)
        report(args.corpus, result, ingest_s)
        if args.corpus == "demo":
            q = demo_quality(store, result.run_id)
            print(f"ARI (campaign posts) {q['ari_campaign']:.3f}; outlier share {q['outlier_share']:.1%}")
            for name, tax in q["taxonomy_majority"].items():
                print(f"  planted {name:<20} -> taxonomy {tax}")


if __name__ == "__main__":
    main()
