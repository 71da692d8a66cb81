"""Ingest benchmark: the real IRA sample (200,000 rows, gzipped CSV) into a fresh temporary store.

Prints rows read per second and the process's peak resident memory. Run from the repository root:
    .venv/bin/python benchmarks/ingest.py [PATH ...]
    .venv/bin/python benchmarks/ingest.py --results benchmarks/results/ingest_ira.json   # also write the figures
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from narratives.ingest import ingest_paths
from narratives.store import Store

IRA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ira" / "ira_2016_sample200k.csv.gz"


def peak_rss_mib() -> float:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[IRA])
    parser.add_argument("--results", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args()
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        sys.exit(f"missing input: {', '.join(map(str, missing))}")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
        rss_before = peak_rss_mib()
        clock = time.perf_counter()
        results = ingest_paths(store, args.paths)
        seconds = time.perf_counter() - clock
        again = ingest_paths(store, args.paths)
    read = sum(r.read for r in results)
    for r in results:
        print(f"{r.file}: read {r.read}, stored {r.stored}, duplicates {r.duplicates}, rejected {r.rejected}")
    print(f"second run stored {sum(r.stored for r in again)} new posts")
    print(f"{read} rows in {seconds:.1f}s: {read / seconds:,.0f} rows/s")
    print(f"peak RSS {peak_rss_mib():.0f} MiB (after opening the store: {rss_before:.0f} MiB)")
    if args.results:
        record = {
            "data": ", ".join(p.name for p in args.paths), "rows": read, "stored": sum(r.stored for r in results),
            "rejected": sum(r.rejected for r in results), "stored_again": sum(r.stored for r in again),
            "seconds": round(seconds, 2), "rows_per_s": round(read / seconds), "peak_rss_mib": round(peak_rss_mib()),
            "rss_after_open_mib": round(rss_before), "cpus": os.cpu_count(), "machine": platform.machine(),
            "python": platform.python_version(), "load_average_1m": round(os.getloadavg()[0], 1),
            "measured_on": date.today().isoformat(),
        }
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
