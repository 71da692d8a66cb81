"""Check each model card's fitted thresholds on real data, in a scan around the fitted value.

    python eval/validate_thresholds.py                  # every packaged card
    python eval/validate_thresholds.py --model use-m3

eval/fit_thresholds.py fits each card's thresholds on the synthetic demo; this script asks whether real posts
(../shared/data, see its README) agree. Per card and real set it embeds the unique normalised texts (cached in
/tmp), fits the discoverer once (seed 0, the card's cross_lingual off) and then scans a threshold around the
card's value (assignment is the only place the discover threshold acts, so one fit serves the whole scan):

- isca: ISCA antisemitism 2019-21, 7,014 hand-labelled tweets; Biased = 1 is the gold class.
  discover: B³ F1 over the biased posts (what `narratives eval` reports: how few narratives hold them) and over
  all posts (biased vs not: whether narratives also keep them apart), and the outlier share.
  taxonomy: P/R/F1 of "in a narrative whose centroid names antisemitic_tropes" against Biased = 1, at the card's
  discover threshold (ungated: `narratives eval` also applies the entry's framing classifier).
- ira_hashtags: the IRA 2016 sample's hashtag games as pseudo-gold campaigns: English original tweets (no
  retweets) of HashtagGamer accounts that carry exactly one hashtag, for hashtags used by at least MIN_TAG such
  tweets, the hashtag being the campaign (texts as posted); beside them N_BACKGROUND other English original
  tweets (seeded sample) as organic traffic. discover: ARI over campaign posts (outliers as singletons), B³ F1,
  outlier share of all texts. taxonomy: share of narratives that get a taxonomy name (no gold: context only).
- pstance: P-Stance validation split, 2,193 tweets; the stance target (Trump, Biden, Sanders) is topic
  pseudo-gold: narratives finer than a target are fine, one that mixes targets is not, so B³ precision is the
  figure to watch, with B³ F1 and outlier share.
- ira_cross_lingual (multilingual cards): N_CROSS English and N_CROSS Russian original tweets of the IRA sample.
  Each cluster mostly in Cyrillic is compared with the nearest mostly-Latin cluster (`join_translations`' rule);
  for each cross_lingual threshold the folds are counted and checked against topic pseudo-gold: a cluster's
  topic is the entry of eval/cross_lingual_topics.yaml (names and words in both languages) that at least
  TOPIC_SHARE of its members mention. A fold is supported when both clusters have the same topic, contradicted
  when they have different ones or only one has one, unknown when neither has one.

`adopt` per threshold says whether the real data shows a clearly better value (rules in `recommend_discover`,
`recommend_taxonomy` and `recommend_cross_lingual`); it never changes a card: a card that takes such a value
says so, and tests/test_modelcards.py checks it against this file. Writes eval/results/embedding/thresholds_real.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from narratives.discover import OUTLIER, NarrativeDiscoverer
from narratives.embed import Embedder
from narratives.taxonomy import load_taxonomy, match_taxonomy, taxonomy_vectors
from narratives.languages import script_language
from narratives.metrics import bcubed
from narratives.modelcards import card_files, load_card
from narratives.text import normalize_text
from narratives.yamlconf import read_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "eval" / "results" / "embedding" / "thresholds_real.json"
FITTED = ROOT / "eval" / "results" / "embedding" / "thresholds.json"
TOPICS = ROOT / "eval" / "cross_lingual_topics.yaml"
CACHE = Path("/tmp/narratives-real-cache")
MIN_TAG = 30
N_BACKGROUND = 3000
N_CROSS = 3000
TOPIC_SHARE = 0.4
SEED = 0
ANTISEMITIC = "antisemitic_tropes"
STEP, HALF_WIDTH = 0.025, 4  # discover scan: fitted +- 4 steps


# -- real sets: (texts, gold) with texts unique and normalised --------------------------------------------------

def _unique(texts, gold) -> tuple[list[str], np.ndarray]:
    seen: dict[str, object] = {}
    for t, g in zip(texts, gold):
        norm = normalize_text(str(t))
        if norm and norm not in seen:
            seen[norm] = g
    return list(seen), np.array(list(seen.values()), dtype=object)


def load_isca() -> tuple[list[str], np.ndarray]:
    df = pd.read_csv(DATA / "isca" / "isca_antisemitism_2019_2021.csv.gz", dtype=str)
    return _unique(df["Text"], np.where(df["Biased"].str.strip() == "1", ANTISEMITIC, "none"))


def _ira() -> pd.DataFrame:
    df = pd.read_csv(DATA / "ira" / "ira_2016_sample200k.csv.gz",
                     usecols=["content", "language", "account_category", "retweet"], dtype=str)
    return df[(df["retweet"] == "0") & df["content"].notna()]


def load_ira_hashtags() -> tuple[list[str], np.ndarray]:
    df = _ira()
    en = df[df["language"] == "English"].copy()
    tags = en["content"].str.findall(r"#\w+")
    games = en[(tags.str.len() == 1) & (en["account_category"] == "HashtagGamer")].copy()
    games["tag"] = tags[games.index].str[0].str.lower()
    counts = games["tag"].value_counts()
    games = games[games["tag"].isin(counts[counts >= MIN_TAG].index)]
    rest = en[~en.index.isin(games.index) & ~en["content"].str.lower().str.contains("|".join(
        map(lambda t: t.lstrip("#"), counts[counts >= MIN_TAG].index)))]
    background = rest.sample(n=N_BACKGROUND, random_state=SEED)
    return _unique(list(games["content"]) + list(background["content"]),
                   list(games["tag"]) + ["none"] * len(background))


def load_pstance() -> tuple[list[str], np.ndarray]:
    df = pd.read_csv(DATA / "pstance" / "pstance_val.csv.gz", dtype=str)
    return _unique(df["Tweet"], df["Target"].str.strip())


def load_ira_cross() -> tuple[list[str], np.ndarray]:
    df = _ira()
    en = df[df["language"] == "English"].sample(n=N_CROSS, random_state=SEED)
    ru = df[df["language"] == "Russian"].sample(n=N_CROSS, random_state=SEED)
    return _unique(list(en["content"]) + list(ru["content"]), ["en"] * len(en) + ["ru"] * len(ru))


SETS = {"isca": load_isca, "ira_hashtags": load_ira_hashtags, "pstance": load_pstance}


def embeddings(set_name: str, card_id: str, texts: list[str]) -> np.ndarray:
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
    path = CACHE / f"{set_name}-{card_id}-{key}.npy"
    if path.exists():
        return np.load(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    X = Embedder(load_card(card_id), device="cpu").encode(texts)
    np.save(path, X)
    return X


def fitted_discoverer(set_name: str, card_id: str, X: np.ndarray) -> NarrativeDiscoverer:
    """NarrativeDiscoverer(seed=SEED) fitted on X; its centroids cached in /tmp (keyed on X and discover.py)."""
    import narratives.discover as discover_module

    key = hashlib.sha256(X.tobytes() + Path(discover_module.__file__).read_bytes()).hexdigest()[:12]
    path = CACHE / f"fit-{set_name}-{card_id}-{key}.npz"
    model = NarrativeDiscoverer(seed=SEED)
    saved = np.load(path) if path.exists() else None
    if saved is not None and "sample_labels" in saved.files:
        model.centroids_, model.min_cluster_size_ = saved["centroids"], int(saved["min_cluster_size"])
        model.sample_indices_, model.sample_labels_ = saved["sample_indices"], saved["sample_labels"]
        return model
    model.fit(X)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, centroids=model.centroids_, min_cluster_size=model.min_cluster_size_,
             sample_indices=model.sample_indices_, sample_labels=model.sample_labels_)
    return model


# -- scans ------------------------------------------------------------------------------------------------------

def grid(value: float, step: float = STEP, half: int = HALF_WIDTH) -> list[float]:
    return [round(value + i * step, 3) for i in range(-half, half + 1)]


def _pred(labels: np.ndarray) -> list:
    return [None if c == OUTLIER else int(c) for c in labels]


def discover_scan(set_name: str, gold: np.ndarray, best: np.ndarray, top: np.ndarray, thresholds) -> list[dict]:
    rows = []
    for t in thresholds:
        labels = np.where(top >= t, best, OUTLIER)
        pred = _pred(labels)
        row = {"threshold": t, "outlier_share": round(float((labels < 0).mean()), 4)}
        if set_name == "isca":
            pos = gold == ANTISEMITIC
            row["bcubed_f1_biased"] = round(bcubed(list(gold[pos]), [p for p, k in zip(pred, pos) if k]).f1, 4)
            row["bcubed_f1_all"] = round(bcubed(list(gold), pred).f1, 4)
        elif set_name == "ira_hashtags":
            camp = gold != "none"
            singles = [f"c{p}" if p is not None else f"o{i}" for i, (p, k) in enumerate(zip(pred, camp)) if k]
            row["ari_campaign"] = round(float(adjusted_rand_score(list(gold[camp]), singles)), 4)
            row["bcubed_f1_campaign"] = round(bcubed(list(gold[camp]), [p for p, k in zip(pred, camp) if k]).f1, 4)
        else:
            b3 = bcubed(list(gold), pred)
            row["bcubed_precision"], row["bcubed_f1"] = round(b3.precision, 4), round(b3.f1, 4)
        rows.append(row)
    return rows


PRIMARY = {"isca": "bcubed_f1_all", "ira_hashtags": "ari_campaign", "pstance": "bcubed_f1"}
"""The figure each set judges a discover threshold by."""


def recommend_discover(fitted: float, scans: dict[str, list[dict]], demo_scan: list[dict],
                       min_outliers: float) -> dict:
    """A threshold is clearly better when it raises the sets' primary figures by at least 0.02 on average,
    lowers none by more than 0.01, and on the demo keeps campaign ARI within 0.005 of the fitted value's and
    at least `min_outliers` outliers (fit_thresholds' policy). The best such threshold, or the fitted one."""
    demo = {round(s["threshold"], 3): s for s in demo_scan}
    base = {name: next(r[PRIMARY[name]] for r in rows if r["threshold"] == fitted) for name, rows in scans.items()}
    candidates = []
    for t in sorted({r["threshold"] for rows in scans.values() for r in rows}):
        gains = {name: next((r[PRIMARY[name]] for r in rows if r["threshold"] == t), None)
                 for name, rows in scans.items()}
        if any(v is None for v in gains.values()) or t not in demo or fitted not in demo:
            continue
        delta = {name: round(gains[name] - base[name], 4) for name in gains}
        ok_demo = (demo[t]["ari_campaign"] >= demo[fitted]["ari_campaign"] - 0.005
                   and demo[t]["outlier_share"] >= min_outliers)
        mean = float(np.mean(list(delta.values())))
        if t != fitted and mean >= 0.02 and min(delta.values()) >= -0.01 and ok_demo:
            candidates.append((mean, t, delta))
    if not candidates:
        return {"adopt": False, "value": fitted, "rule": " ".join(recommend_discover.__doc__.split())}
    mean, t, delta = max(candidates)
    return {"adopt": True, "value": t, "mean_gain": round(mean, 4), "gain_by_set": delta}


def taxonomy_scan(gold: np.ndarray, labels: np.ndarray, scores: list[float], ids: list[str], thresholds) -> list[dict]:
    """ISCA: P/R/F1 of posts in a narrative named antisemitic_tropes at each taxonomy threshold."""
    rows = []
    pos = gold == ANTISEMITIC
    for t in thresholds:
        named = {c for c, (i, s) in enumerate(zip(ids, scores)) if i == ANTISEMITIC and s >= t}
        pred = np.isin(labels, list(named)) if named else np.zeros(len(labels), dtype=bool)
        tp, fp, fn = int((pred & pos).sum()), int((pred & ~pos).sum()), int((~pred & pos).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        rows.append({"threshold": t, "precision": round(p, 4), "recall": round(r, 4),
                     "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "named_narratives": len(named)})
    return rows


def recommend_taxonomy(fitted: float, scan: list[dict], demo: dict) -> dict:
    """A taxonomy threshold is clearly better when ISCA F1 rises by at least 0.02 and the demo's margin
    (planted narratives named correctly minus organic narratives named) does not fall."""
    def margin(t):
        return (sum(v >= t for v in demo["planted_scores"]) - sum(v >= t for v in demo["organic_scores"]))
    base = next(r["f1"] for r in scan if r["threshold"] == fitted)
    better = [(r["f1"], -abs(r["threshold"] - fitted), r["threshold"]) for r in scan
              if r["f1"] >= base + 0.02 and margin(r["threshold"]) >= margin(fitted)]
    if not better:
        return {"adopt": False, "value": fitted, "demo_margin": margin(fitted),
                "rule": " ".join(recommend_taxonomy.__doc__.split())}
    f1, _, t = max(better)
    return {"adopt": True, "value": t, "isca_f1": f1, "isca_f1_fitted": base, "demo_margin": margin(t)}


def _examples(texts: list[str], rows: np.ndarray, members: np.ndarray, keep: np.ndarray, n: int) -> list[str]:
    """n member texts spread over the cluster (in the script `keep` selects), cut to 100 characters."""
    picked = np.flatnonzero(members & keep)
    return [texts[rows[j]][:100] for j in picked[:: max(1, len(picked) // n)][:n]]


def cross_lingual_scan(card_id: str, X: np.ndarray, texts: list[str], thresholds) -> dict:
    topics, _ = read_yaml(TOPICS)
    words = {name: [w.lower() for w in ws] for name, ws in topics["topics"].items()}
    lowered = [t.lower() for t in texts]
    model = fitted_discoverer("ira_cross", card_id, X)
    rows_idx = model.sample_indices_
    labels = model.sample_labels_
    k = int(labels.max()) + 1 if len(labels) else 0
    cyr = np.array([script_language(texts[i]) is not None for i in rows_idx])
    foreign = [bool((labels == c).any()) and cyr[labels == c].mean() >= 0.8 for c in range(k)]
    latin = [c for c in range(k) if not foreign[c]]

    def topic(c):
        members = [lowered[rows_idx[j]] for j in np.flatnonzero(labels == c)]
        hits = Counter(name for m in members for name, ws in words.items() if any(w in m for w in ws))
        if not hits:
            return None
        name, n = hits.most_common(1)[0]
        return name if n / len(members) >= TOPIC_SHARE else None

    cents = np.array([X[rows_idx[labels == c]].mean(axis=0) for c in range(k)])
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    pairs = []
    for c in range(k):
        if foreign[c] and latin:
            d = max(latin, key=lambda j: (float(cents[c] @ cents[j]), -j))
            pairs.append({"size": int((labels == c).sum()), "sim": round(float(cents[c] @ cents[d]), 4),
                          "topic": topic(c), "nearest_topic": topic(d),
                          "examples": _examples(texts, rows_idx, labels == c, cyr, 3),
                          "nearest_examples": _examples(texts, rows_idx, labels == d, ~cyr, 3)})
    scan = []
    for t in thresholds:
        folded = [p for p in pairs if p["sim"] >= t]
        verdict = Counter("unknown" if p["topic"] is None and p["nearest_topic"] is None else
                          "supported" if p["topic"] == p["nearest_topic"] else "contradicted" for p in folded)
        scan.append({"threshold": t, "folds": len(folded), "supported": verdict["supported"],
                     "contradicted": verdict["contradicted"], "unknown": verdict["unknown"],
                     "posts_folded": sum(p["size"] for p in folded)})
    return {"n_texts": len(texts), "n_clusters": k, "n_cyrillic_clusters": int(sum(foreign)),
            "pairs": sorted(pairs, key=lambda p: -p["sim"]), "scan": scan}


def validate_card(card_id: str, fitted: dict) -> dict:
    card = load_card(card_id)
    th = card.thresholds
    tax = load_taxonomy()
    embedder = Embedder(card, device="cpu")
    entry_vectors = taxonomy_vectors(tax, embedder.encode)
    out: dict = {"card": card_id, "card_thresholds": {"discover": th.discover, "taxonomy": th.taxonomy,
                                                       "cross_lingual": th.cross_lingual}, "sets": {}}
    scans = {}
    for name, loader in SETS.items():
        texts, gold = loader()
        X = embeddings(name, card_id, texts)
        model = fitted_discoverer(name, card_id, X)
        sim = model.transform(X)
        best, top = sim.argmax(axis=1), sim.max(axis=1)
        scan = discover_scan(name, gold, best, top, grid(th.discover))
        scans[name] = scan
        labels = np.where(top >= th.discover, best, OUTLIER)
        matched = match_taxonomy(model.centroids_, entry_vectors, tax.ids, threshold=-1)
        ids, scores = [i for i, _ in matched], [s for _, s in matched]
        entry = {"n_texts": len(texts), "n_gold_classes": len(set(gold) - {"none"}),
                 "n_narratives": len(model.centroids_), "min_cluster_size": int(model.min_cluster_size_),
                 "discover_scan": scan}
        if name == "isca":
            entry["taxonomy_scan"] = taxonomy_scan(gold, labels, scores, ids, grid(th.taxonomy, 0.02, 5))
        else:
            entry["taxonomy_named_share"] = (round(float(np.mean([s >= th.taxonomy for s in scores])), 4)
                                             if scores else None)
        out["sets"][name] = entry
        print(card_id, name, "n", len(texts), "narratives", len(model.centroids_), file=sys.stderr)
    demo = fitted.get("cards", {}).get(card_id)
    min_outliers = 0.08
    if demo:
        out["discover"] = recommend_discover(th.discover, scans, demo["discover"]["scan"], min_outliers)
        out["taxonomy"] = recommend_taxonomy(th.taxonomy, out["sets"]["isca"]["taxonomy_scan"], demo["taxonomy"])
    if th.cross_lingual is not None:
        texts, _ = load_ira_cross()
        X = embeddings("ira_cross", card_id, texts)
        fitted_value = demo["cross_lingual"]["fitted"] if demo else th.cross_lingual
        values = sorted(set(grid(fitted_value, 0.04, 5)) | set(grid(fitted_value, 0.02, 5)))
        scan = cross_lingual_scan(card_id, X, texts, values)
        out["sets"]["ira_cross_lingual"] = scan
        if demo:
            out["cross_lingual"] = recommend_cross_lingual(fitted_value, scan["scan"], demo["cross_lingual"])
    return out


def recommend_cross_lingual(fitted: float, scan: list[dict], demo: dict) -> dict:
    """Real data bounds the threshold from below, the demo from above: when folds at the fitted value include
    contradicted ones, take the lowest threshold of the scan with no contradicted fold and no fewer supported
    folds, provided it stays under the demo's lowest same-narrative similarity (so no demo fold is lost)."""
    rows = {r["threshold"]: r for r in scan}
    at = rows.get(fitted)
    ceiling = min(demo["same_narrative"])
    if at is None or at["contradicted"] == 0:
        return {"adopt": False, "value": fitted, "rule": " ".join(recommend_cross_lingual.__doc__.split())}
    ok = [t for t, r in sorted(rows.items()) if t > fitted and r["contradicted"] == 0
          and r["supported"] >= at["supported"] and t < ceiling]
    if not ok:
        return {"adopt": False, "value": fitted, "demo_lowest_same": ceiling,
                "rule": " ".join(recommend_cross_lingual.__doc__.split())}
    t = ok[0]
    return {"adopt": True, "value": t, "fitted": fitted, "demo_lowest_same": ceiling,
            "at_fitted": {k: at[k] for k in ("folds", "supported", "contradicted", "unknown")},
            "at_value": {k: rows[t][k] for k in ("folds", "supported", "contradicted", "unknown")}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="card id (repeat); default: every packaged card")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"{DATA}: the shared real data is missing (see COMMON rules: ../shared/data)")
    fitted = json.loads(FITTED.read_text())
    cards = args.model or sorted(card_files())
    for c in cards:  # each card's figures are written as soon as they are measured
        write(args.out, {c: validate_card(c, fitted)})


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write(out: Path, found: dict) -> None:
    old = json.loads(out.read_text()) if out.exists() else {"cards": {}}
    result = {"data": {"isca": "../shared/data/isca/isca_antisemitism_2019_2021.csv.gz (Biased as gold)",
                       "ira_hashtags": f"../shared/data/ira/ira_2016_sample200k.csv.gz: HashtagGamer one-hashtag "
                                       f"tweets, hashtags with >= {MIN_TAG} tweets, + {N_BACKGROUND} other English "
                                       f"original tweets (seed {SEED})",
                       "pstance": "../shared/data/pstance/pstance_val.csv.gz (Target as topic)",
                       "ira_cross_lingual": f"../shared/data/ira/ira_2016_sample200k.csv.gz: {N_CROSS} English + "
                                            f"{N_CROSS} Russian original tweets (seed {SEED})"},
              "discover_seed": SEED, "cards": dict(sorted((old.get("cards", {}) | found).items()))}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=_plain) + "\n", encoding="utf-8")
    for c, f in found.items():
        print(c, json.dumps({k: f.get(k) for k in ("discover", "taxonomy")}))


if __name__ == "__main__":
    main()
