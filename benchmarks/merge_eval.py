"""Labeled-set figures before and after the merge stage, from two `narratives eval` outputs.

    narratives eval --set eval/downballot_2024.jsonl --set demo.jsonl --out BEFORE   # code before the merge stage
    narratives eval --set eval/downballot_2024.jsonl --set demo.jsonl --out AFTER    # this branch
    python benchmarks/merge_eval.py --before BEFORE/metrics.json --after AFTER/metrics.json \
        --out eval/results/merge_eval.json

Per set and model: ARI (posts with a gold narrative and all posts), outlier share and matched macro-F1,
ours and BERTopic's (same embeddings, same eval run), before and after; and whether ours is at least
BERTopic's ARI after.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def figures(metrics: dict) -> dict:
    out = {}
    for set_name, by_model in metrics.items():
        for model, result in by_model.items():
            narr = result.get("narratives", {})
            if "ours" not in narr:
                continue
            row = {}
            for who in ("ours", "bertopic"):
                s = narr.get(who) or {}
                if "gold_narratives" not in s:
                    row[who] = {"skipped": s.get("skipped") or s.get("error")}
                    continue
                row[who] = {"ari_gold_narratives": s["gold_narratives"].get("ari"),
                            "ari_all_posts": s["all_posts"].get("ari"),
                            "outlier_share": s.get("outlier_share"), "n_predicted": s.get("n_predicted"),
                            "matched_macro_f1": s.get("matched_macro_f1")}
            out[f"{set_name}/{model}"] = row
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    before, after = (figures(json.loads(p.read_text())) for p in (args.before, args.after))
    result = {}
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key, {}), after.get(key, {})
        ours, base = a.get("ours", {}).get("ari_gold_narratives"), a.get("bertopic", {}).get("ari_gold_narratives")
        result[key] = {"before": b, "after": a,
                       "ours_at_least_bertopic_after": None if ours is None or base is None else ours >= base}
        print(f"{key}: ARI ours {b.get('ours', {}).get('ari_gold_narratives')} -> {ours} (BERTopic {base}); "
              f"outliers {b.get('ours', {}).get('outlier_share')} -> {a.get('ours', {}).get('outlier_share')}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
