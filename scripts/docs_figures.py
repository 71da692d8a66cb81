"""Regenerate the measured figures in README.md and eval/README.md from the committed results files.

    narratives eval --set eval/downballot_2024.jsonl --set /tmp/demo.jsonl \
        --set ../shared/data/isca/isca_antisemitism_2019_2021.csv.gz --results eval/results
    python eval/demo_corpus.py                # the demo corpus's figures -> eval/results/demo_corpus.json
    python scripts/docs_examples.py           # example command output -> eval/results/docs_examples.json
    python benchmarks/ingest.py --results benchmarks/results/ingest_ira.json
    python scripts/docs_figures.py            # rewrite the marked sections
    python scripts/docs_figures.py --check    # exit 1 if the docs differ from the results (tests do this)

The downballot_2024 count tables come from the committed set itself (`eval/make_downballot_2024.py`).

Each generated block sits between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`; nothing else in
the docs is touched, and no figure inside a block is typed by hand.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "eval" / "results"
BENCH_RESULTS = ROOT / "benchmarks" / "results"
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
             "| set | ARI | NMI | B³ F1 | outliers | matched F1 | targets P / R | stance F / VADER sign |",
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
            cells.append(_stance_cell(stance) + star if "macro_f1" in stance else "–")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
            for tax_id, s in ours.get("taxonomy", {}).items():
                if r["layout"] != "labeled" and s.get("support"):  # a public set scored on its one label
                    notes.append(f"On {r['set']} ({model}), \"assigned to the {tax_id} narrative\" has precision "
                                 f"{_f(s['precision'])} and recall {_f(s['recall'])} against the gold label "
                                 f"(base rate {_f(s['support'] / ours['n_posts'])}).")
    if any(r["set"] in IN_SAMPLE_STANCE for r in records):
        notes.insert(0, "\\* in-sample: the shipped stance model is trained on demo seed 7.")
    if any(r["set"].startswith("isca") for r in records):
        notes.append("The antisemitic-framing classifier that gates that narrative is trained on ISCA 2019-2020, so "
                     "these all-years figures are partly in-sample; its 2021 hold-out is in "
                     "benchmarks/results/framing_isca.json.")
    return "\n".join(lines + ([""] + [" ".join(notes)] if notes else []))


def readme_eval_block(records: list[dict]) -> str:
    """Targets and stance end to end, for README.md's targets section."""
    lines = ["End to end (`narratives eval`: the run's own clusters, taxonomy labels, links and stance; a missed "
             "link counts as a wrong stance; generated from `eval/results/*.json` by `scripts/docs_figures.py`):", "",
             "| data | posts with gold targets | linking precision | recall | stance pairs | accuracy | F | VADER sign F |",
             "|---|---|---|---|---|---|---|---|"]
    for r in records:
        for model, m in _models(r):
            targets, stance = m.get("targets", {}), m.get("stance", {})
            if "micro" not in targets and "n_pairs" not in stance:
                continue
            micro = targets.get("micro", {})
            lines.append(f"| {r['set']} ({r['n_posts']:,} posts, {model}) | {targets.get('n_posts', '–')} | "
                         f"{_f(micro.get('precision'))} | {_f(micro.get('recall'))} | {stance.get('n_pairs', '–')} | "
                         f"{_f(stance.get('accuracy'))} | {_stance_cell(stance, vader=False)} | "
                         f"{_f((stance.get('vader_sign') or {}).get('macro_f1'))} |")
    return "\n".join(lines + ["", "F is SemEval's F-avg (mean F1 of favor and against) where the gold has no neutral "
                               "(P-Stance), else macro-F1 over three classes; P-Stance annotates only one target per "
                               "tweet, so other politicians that a tweet names count against linking precision there."])


def _stance_cell(stance: dict, vader: bool = True) -> str:
    kind = "F-avg" if str(stance.get("metric", "")).startswith("f_avg") else "macro-F1"
    cell = f"{_f(stance.get('macro_f1'))} {kind}"
    if vader and stance.get("vader_sign"):
        cell += f" / {_f(stance['vader_sign'].get('macro_f1'))}"
    return cell


BLOCKS = {"eval-results": eval_results_block, "readme-eval": readme_eval_block}


def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _text(lines: list[str]) -> str:
    return "\n".join(["```text", *lines, "```"])


def demo_output_block(records: list[dict]) -> str:
    """What `narratives demo-data` prints (eval/results/demo_corpus.json)."""
    return _text(_json(RESULTS / "demo_corpus.json")["demo_data_output"])


