"""Does the merge stage put a real campaign in one narrative family? Measured on the IRA 2016 sample.

    python benchmarks/merge_ira.py --workdir /tmp/merge --out eval/results/merge_ira_run.json

Campaigns are picked by hashtag and accounts from ../shared/data/ira/ira_2016_sample200k.csv.gz
(CAMPAIGNS below: the hashtag, the window and the account category that pushed it). Each window runs
`run_pipeline` (the full run: default model card, sizes chosen from the corpus, labels, targets,
coordination, store) twice on the same cached embeddings, each in a fresh copy of the store (earlier
runs hidden, so nothing is anchored to them): once without the merge stage (before) and once with it
(after). `--light` measures discover + merge alone instead. Per campaign: the posts in the window that carry its hashtag, and the largest share of them
in one top-level narrative (outliers count in the denominator), that narrative's label and keywords,
how many narratives hold at least 5% of the campaign, and the narrative's purity (share of its posts
that carry the hashtag), so a family that swallows everything cannot pass for a good merge.
The IRA store is ingested once into --workdir and reused (embeddings are cached in it).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

from narratives.ingest import ingest_file
from narratives.embed import Embedder, embed_cached
from narratives.modelcards import load_card
from narratives.pipeline import _window, run_pipeline, select_posts
from narratives.store import Store

ROOT = Path(__file__).resolve().parents[1]
IRA = ROOT.parent / "shared" / "data" / "ira" / "ira_2016_sample200k.csv.gz"

WINDOWS = {
    # ISO week 2016-W12: the Brussels attacks (22 March) and the RightTroll push that followed
    "2016-W12": ("2016-03-21", "2016-03-27"),
    # ISO week 2016-W48: HashtagGamer games (one hashtag, dozens of accounts, hundreds of jokes)
    "2016-W48": ("2016-11-28", "2016-12-04"),
}
CAMPAIGNS = [
    # (name, window, hashtag, account category that pushed it, the claim / game in words)
    ("islamkills", "2016-W12", "#islamkills", "RightTroll", "after the Brussels attacks: Islam kills"),
    ("stopislam", "2016-W12", "#stopislam", "RightTroll", "after the Brussels attacks: stop Islam"),
    ("prayforbrussels", "2016-W12", "#prayforbrussels", "RightTroll", "pray for Brussels (sympathy, then blame)"),
    ("todolistbeforechristmas", "2016-W48", "#todolistbeforechristmas", "HashtagGamer",
     "hashtag game: a to-do list before Christmas"),
    ("probabletrumpstweets", "2016-W48", "#probabletrumpstweets", "HashtagGamer",
     "hashtag game: tweets Trump would probably write"),
    # small campaigns (10-30 posts in the week among thousands): still found with corpus-sized clustering?
    ("how2016canredeemitself", "2016-W48", "#how2016canredeemitself", "HashtagGamer",
     "hashtag game: how 2016 can redeem itself (28 posts, 9 accounts)"),
    ("igivehugswhen", "2016-W48", "#igivehugswhen", "HashtagGamer", "hashtag game: I give hugs when (18 posts, 14 accounts)"),
    ("fortwitters10thbirthday", "2016-W12", "#fortwitters10thbirthday", "HashtagGamer",
     "hashtag game: for Twitter's 10th birthday (20 posts, 13 accounts)"),
]


def master_store(workdir: Path) -> Path:
    """The IRA sample ingested once (embeddings accumulate in it across invocations)."""
    path = workdir / "ira.duckdb"
    if not path.exists():
        if not IRA.exists():
            sys.exit(f"missing {IRA}: see ../shared/data/README.md")
        with Store(path) as store:
            ingest_file(store, IRA)
    return path


def embed_window(master: Path, window: str, model: str) -> None:
    """Embed the window's texts into the master store once, so both measured runs find them cached."""
    since, until = _window(*WINDOWS[window])
    with Store(master) as store:
        corpus = select_posts(store, since, until)
        embed_cached(store, Embedder(load_card(model), "cpu"), corpus.hashes, corpus.texts)


