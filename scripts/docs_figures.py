"""Regenerate the measured figures in README.md and eval/README.md from the committed results files.

    narratives eval --set eval/downballot_2024.jsonl --set /tmp/demo.jsonl \
        --set ../shared/data/isca/isca_antisemitism_2019_2021.csv.gz --results eval/results
    python scripts/docs_figures.py            # rewrite the marked sections
    python scripts/docs_figures.py --check    # exit 1 if the docs differ from eval/results (tests do this)

Each generated block sits between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`; nothing else in
the docs is touched, and no figure inside a block is typed by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "eval" / "results"
DOCS = {"eval-results": ROOT / "eval" / "README.md", "readme-eval": ROOT / "README.md"}
IN_SAMPLE_STANCE = {"demo"}  # the shipped stance model is trained on the demo corpus (seed 7)


def load_results(results_dir: Path = RESULTS) -> list[dict[str, Any]]:
    """Every results file, in a stable order (hand-labeled set first, then by name)."""
    files = sorted(results_dir.glob("*.json"), key=lambda p: (p.stem != "downballot_2024", p.stem))
    records = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    # other scripts' results (stance selection, merge checks) sit beside the eval records: only records of
    # `narratives eval --results` carry per-model figures
    return [r for r in records if isinstance(r, dict) and "models" in r]


def _f(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}"


def _pair(ours: dict, base: dict, *keys: str) -> str:
    def get(d: dict) -> Any:
        for k in keys:
            d = (d or {}).get(k)
        return d
    return f"{_f(get(ours))} / {_f(get(base))}" if base and "n_posts" in base else _f(get(ours))


def _models(record: dict) -> list[tuple[str, dict]]:
    return list(record["models"].items())


def eval_results_block(records: list[dict]) -> str:
    """The "latest measured results" table of eval/README.md."""
    if not records:
        return "No results committed yet: run `narratives eval ... --results eval/results`."
    how = sorted({f"model `{m}`, {r['device']}, seed {r['seed']}" + (f", {r['limit']} posts per set" if r["limit"] else "")
                  for r in records for m, _ in _models(r)})
    dates = sorted({r["measured_on"] for r in records})
    lines = [f"`narratives eval --results eval/results` ({'; '.join(how)}; measured {', '.join(dates)}; "
             "\"ours / BERTopic\" on the same embeddings; ARI, NMI and B³ over posts with a gold narrative; "
             "generated from `eval/results/*.json` by `scripts/docs_figures.py`):", "",
             "| set | ARI | NMI | B³ F1 | outliers | matched F1 | targets P / R | stance macro-F1 |",
             "|---|---|---|---|---|---|---|---|"]
    notes = []
    for r in records:
        for model, m in _models(r):
            narr = m.get("narratives", {})
            ours, base = narr.get("ours", {}), narr.get("bertopic", {})
            name = f"{r['set']} ({r['n_posts']:,})" + (f", {model}" if len(r["models"]) > 1 else "")
            if "n_posts" in ours:
                cells = [_pair(ours, base, "gold_narratives", "ari"), _pair(ours, base, "gold_narratives", "nmi"),
                         _pair(ours, base, "gold_narratives", "bcubed_f1"), _pair(ours, base, "outlier_share"),
                         _pair(ours, base, "matched_macro_f1")]
            else:
                cells = ["–"] * 5
            targets = m.get("targets", {}).get("micro")
            cells.append(f"{_f(targets['precision'])} / {_f(targets['recall'])}" if targets else "–")
            stance = m.get("stance", {})
            star = "*" if r["set"] in IN_SAMPLE_STANCE and "macro_f1" in stance else ""
            cells.append(_f(stance.get("macro_f1")) + star if "macro_f1" in stance else "–")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
            for tax_id, s in ours.get("taxonomy", {}).items():
                if r["layout"] != "labeled" and s.get("support"):  # a public set scored on its one label
                    notes.append(f"On {r['set']}, \"assigned to the {tax_id} narrative\" has precision "
                                 f"{_f(s['precision'])} and recall {_f(s['recall'])} against the gold label "
                                 f"(base rate {_f(s['support'] / ours['n_posts'])}).")
    if any(r["set"] in IN_SAMPLE_STANCE for r in records):
        notes.insert(0, "\\* in-sample: the shipped stance model is trained on demo seed 7.")
    return "\n".join(lines + ([""] + [" ".join(notes)] if notes else []))


def readme_eval_block(records: list[dict]) -> str:
    """Targets and stance end to end, for README.md's targets section."""
    lines = ["End to end (`narratives eval`: the run's own clusters, taxonomy labels, links and stance; a missed "
             "link counts as a wrong stance; generated from `eval/results/*.json` by `scripts/docs_figures.py`):", "",
             "| data | posts with gold targets | linking precision | recall | stance pairs | accuracy | macro-F1 |",
             "|---|---|---|---|---|---|---|"]
    for r in records:
        for model, m in _models(r):
            targets, stance = m.get("targets", {}), m.get("stance", {})
            if "micro" not in targets and "n_pairs" not in stance:
                continue
            micro = targets.get("micro", {})
            lines.append(f"| {r['set']} ({r['n_posts']:,} posts, {model}) | {targets.get('n_posts', '–')} | "
                         f"{_f(micro.get('precision'))} | {_f(micro.get('recall'))} | {stance.get('n_pairs', '–')} | "
                         f"{_f(stance.get('accuracy'))} | {_f(stance.get('macro_f1'))} |")
    return "\n".join(lines)


BLOCKS = {"eval-results": eval_results_block, "readme-eval": readme_eval_block}


def render(text: str, name: str, body: str) -> str:
    """`text` with the block `name` replaced by `body` (the markers must be there)."""
    pattern = re.compile(rf"(<!-- figures:{name} -->\n).*?(\n<!-- /figures:{name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"no <!-- figures:{name} --> ... <!-- /figures:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def expected_docs(results_dir: Path = RESULTS) -> dict[Path, str]:
    """Each doc file as it should read given the results files."""
    records = load_results(results_dir)
    out: dict[Path, str] = {}
    for name, path in DOCS.items():
        text = out.get(path) or path.read_text(encoding="utf-8")
        out[path] = render(text, name, BLOCKS[name](records))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a doc differs from the results files")
    args = parser.parse_args(argv)
    stale = []
    for path, text in expected_docs().items():
        if path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("figures differ from eval/results in: " + ", ".join(str(p.relative_to(ROOT)) for p in stale)
              + " (run python scripts/docs_figures.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