def _range(values: list[int]) -> str:
    lo, hi = min(values), max(values)
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def demo_corpus_block(records: list[dict]) -> str:
    """The demo corpus in figures: size, accounts, languages, weekly shape and coordination."""
    d = _json(RESULTS / "demo_corpus.json")
    share = round(100 * d["campaign_posts"] / d["posts"])
    campaign = d["campaign_posts"]
    lang = d["campaign_lang"]
    bursts, rings, cascades = d["bursts"], d["retweet_rings"], d["organic_cascades"]
    by_lang: dict[str, int] = {}
    for b in bursts:
        by_lang[b["lang"]] = by_lang.get(b["lang"], 0) + 1
    weeks = [w[-3:] for w in d["weeks"]]
    lines = [
        f"Seed {d['seed']} ({d['first_day']} – {d['last_day']}, measured by `python eval/demo_corpus.py` into "
        f"`eval/results/demo_corpus.json`): {d['posts']:,} posts on platform `{'`, `'.join(d['platforms'])}`, "
        f"{share}% of them from {d['bot_accounts']} bot accounts, the rest from {d['other_accounts']:,} other "
        f"accounts. Campaign posts by language: " + ", ".join(f"{k} {v} ({v / campaign:.0%})" for k, v in lang.items())
        + f". Bot posts get {d['bot_likes']['min']}–{d['bot_likes']['max']} likes. Gold `coordinated`: "
        f"{d['coordinated_posts']} posts, in {len(bursts)} bursts of near-identical posts ("
        + ", ".join(f"{n} {k}" for k, n in sorted(by_lang.items())) + "; "
        f"{_range([b['accounts'] for b in bursts])} accounts within {max(b['minutes'] for b in bursts):.0f} minutes) "
        f"and {len(rings)} retweet rings ({_range([r['bots'] for r in rings])} bots reposting "
        f"{_range([r['posts_reposted'] for r in rings])} posts each; {sum(r['reposts'] for r in rings)} reposts); "
        f"{len(cascades)} organic retweet cascades of {_range(cascades)} reposts each are not coordinated.",
        "",
        "| posts per week | " + " | ".join(weeks) + " |",
        "|---|" + "---:|" * len(weeks),
    ]
    for name, counts in d["weekly"].items():
        lines.append(f"| `{name}` | " + " | ".join(str(n) for n in counts) + " |")
    return "\n".join(lines)


def ingest_bench_block(records: list[dict]) -> str:
    """The ingest benchmark on the real IRA sample (benchmarks/results/ingest_ira.json)."""
    b = _json(BENCH_RESULTS / "ingest_ira.json")
    return (f"`python benchmarks/ingest.py --results benchmarks/results/ingest_ira.json` on {b['data']} "
            f"({b['rows']:,} rows; {b['cpus']} CPUs, load average {b['load_average_1m']}, {b['measured_on']}): "
            f"{b['seconds']:.0f} s ({b['rows_per_s']:,} rows/s), peak RSS {b['peak_rss_mib']} MiB; "
            f"ingesting it again stored {b['stored_again']} posts.")


def _table_after(lines: list[str], title: str) -> list[str]:
    """The rich table printed under the line `title`, up to its bottom border."""
    start = lines.index(title)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("└"))
    return lines[start:end + 1]


def targets_example_block(records: list[dict]) -> str:
    """`narratives run` and `narratives targets` on two weeks of the demo (eval/results/docs_examples.json)."""
    d = _json(RESULTS / "docs_examples.json")
    run, targets = d["examples"]["run-w41-w42"], d["examples"]["targets-rubio"]
    summary = next(line for line in run["output"] if re.match(r"^[\d,]+ posts, ", line))
    return "\n".join([
        f"On two weeks of the demo corpus (2024-W41..W42, {summary.split(' posts')[0]} posts), "
        f"`{run['command']}` adds a targets table under the narratives table (each candidate's share of the "
        "narrative's posts; against/favor/neutral):", "", _text(_table_after(run["output"], "targets")), "",
        f"and `{targets['command']}` prints:", "", _text(targets["output"]), "",
        f"(Printed at commit {d['commit']} on {d['measured_on']}; kept in `eval/results/docs_examples.json` by "
        "`python scripts/docs_examples.py`.)"])


def downballot_counts_block(records: list[dict]) -> str:
    """The count tables of eval/downballot_2024.jsonl, computed from the committed set."""
    spec = importlib.util.spec_from_file_location("make_downballot_2024", ROOT / "eval" / "make_downballot_2024.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    posts = [json.loads(line) for line in (ROOT / "eval" / "downballot_2024.jsonl").read_text(encoding="utf-8").splitlines()]
    return "Computed from `eval/downballot_2024.jsonl` by `python eval/make_downballot_2024.py --counts`:\n\n" \
        + builder.counts_markdown(posts)


DOCS.update({"demo-output": ROOT / "README.md", "demo-corpus": ROOT / "README.md", "ingest-bench": ROOT / "README.md",
             "targets-example": ROOT / "README.md", "downballot-counts": ROOT / "eval" / "README.md"})
BLOCKS.update({"demo-output": demo_output_block, "demo-corpus": demo_corpus_block, "ingest-bench": ingest_bench_block,
               "targets-example": targets_example_block, "downballot-counts": downballot_counts_block})


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
        print("figures differ from the results files in: " + ", ".join(str(p.relative_to(ROOT)) for p in stale)
              + " (run python scripts/docs_figures.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