def fresh_copy(master: Path, target: Path) -> Path:
    """A copy of the store in which no earlier run is visible (status 'archived'), embeddings kept."""
    shutil.copyfile(master, target)
    with Store(target) as store:
        store.con.execute("UPDATE runs SET status = 'archived' WHERE status = 'done'")
    return target


def campaign_scores(posts: pd.DataFrame, narratives: pd.DataFrame, assignments: pd.DataFrame,
                    hashtag: str) -> dict:
    """Where the posts that carry `hashtag` went: the largest share in one top-level narrative, and more."""
    tag = re.compile(re.escape(hashtag) + r"(?!\w)", re.IGNORECASE)
    merged = posts.merge(assignments, on=["platform", "post_id"])
    has = merged["text"].fillna("").map(lambda t: bool(tag.search(t)))
    camp = merged[has]
    counts = camp["narrative_id"].value_counts()
    top = narratives[narratives["parent_id"].isna()].set_index("narrative_id") if len(narratives) else narratives
    best = counts.index[0] if len(counts) else None
    out = {"posts": int(len(camp)), "accounts": int(camp["author_handle"].nunique()),
           "outlier_share": round(float(camp["narrative_id"].isna().mean()), 4) if len(camp) else None,
           "share_in_one_narrative": round(float(counts.iloc[0] / len(camp)), 4) if len(counts) else 0.0,
           "narratives_with_5pct": int((counts / max(len(camp), 1) >= 0.05).sum())}
    if best is not None:
        fam_posts = merged[merged["narrative_id"] == best]
        n = top.loc[best]
        out.update(narrative_id=best, label=n["label"], keywords=list(n["keywords"])[:8],
                   narrative_posts=int(len(fam_posts)),
                   purity=round(float(has[merged["narrative_id"] == best].mean()), 4),
                   sub_narratives=int((narratives["parent_id"] == best).sum()))
    return out


def measure(master: Path, workdir: Path, window: str, merge: bool, model: str) -> dict:
    since, until = WINDOWS[window]
    path = fresh_copy(master, workdir / f"bench_{'after' if merge else 'before'}.duckdb")
    with Store(path) as store:
        t0 = time.perf_counter()
        result = run_pipeline(store, since=since, until=until, device="cpu", progress=False, merge=merge, model=model)
        seconds = time.perf_counter() - t0
        posts = store.con.execute(
            "SELECT platform, post_id, author_handle, text FROM posts WHERE created_at >= ? AND created_at < ?",
            [pd.Timestamp(since), pd.Timestamp(until) + pd.Timedelta(days=1)]).df()
    top = result.narratives[result.narratives["parent_id"].isna()]
    summary = {"narratives": int(len(top)), "sub_narratives": int(len(result.narratives) - len(top)),
               "n_posts": result.n_posts, "outlier_share": round(result.outlier_share, 4),
               "seconds": round(seconds, 1), "merge_params": result.params["merge"],
               "discover_chosen": result.params["discover"]["chosen"],
               "labels": result.narratives[result.narratives["parent_id"].isna()]["label"].head(15).tolist()}
    campaigns = {name: campaign_scores(posts, result.narratives, result.assignments, tag)
                 for name, w, tag, _, _ in CAMPAIGNS if w == window}
    path.unlink()
    return {"run": summary, "campaigns": campaigns}


def measure_light(master: Path, window: str, model: str) -> dict:
    """The same figures from the discover and merge stages alone (no targets, coordination or store
    write): what a slow machine can afford. Labels are the c-TF-IDF keywords of the family."""
    from narratives.discover import NarrativeDiscoverer

    since, until = _window(*WINDOWS[window])
    with Store(master, read_only=True) as store:
        corpus = select_posts(store, since, until)
        index, matrix = store.cached_embeddings(corpus.hashes, model)
        X = matrix[[index[h] for h in corpus.hashes]]
        authors = store.post_authors(corpus.posts)
    t0 = time.perf_counter()
    disc = NarrativeDiscoverer().fit(X, corpus.weeks)  # one clustering; before = its clusters, after = families
    return {"before": _families(window, corpus, authors, disc, False, t0),
            "after": _families(window, corpus, authors, disc, True, t0)}


