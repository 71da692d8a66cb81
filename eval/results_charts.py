"""Write the side-by-side chart of every set's results file: eval/results/<set>.json -> eval/results/<set>.svg.

    python eval/results_charts.py

`narratives eval --results eval/results` writes these charts itself (`write_results`); this script redraws
them from the committed files alone, e.g. after the chart's layout changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from narratives.evaluate import results_chart

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    for path in sorted(RESULTS.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(record, dict) and "set" in record and isinstance(record.get("models"), dict):
            path.with_suffix(".svg").write_text(results_chart(record), encoding="utf-8")
            print(path.with_suffix(".svg"))


if __name__ == "__main__":
    main()
