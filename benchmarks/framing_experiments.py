"""Side experiments for the antisemitic-framing classifier on ISCA: can the sentence embedding help?

    python benchmarks/framing_experiments.py [--cache DIR]   # writes benchmarks/results/framing_experiments.json

Not the shipped classifier (that is benchmarks/train_framing.py); a record of what was tried. Every
approach trains on ISCA 2019-2020 (all strata, or only the `Jews`/`Israel` search strata that 2021
holds) and is scored once on 2021: average precision and the best precision at recall >= 0.70
(an oracle threshold, so an upper bound on what a threshold chosen on 2020 gives). Approaches: the
shipped TF-IDF logistic regression; a logistic regression and a one-layer MLP over the use-m3
sentence embedding; and logistic-regression stacks of their 5-fold out-of-fold scores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

from narratives.framing import FramingClassifier
from narratives.text import normalize_text
from train_framing import ISCA, load_isca

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "framing_experiments.json"
RECALL = 0.70


def embeddings(texts: list[str], cache: Path | None) -> np.ndarray:
    norm = [normalize_text(t) or "." for t in texts]
    digest = hashlib.blake2b("\n".join(norm).encode("utf-8"), digest_size=8).hexdigest()
    path = cache / f"isca_use-m3_{digest}.npy" if cache else None
    if path is not None and path.is_file():
        return np.load(path)
    from narratives.embed import Embedder
    from narratives.modelcards import load_card

    E = Embedder(load_card("use-m3"), device="cpu", threads=2).encode(norm)
    if path is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, E)
    return E


def precision_at_recall(y, s, recall=RECALL) -> float:
    p, r, _ = precision_recall_curve(y, s)
    return float(max(p[i] for i in range(len(r)) if r[i] >= recall))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    from threadpoolctl import threadpool_limits

    d = load_isca(ISCA)
    texts, y = d["Text"].fillna("").tolist(), d["Biased"].to_numpy().astype(int)
    E = embeddings(texts, args.cache).astype(np.float64)
    train_all = (d["year"] <= 2020).to_numpy()
    E = (E - E[train_all].mean(0)) / E[train_all].std(0)
    held = (d["year"] == 2021).to_numpy()
    out = {"data": "ISCA 2019-2020 train, 2021 held out (../shared/data/isca/isca_antisemitism_2019_2021.csv.gz)",
           "embedding": "use-m3 (default card), normalised post text", "metric": f"2021 average precision and "
           f"best precision at recall >= {RECALL} (oracle threshold)", "base_rate_2021": round(float(y[held].mean()), 4),
           "scopes": {}}
    for scope in ("all_strata", "jews_israel_strata"):
        tr = train_all & (d["Keyword"].isin(["Jews", "Israel"]).to_numpy() if scope != "all_strata" else True)
        idx = np.flatnonzero(tr)
        folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(idx, y[idx]))

        def oof(fit_score):
            s = np.zeros(len(d))
            for a, b in folds:
                s[idx[b]] = fit_score(idx[a], idx[b])
            s[held] = fit_score(idx, np.flatnonzero(held))
            return s

        with threadpool_limits(1):
            s_t = oof(lambda a, b: FramingClassifier(C=2.0).fit([texts[i] for i in a], y[a])
                      .decision_function([texts[i] for i in b]))
            s_e = oof(lambda a, b: LogisticRegression(C=0.01, class_weight="balanced", max_iter=300, tol=1e-3)
                      .fit(E[a], y[a]).decision_function(E[b]))
            p_m = oof(lambda a, b: MLPClassifier((128,), alpha=0.1, max_iter=200, early_stopping=True, random_state=0)
                      .fit(E[a], y[a]).predict_proba(E[b])[:, 1])
        s_m = np.log(p_m + 1e-6) - np.log(1 - p_m + 1e-6)
        rows = {"tfidf_lr (shipped kind)": s_t, "embedding_lr": s_e, "embedding_mlp128": s_m}
        for name, cols in (("stack tfidf+embedding_lr", [s_t, s_e]), ("stack tfidf+embedding_mlp", [s_t, s_m]),
                           ("stack tfidf+embedding_lr+embedding_mlp", [s_t, s_e, s_m])):
            S = np.column_stack(cols)
            rows[name] = LogisticRegression().fit(S[tr], y[tr]).decision_function(S)
        out["scopes"][scope] = {name: {"average_precision": round(float(average_precision_score(y[held], s[held])), 4),
                                       f"best_precision_at_recall_{RECALL}": round(precision_at_recall(y[held], s[held]), 4)}
                                for name, s in rows.items()}
        print(scope, json.dumps(out["scopes"][scope], indent=1), flush=True)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
