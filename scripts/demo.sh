#!/usr/bin/env bash
# Fresh machine -> demo store -> the main job. Writes demo.jsonl, demo.duckdb and reports/ here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/narratives demo-data --out demo.jsonl --force
.venv/bin/narratives ingest demo.jsonl --db demo.duckdb
.venv/bin/narratives run --since 2024-09-01 --db demo.duckdb