def _families(window: str, corpus, authors, disc, merge: bool, t0: float) -> dict:
    import numpy as np

    from narratives.label import class_keywords
    from narratives.merge import NarrativeMerger

    rows = corpus.posts["row"].to_numpy()
    merger = NarrativeMerger(enabled=merge).fit(
        disc.centroids_, disc.labels_, corpus.texts, class_keywords(corpus.texts, disc.labels_, len(disc.centroids_)),
        rows, authors, corpus.posts["created_at"].to_numpy().astype("datetime64[D]").astype(np.int64))
    fam = merger.transform(disc.labels_)
    keywords = class_keywords(corpus.texts, fam, merger.n_families_)
    post_fam = np.where(rows >= 0, fam[np.maximum(rows, 0)], -1)
    narratives = pd.DataFrame({"narrative_id": [f"f{i}" for i in range(merger.n_families_)],
                               "label": [", ".join(k[:3]) for k in keywords], "keywords": keywords,
                               "parent_id": None})
    sizes = np.bincount(merger.family_, minlength=merger.n_families_)
    assignments = pd.DataFrame({"platform": corpus.posts["platform"], "post_id": corpus.posts["post_id"],
                                "narrative_id": [f"f{f}" if f >= 0 else None for f in post_fam]})
    posts = corpus.posts.assign(author_handle=authors)[["platform", "post_id", "author_handle", "text"]]
    campaigns = {}
    for name, w, tag, _, _ in CAMPAIGNS:
        if w == window:
            got = campaign_scores(posts, narratives, assignments, tag)
            if "narrative_id" in got:
                n = int(sizes[int(got["narrative_id"][1:])]) if merge else 1
                got["sub_narratives"] = n if n > 1 else 0
            campaigns[name] = got
    summary = {"stages": "discover+merge", "narratives": int(merger.n_families_), "clusters": int(len(disc.centroids_)),
               "n_posts": int(len(corpus.posts)), "outlier_share": round(float((post_fam < 0).mean()), 4),
               "seconds": round(time.perf_counter() - t0, 1),
               "merge_params": merger.get_params() | {"joined": [p.as_dict() for p in merger.pairs_ if p.edge]}}
    return {"run": summary, "campaigns": campaigns}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/merge"))
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "merge_ira_run.json")
    parser.add_argument("--model", default="use-m3", help="model card (default: use-m3, the default card)")
    parser.add_argument("--window", action="append", choices=sorted(WINDOWS), help="default: every window")
    parser.add_argument("--light", action="store_true",
                        help="discover + merge only, on cached embeddings (no full pipeline run)")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    master = master_store(args.workdir)
    old = json.loads(args.out.read_text()) if args.out.exists() else {}
    results = {"data": str(IRA.relative_to(ROOT.parent)), "model": args.model, "seed": 0,
               "stages": "discover+merge" if args.light else "full run (narratives.pipeline.run_pipeline)",
               "campaigns": {name: {"window": w, "hashtag": tag, "account_category": cat, "claim": claim}
                             for name, w, tag, cat, claim in CAMPAIGNS},
               "windows": {w: v for w, v in old.get("windows", {}).items() if w in WINDOWS}}
    for window in args.window or sorted(WINDOWS):
        embed_window(master, window, args.model)
        if args.light:
            results["windows"][window] = measure_light(master, window, args.model)
        else:
            results["windows"][window] = {"before": measure(master, args.workdir, window, False, args.model),
                                          "after": measure(master, args.workdir, window, True, args.model)}
        for name, after in results["windows"][window]["after"]["campaigns"].items():
            before = results["windows"][window]["before"]["campaigns"][name]
            print(f"{name}: {before['posts']} posts, in one narrative {before['share_in_one_narrative']:.1%} -> "
                  f"{after['share_in_one_narrative']:.1%} ({after.get('label')!r}, purity {after.get('purity')})")
        args.out.parent.mkdir(parents=True, exist_ok=True)  # after each window: a long run keeps what it measured
        args.out.write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n")
        print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
