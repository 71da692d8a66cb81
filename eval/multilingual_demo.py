"""Do Chinese and Russian campaign posts land in the narrative of their English siblings? (demo corpus)

    python eval/multilingual_demo.py                      # minilm, use-m3 (and use-m3-onnx when installed)
    python eval/multilingual_demo.py --model use-m3

For each model card, the demo corpus (seed 7) goes through `narratives.pipeline.run_pipeline` with the
card's own thresholds (seed 0). Per card it reports:

- sibling_rate[lang]: the share of a language's campaign posts assigned to the narrative that holds most
  English posts of the same gold narrative (their "siblings"); an outlier counts as a miss.
- ari_english / ari_all: ARI over English campaign posts / all campaign posts (outliers are singletons).
- outlier_share over all posts, and campaign_outlier_share.

Each card gets a fresh store in --workdir (a run in a store with earlier runs keeps their assignments).
Writes eval/results/embedding/multilingual_demo.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_rand_score

from narratives.demo import generate, write_jsonl
from narratives.ingest import ingest_file
from narratives.modelcards import DEFAULT_MODEL, ModelError, load_card
from narratives.pipeline import run_pipeline
from narratives.store import Store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "eval" / "results" / "embedding" / "multilingual_demo.json"


def _singletons(pred: pd.Series) -> list[str]:
    return [str(p) if isinstance(p, str) else f"outlier-{i}" for i, p in enumerate(pred)]


def score(frame: pd.DataFrame) -> dict:
    """Figures of one run; `frame` has gold, narrative_id (None = outlier) and lang per post."""
    campaign = frame[frame["gold"] != "none"]
    english = campaign[campaign["lang"] == "en"]
    home = english.dropna(subset=["narrative_id"]).groupby("gold")["narrative_id"].agg(lambda s: s.value_counts().idxmax())
    rates, counts = {}, {}
    for lang in sorted(set(campaign["lang"]) - {"en"}):
        posts = campaign[campaign["lang"] == lang]
        hit = posts["narrative_id"].notna() & (posts["narrative_id"] == posts["gold"].map(home))
        rates[lang], counts[lang] = round(float(hit.mean()), 4), int(len(posts))
    return {
        "sibling_rate": rates, "n_posts_by_lang": counts,
        "ari_english": round(float(adjusted_rand_score(english["gold"], _singletons(english["narrative_id"]))), 4),
        "ari_all": round(float(adjusted_rand_score(campaign["gold"], _singletons(campaign["narrative_id"]))), 4),
        "outlier_share": round(float(frame["narrative_id"].isna().mean()), 4),
        "campaign_outlier_share": round(float(campaign["narrative_id"].isna().mean()), 4),
        "n_narratives": int(frame["narrative_id"].nunique()),
    }


def evaluate_card(store: Store, model: str, langs: dict[str, str]) -> dict:
    t0 = time.perf_counter()
    result = run_pipeline(store, model=model, progress=False, seed=0)
    gold = store.run_gold(result.run_id)
    gold["lang"] = gold["post_id"].map(langs)
    figures = score(gold)
    figures.update(run_id=result.run_id, seconds=round(time.perf_counter() - t0, 1), timings=result.timings,
                   thresholds={k: result.params[k] for k in ("taxonomy_threshold", "match_threshold")}
                   | {"discover": result.params["discover"]["threshold_fitted"]}, warnings=result.warnings)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="card id (repeat); default: minilm, use-m3, use-m3-onnx")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/narratives-multilingual-demo"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    posts = generate(7)
    langs = {p["id"]: p["lang"] for p in posts}
    write_jsonl(args.workdir / "demo.jsonl")
    results = {}
    for model in args.model or ["minilm", "use-m3", "use-m3-onnx"]:
        try:
            load_card(model).package_file() if load_card(model).backend != "sentence-transformers" else None
        except ModelError as exc:
            results[model] = {"skipped": str(exc)}
            continue
        # a fresh store per model: a run in a store that holds earlier runs keeps their assignments
        path = args.workdir / f"demo-{model}.duckdb"
        path.unlink(missing_ok=True)
        with Store(path) as store:
            ingest_file(store, args.workdir / "demo.jsonl")
            results[model] = evaluate_card(store, model, langs)
            print(model, json.dumps({k: results[model][k] for k in ("sibling_rate", "ari_english", "ari_all",
                                                                     "outlier_share")}))
    old = json.loads(args.out.read_text()) if args.out.exists() else {}
    merged = dict(old.get("models", {})) | results
    out = {"data": "demo corpus, seed 7 (narratives.demo.generate), run_pipeline seed 0, each card's own thresholds",
           "default_model": DEFAULT_MODEL, "models": dict(sorted(merged.items()))}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
