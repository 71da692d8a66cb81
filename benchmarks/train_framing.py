"""Train the shipped antisemitic-framing classifier (narratives/framing_antisemitic.json) and score it.

    python benchmarks/train_framing.py                      # writes the weights and benchmarks/results/framing_isca.json
    python benchmarks/train_framing.py --out /tmp/f.json --results /tmp/r.json

Data: the ISCA "Antisemitism on Twitter" gold standard (../shared/data/isca/, `Biased` = 1 under the
IHRA definition). Tweets of 2019-2020 train and select; 2021 is held out and only scored. Auxiliary
training data the project writes itself: the demo corpus of seed 3 (its antisemitic_tropes posts as
positives, other posts as negatives), so the classifier also knows the demo campaign's voice and
languages; the demo evaluated elsewhere is seed 7.

Selection (2019-2020 only): C by the average precision of 5-fold out-of-fold scores on the 2020
tweets of the `Jews` and `Israel` search strata (posts that mention Jews or Israel, the situation
the classifier faces inside the pipeline); the decision threshold is the out-of-fold score at which
those posts reach recall 0.70. Then the model is refit on all training data. Deterministic: the
same data give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import StratifiedKFold

from narratives.demo import generate
from narratives.framing import CLASSIFIERS, FramingClassifier
from narratives.metrics import binary_prf

ROOT = Path(__file__).resolve().parents[1]
ISCA = ROOT.parent / "shared" / "data" / "isca" / "isca_antisemitism_2019_2021.csv.gz"
RESULTS = ROOT / "benchmarks" / "results" / "framing_isca.json"
DEMO_SEED = 3
DEMO_NEGATIVES = 400
GRID = (0.5, 1.0, 2.0, 4.0)
TARGET_RECALL = 0.70
FOLDS = 5


def load_isca(path: Path) -> pd.DataFrame:
    data = pd.read_csv(path, dtype={"Text": str, "Keyword": str, "CreateDate": str})
    data["year"] = data["CreateDate"].str[:4].astype(int)
    return data


def demo_rows(seed: int = DEMO_SEED, negatives: int = DEMO_NEGATIVES) -> tuple[list[str], list[int]]:
    """The demo's antisemitic_tropes posts (1), its other posts about Israel or Jews and a seeded sample of the rest (0)."""
    posts = generate(seed)
    pos = [p["text"] for p in posts if p["narrative"] == "antisemitic_tropes"]
    rest = [p["text"] for p in posts if p["narrative"] != "antisemitic_tropes"]
    mention = [t for t in rest if "israel" in t.lower() or "jew" in t.lower()]
    other = [t for t in rest if t not in set(mention)]
    pick = np.random.default_rng(seed).choice(len(other), size=min(negatives, len(other)), replace=False)
    neg = mention + [other[i] for i in sorted(pick)]
    return pos + neg, [1] * len(pos) + [0] * len(neg)


def threshold_at_recall(y: np.ndarray, scores: np.ndarray, recall: float) -> float:
    """The highest score threshold at which recall on (y, scores) is at least `recall`."""
    positives = np.sort(scores[y == 1])[::-1]
    k = int(np.ceil(recall * len(positives)))
    return float(positives[k - 1])


def precision_at_recall(y: np.ndarray, scores: np.ndarray, recall: float) -> float:
    p, r, _ = precision_recall_curve(y, scores)
    return float(max(p[i] for i in range(len(r)) if r[i] >= recall))


def scores_at(y: np.ndarray, predicted: np.ndarray) -> dict:
    return binary_prf(list(map(bool, y)), list(map(bool, predicted))).as_dict()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--isca", type=Path, default=ISCA)
    ap.add_argument("--out", type=Path, default=CLASSIFIERS["antisemitic_framing"])
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    if not args.isca.is_file():
        print(f"{args.isca}: ISCA data not found (see ../shared/data/README.md)", file=sys.stderr)
        return 2
    data = load_isca(args.isca)
    train = data[data["year"] <= 2020].reset_index(drop=True)
    held = data[data["year"] == 2021].reset_index(drop=True)
    demo_texts, demo_y = demo_rows()
    texts = train["Text"].tolist() + demo_texts
    y = np.array(train["Biased"].tolist() + demo_y)
    selection = ((train["year"] == 2020) & train["Keyword"].isin(["Jews", "Israel"])).to_numpy()
    selection = np.concatenate([selection, np.zeros(len(demo_texts), dtype=bool)])

    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(texts, y))
    grid = []
    for C in GRID:
        oof = np.zeros(len(texts))
        for fit_rows, score_rows in folds:
            model = FramingClassifier(C=C).fit([texts[i] for i in fit_rows], y[fit_rows])
            oof[score_rows] = model.predict_proba([texts[i] for i in score_rows])
        grid.append({"C": C, "oof": oof, "ap": float(average_precision_score(y[selection], oof[selection])),
                     "precision_at_recall": precision_at_recall(y[selection], oof[selection], TARGET_RECALL)})
        print(f"C={C}: selection AP {grid[-1]['ap']:.3f}, P@R>={TARGET_RECALL} {grid[-1]['precision_at_recall']:.3f}",
              file=sys.stderr)
    best = max(grid, key=lambda g: (g["ap"], -g["C"]))
    threshold = threshold_at_recall(y[selection], best["oof"][selection], TARGET_RECALL)
    model = FramingClassifier(C=best["C"]).fit(texts, y).set_threshold(threshold)

    p_held = model.predict_proba(held["Text"].tolist())
    y_held = held["Biased"].to_numpy()
    results = {
        "data": {"isca": "../shared/data/isca/isca_antisemitism_2019_2021.csv.gz", "train_years": [2019, 2020],
                 "held_out_year": 2021, "n_train_isca": len(train), "n_train_demo": len(demo_texts),
                 "demo_seed": DEMO_SEED, "n_held_out": len(held), "held_out_base_rate": float(y_held.mean())},
        "selection": {"criterion": f"{FOLDS}-fold out-of-fold average precision on 2020 Jews/Israel-stratum tweets",
                      "grid": [{k: round(v, 4) for k, v in g.items() if k != "oof"} for g in grid],
                      "chosen_C": best["C"], "threshold": round(threshold, 6),
                      "threshold_rule": f"out-of-fold recall {TARGET_RECALL} on the selection tweets"},
        "held_out_2021": {
            "at_threshold": scores_at(y_held, p_held >= model.threshold_),
            "average_precision": round(float(average_precision_score(y_held, p_held)), 4),
            f"best_precision_at_recall_{TARGET_RECALL}": round(precision_at_recall(y_held, p_held, TARGET_RECALL), 4),
            "per_keyword": {k: scores_at(y_held[held["Keyword"] == k], p_held[held["Keyword"] == k] >= model.threshold_)
                            for k in sorted(held["Keyword"].unique())},
            "baseline_every_post": scores_at(y_held, np.ones(len(y_held), dtype=bool)),
        },
    }
    model.save(args.out, trained_on="ISCA 2019-2020 + demo seed 3", selection=results["selection"]["criterion"])
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    held_scores = results["held_out_2021"]["at_threshold"]
    print(f"held-out 2021: P {held_scores['precision']:.3f} R {held_scores['recall']:.3f} "
          f"AP {results['held_out_2021']['average_precision']:.3f}; wrote {args.out} and {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
