"""Benchmark the coordination stage alone (no embedding): posts/s and peak RSS at growing sizes.

    nice -n 10 python benchmarks/coordination.py --sizes 100000 300000 1000000

The corpus is the IRA 2016 sample (../shared/data/ira, 200k tweets) ingested once into --workdir,
then tiled to each size: tile k gets its own accounts (`handle~k`), post ids, and timestamps shifted
by k weeks plus a uniform jitter of +-5 minutes (seeded), so copies across tiles are not linked while
every tile keeps the real copy-paste and retweet structure. Each size runs in a fresh process, so its
peak RSS is its own. Writes benchmarks/results/coordination.json; stops adding sizes once one takes
longer than --budget seconds.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
IRA = ROOT.parent / "shared" / "data" / "ira" / "ira_2016_sample200k.csv.gz"
RESULTS = ROOT / "benchmarks" / "results" / "coordination.json"


def load_base(workdir: Path) -> pd.DataFrame:
    """The IRA posts as the coordination stage reads them (cached as Parquet beside the store)."""
    from narratives.ingest import ingest_file
    from narratives.store import Store

    cache = workdir / "ira_coordination_input.parquet"
    if cache.exists():
        return pd.read_parquet(cache)
    if not IRA.exists():
        sys.exit(f"missing {IRA} (see ../shared/data/README.md)")
    workdir.mkdir(parents=True, exist_ok=True)
    with Store(workdir / "ira.duckdb") as store:
        if not store.count_posts():
            ingest_file(store, IRA)
        frame = store.coordination_input()
    frame.to_parquet(cache)
    return frame


def tile(base: pd.DataFrame, size: int, seed: int = 0) -> pd.DataFrame:
    """`size` posts: copies of `base` with their own accounts, ids and shifted, jittered times."""
    rng = np.random.default_rng(seed)
    parts, k = [], 0
    while sum(map(len, parts)) < size:
        part = base.iloc[: size - sum(map(len, parts))].copy()
        if k:
            jitter = pd.to_timedelta(rng.integers(-300, 301, len(part)), unit="s")
            part["created_at"] = part["created_at"] + pd.Timedelta(weeks=k) + jitter
            part["author_handle"] = part["author_handle"] + f"~{k}"
            part["post_id"] = part["post_id"] + f"~{k}"
        parts.append(part)
        k += 1
    return pd.concat(parts, ignore_index=True)


def _measure(workdir: str, size: int, queue) -> None:
    from narratives.coordination import detect_coordination

    posts = tile(load_base(Path(workdir)), size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    result = detect_coordination(posts)
    seconds = time.perf_counter() - t0
    by_network = {n: int((result.edges["network"] == n).sum()) for n in sorted(set(result.edges["network"]))}
    queue.put({
        "posts": size, "seconds": round(seconds, 2), "posts_per_s": round(size / seconds),
        "load_average_1m": round(os.getloadavg()[0], 1),  # the machine is shared: how busy it was
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_detect_mb": round(rss_before), "groups": len(result.groups),
        "evidence_posts": len(result.posts), "edges": by_network,
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/narratives-bench"))
    parser.add_argument("--budget", type=float, default=600.0, help="Stop after a size that took longer.")
    args = parser.parse_args()
    load_base(args.workdir)  # ingest once, outside the timed processes
    runs = []
    ctx = mp.get_context("spawn")
    for size in args.sizes:
        queue = ctx.Queue()
        proc = ctx.Process(target=_measure, args=(str(args.workdir), size, queue))
        proc.start()
        row = queue.get()
        proc.join()
        runs.append(row)
        print(json.dumps(row), flush=True)
        if row["seconds"] > args.budget:
            break
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "data": "IRA 2016 sample (../shared/data/ira/ira_2016_sample200k.csv.gz), tiled with per-tile accounts "
                "and timestamps shifted by one week per tile plus +-300 s jitter (seed 0)",
        "stage": "narratives.coordination.detect_coordination, default CoordinationConfig, no embedding",
        "machine": {"cpu_count": mp.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": runs,
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
