"""Scale benchmark: `narratives run` on 10^6 posts with the local engine and with the ray engine.

    python benchmarks/scale.py --posts 1000000 --unique 150000     # writes benchmarks/results/scale.json
    python benchmarks/scale.py --posts 20000 --out /tmp/scale.json   # a quick look

The corpus is the IRA 2016 sample (../shared/data/ira/ira_2016_sample200k.csv.gz) tiled to `--posts`
rows with perturbed text, ids and timestamps, shaped like a retweet-heavy corpus: only `--unique`
distinct texts (about 85% kept from the sample, about 15% edited copies, e.g. a hashtag added), the rest
of the posts repeat one of them (retweets), every tile shifted in time and by account. It is ingested
once; each engine then runs on its own copy of that store (no embedding cache: both embed every text)
in its own process, so the peak RSS is that run's driver alone. The ray engine runs on a local Ray
cluster of `--ray-cpus` CPUs started in that process (actors and Ray's own processes are not in the
driver's RSS). The script checks that both engines found the same narratives, ids and assignments.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
IRA = ROOT.parent / "shared" / "data" / "ira" / "ira_2016_sample200k.csv.gz"
RESULTS = ROOT / "benchmarks" / "results" / "scale.json"
DOC = ROOT / "docs" / "scale.md"
BEGIN, END = "<!-- figures:scale -->", "<!-- /figures:scale -->"
EDITED_SHARE = 0.15  # of the distinct texts: edited copies (a hashtag added) of kept ones


def _rank(values, salt: str) -> np.ndarray:
    """A stable pseudo-random number per value (blake2b), so the tiling is the same on every machine."""
    return np.array([int.from_bytes(hashlib.blake2b(f"{salt}{v}".encode(), digest_size=8).digest(), "big")
                     for v in values], dtype=np.uint64)


def tile_corpus(source: Path, posts: int, unique: int) -> pd.DataFrame:
    """`posts` rows in the FiveThirtyEight layout with about `unique` distinct texts (see the module docstring)."""
    sample = pd.read_csv(source, dtype=str, keep_default_na=False)
    base_n = min(posts, len(sample))
    base = sample.iloc[np.linspace(0, len(sample) - 1, base_n).astype(int)].reset_index(drop=True)
    distinct = pd.unique(base["content"])
    kept_n = max(1, min(len(distinct), int(round(unique * (1 - EDITED_SHARE)))))
    kept = distinct[np.argsort(_rank(distinct, "keep"), kind="stable")[:kept_n]]
    keep = set(kept)
    # a post whose text is not kept repeats (retweets) a kept one, chosen by its row
    other = ~base["content"].isin(keep).to_numpy()
    pick = _rank(np.arange(base_n), "retweet") % np.uint64(kept_n)
    base.loc[other, "content"] = kept[pick[other].astype(np.int64)]
    base.loc[other, "retweet"] = "1"
    tiles = -(-posts // base_n)
    times = pd.to_datetime(base["publish_date"], format="%m/%d/%Y %H:%M")
    edited_n = unique - kept_n
    parts = []
    for t in range(tiles):
        part = base.copy()
        if t:  # another set of accounts, a little later, some of them editing the text
            part["author"] = part["author"] + f"_{t}"
            part["external_author_id"] = part["external_author_id"] + f"{t:02d}"
            when = (times + pd.Timedelta(minutes=11 * t)).dt.strftime("%-m/%-d/%Y %-H:%M")
            part["publish_date"] = part["harvested_date"] = when
            per_tile = edited_n // max(1, tiles - 1) + (1 if t <= edited_n % max(1, tiles - 1) else 0)
            rows = np.argsort(_rank(np.arange(base_n), f"edit{t}"), kind="stable")[:per_tile]
            part.loc[rows, "content"] = part.loc[rows, "content"] + f" #t{t}x" + pd.Series(rows, index=rows).astype(str)
            part.loc[rows, "retweet"] = "0"
        parts.append(part)
    return pd.concat(parts, ignore_index=True).iloc[:posts]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_engine(args) -> None:
    """Child process: one run with one engine on its own store copy; prints a JSON line."""
    import narratives as nv
    from narratives.config import RunConfig

    t0 = time.perf_counter()
    if args.child == "ray":
        import ray

        ray.init(num_cpus=args.ray_cpus, include_dashboard=False, log_to_driver=False,
                 object_store_memory=args.object_store_mb * 1024**2,
                 runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    start_s = time.perf_counter() - t0
    config = RunConfig().with_options(engine=args.child, sample_size=args.sample_size,
                                      partition_dir=str(Path(args.db).parent))
    with nv.open_store(args.db) as store:
        result = nv.run(store, config=config, report=False)
    wall = time.perf_counter() - t0
    out = Path(args.db).with_suffix(".assignments.parquet")
    result.assignments[["platform", "post_id", "narrative_id"]].to_parquet(out, index=False)
    print(json.dumps({
        "engine": args.child, "posts": result.n_posts, "unique_texts": result.n_texts,
        "embedded": result.n_embedded, "narratives": int(result.narratives["parent_id"].isna().sum()),
        "sub_narratives": int(result.narratives["parent_id"].notna().sum()),
        "narrative_ids": sorted(result.narratives["narrative_id"]),
        "outlier_share": round(result.outlier_share, 4), "mentions": len(result.targets.mentions),
        "stage_s": result.timings, "engine_start_s": round(start_s, 3), "wall_s": round(wall, 3),
        "posts_per_s": round(result.n_posts / wall, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
        "assignments": str(out)}))


def compare(runs: dict[str, dict]) -> dict:
    """Same narratives, ids and assignments? (ARI over all posts, outliers as one label)."""
    from sklearn.metrics import adjusted_rand_score

    if not {"local", "ray"} <= runs.keys():
        return {}
    a, b = (pd.read_parquet(runs[e]["assignments"]).sort_values(["platform", "post_id"], ignore_index=True)
            for e in ("local", "ray"))
    la, lb = a["narrative_id"].fillna("-"), b["narrative_id"].fillna("-")
    return {"same_posts": bool(a[["platform", "post_id"]].equals(b[["platform", "post_id"]])),
            "narrative_ids_identical": runs["local"]["narrative_ids"] == runs["ray"]["narrative_ids"],
            "assignments_identical": bool((la == lb).all()),
            "ari": round(float(adjusted_rand_score(la, lb)), 6)}


def figures_block(result: dict) -> str:
    """The measured figures of docs/scale.md, rendered from a scale.json record (never typed by hand)."""
    runs, same = result["runs"], result.get("same_result") or {}
    first = next(iter(runs.values()))
    stages = list(dict.fromkeys(k for r in runs.values() for k in r["stage_s"]))
    lines = [f"Data: {result['data']}; {first['unique_texts']:,} unique texts after normalising "
             f"({first['posts']:,} posts), discovery sample {result['sample_size']:,}. Machine: "
             f"{result['machine']['cpus']} CPUs shared with other jobs (load average {result['machine']['load_avg_at_end'][0]} "
             f"at the end); the ray engine ran on a local Ray cluster of {result['ray_cpus']} CPUs. "
             f"Measured {result['measured_at']}.", "",
             "| | " + " | ".join(runs) + " |", "|---|" + "---:|" * len(runs)]
    for stage in stages:
        lines.append(f"| {stage} (s) | " + " | ".join(f"{r['stage_s'].get(stage, 0):,.1f}" for r in runs.values()) + " |")
    rows = [("posts", "posts", "{:,}"), ("unique texts", "unique_texts", "{:,}"), ("texts embedded", "embedded", "{:,}"),
            ("candidate mentions", "mentions", "{:,}"), ("Ray start (s)", "engine_start_s", "{:,.1f}"), ("wall, whole run (s)", "wall_s", "{:,.1f}"),
            ("posts/s (whole run)", "posts_per_s", "{:,.0f}"), ("peak driver RSS (MB)", "peak_rss_mb", "{:,.0f}"),
            ("narratives (sub-narratives)", None, None),
            ("outlier share", "outlier_share", "{:.1%}")]
    for name, key, fmt in rows:
        if key is None:
            cells = [f"{r['narratives']} ({r['sub_narratives']})" for r in runs.values()]
        else:
            cells = [fmt.format(r[key]) for r in runs.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if result.get("ingest_s") is not None:
        lines += ["", f"Ingesting the tiled corpus once (shared by both runs) took {result['ingest_s']:,.1f} s."]
    if "local" in runs:
        rss = runs["local"]["peak_rss_mb"]
        lines += ["", f"Peak driver RSS of the local run: {rss:,.0f} MB ({rss / 1024:.2f} GiB; "
                      f"{'within' if rss <= 8192 else 'OVER'} the 8 GiB budget)."]
    if same:
        lines += ["", f"Same narrative ids: {'yes' if same['narrative_ids_identical'] else 'NO'}; same assignment "
                      f"for every post: {'yes' if same['assignments_identical'] else 'NO'} (ARI {same['ari']:.4f})."]
    return "\n".join(lines)


def render_doc(text: str, result: dict) -> str:
    """`text` with the block between the scale markers replaced by `figures_block(result)`."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{figures_block(result)}\n{END}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--unique", type=int, default=None, help="distinct texts (default: 15%% of --posts)")
    parser.add_argument("--engines", default="local,ray")
    parser.add_argument("--sample-size", type=int, default=50_000, help="discovery sample (the run's default)")
    parser.add_argument("--ray-cpus", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--object-store-mb", type=int, default=1024)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/narratives-scale"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--docs", action="store_true", help=f"only rewrite the figures in {DOC.name} from --out")
    parser.add_argument("--child", choices=["local", "ray"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_engine(args)
    if args.docs:
        DOC.write_text(render_doc(DOC.read_text(encoding="utf-8"), json.loads(args.out.read_text())), encoding="utf-8")
        return
    unique = args.unique or int(args.posts * 0.15)
    if not IRA.exists():
        sys.exit(f"missing {IRA} (see ../shared/data/README.md)")
    work = args.workdir / f"p{args.posts}-u{unique}"
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base.duckdb"
    ingest_s = None
    if not base.exists():
        import narratives as nv

        t0 = time.perf_counter()
        csv = work / "tiled.csv"
        tile_corpus(IRA, args.posts, unique).to_csv(csv, index=False)
        tile_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with nv.open_store(work / "base.tmp.duckdb") as store:
            nv.ingest(store, csv, format="ira538")
        (work / "base.tmp.duckdb").rename(base)
        ingest_s = time.perf_counter() - t0
        csv.unlink()
        (work / "ingest.json").write_text(json.dumps({"tile_s": round(tile_s, 1), "ingest_s": round(ingest_s, 1)}))
        print(f"tiled {args.posts:,} posts in {tile_s:.1f} s, ingested in {ingest_s:.1f} s", flush=True)
    elif (work / "ingest.json").exists():
        ingest_s = json.loads((work / "ingest.json").read_text())["ingest_s"]
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    same_corpus = (previous.get("posts"), previous.get("unique_target")) == (args.posts, unique)
    runs = dict(previous.get("_runs", {})) if same_corpus else {}  # rerunning one engine keeps the other's
    for engine in [e for e in args.engines.split(",") if e]:  # --engines "": only tile and ingest
        db = work / f"{engine}.duckdb"
        for stale in work.glob(f"{engine}.*"):
            stale.unlink()
        shutil.copy(base, db)  # the ingested posts only: no embeddings, no earlier run
        cmd = [sys.executable, __file__, "--child", engine, "--db", str(db), "--sample-size", str(args.sample_size),
               "--ray-cpus", str(args.ray_cpus), "--object-store-mb", str(args.object_store_mb)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            print(f"{engine} run failed:\n{done.stderr[-3000:]}", file=sys.stderr, flush=True)
            continue
        runs[engine] = json.loads(done.stdout.strip().splitlines()[-1])
        r = runs[engine]
        print(f"{engine}: {r['posts']:,} posts, {r['unique_texts']:,} unique texts, wall {r['wall_s']:.1f} s "
              f"({r['posts_per_s']:,.0f} posts/s), peak driver RSS {r['peak_rss_mb']:,.0f} MB; "
              + ", ".join(f"{k} {v:.1f}s" for k, v in r["stage_s"].items()), flush=True)
        write_results(args, unique, ingest_s if ingest_s is not None else previous.get("ingest_s"), runs)


def write_results(args, unique: int, ingest_s: float | None, runs: dict) -> None:
    """Write (after each engine, so a later failure keeps what was measured) the results file and the doc block."""
    result = {
        "data": f"IRA 2016 sample ({IRA.name}) tiled to {args.posts:,} posts with perturbed text, ids and timestamps",
        "posts": args.posts, "unique_target": unique, "sample_size": args.sample_size,
        "ingest_s": round(ingest_s, 1) if ingest_s is not None else None,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_avg_at_end": [round(x, 2) for x in os.getloadavg()]},
        "ray_cpus": args.ray_cpus, "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "runs": {e: {k: v for k, v in r.items() if k not in ("assignments", "narrative_ids")}
                 for e, r in runs.items()},
        "same_result": compare(runs),
        "_runs": runs,  # with the assignment files and ids, for `compare` when one engine is rerun
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["same_result"]), f"-> {args.out}")
    if args.out == RESULTS and DOC.exists():
        DOC.write_text(render_doc(DOC.read_text(encoding="utf-8"), result), encoding="utf-8")


if __name__ == "__main__":
    main()
