"""Run the README's example commands on the demo corpus and keep their output in eval/results/docs_examples.json.

    python scripts/docs_examples.py        # about a minute on a laptop CPU; then python scripts/docs_figures.py

The README quotes command output only from that file (through `scripts/docs_figures.py`, checked by
tests/test_docs.py), so an example output is always one the code really printed, with the commit
and date it was printed on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "eval" / "results" / "docs_examples.json"
CLI = [sys.executable, "-c", "from narratives.cli import main; main()"]
# (name, arguments after `narratives`, as the README shows them); `--db` is added to each
TARGETS_WINDOW = ["--since", "2024-10-07", "--until", "2024-10-20"]  # two weeks: 2024-W41..W42
EXAMPLES = [
    ("demo-data", ["demo-data", "--out", "demo.jsonl"]),
    ("ingest", ["ingest", "demo.jsonl"]),
    ("run-w41-w42", ["run", *TARGETS_WINDOW, "--no-report"]),
    ("targets-rubio", ["targets", "--candidate", "marco_rubio"]),
]


def _commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main() -> int:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "COLUMNS": "200", "NO_COLOR": "1"}
    outputs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in EXAMPLES:
            db = [] if name == "demo-data" else ["--db", "demo.duckdb"]
            done = subprocess.run([*CLI, *args, *db], cwd=tmp, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"narratives {' '.join(args)} failed:\n{done.stdout}{done.stderr}", file=sys.stderr)
                return 1
            lines = [line.rstrip() for line in done.stdout.splitlines()]
            outputs[name] = {"command": "narratives " + " ".join(args), "output": lines}
            print(f"narratives {' '.join(args)}: {len(lines)} lines")
    record = {"data": "the demo corpus, seed 7 (`narratives demo-data`); synthetic", "commit": _commit(),
              "measured_on": date.today().isoformat(), "examples": outputs}
    OUT.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
