"""Figures in the docs come from the committed results files (eval/results/*.json), never typed by hand."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("docs_figures", REPO / "scripts" / "docs_figures.py")
docs_figures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(docs_figures)


def test_docs_match_the_committed_results():
    assert sorted(p.name for p in (REPO / "eval" / "results").glob("*.json")), "no committed eval/results/*.json"
    stale = [str(path.relative_to(REPO)) for path, text in docs_figures.expected_docs().items()
             if path.read_text(encoding="utf-8") != text]
    assert not stale, f"figures differ from eval/results in {stale}: run python scripts/docs_figures.py"


def test_a_changed_result_changes_the_docs(tmp_path):
    results = tmp_path / "results"
    shutil.copytree(REPO / "eval" / "results", results)
    path = results / "downballot_2024.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    model = next(iter(record["models"]))
    record["models"][model]["targets"]["micro"]["precision"] = 0.123456
    path.write_text(json.dumps(record), encoding="utf-8")
    changed = docs_figures.expected_docs(results)
    assert "0.123" in changed[REPO / "README.md"] and "0.123" in changed[REPO / "eval" / "README.md"]
    assert changed != docs_figures.expected_docs()


def test_changed_demo_and_example_results_change_the_docs(tmp_path, monkeypatch):
    """The demo-corpus, example-output and ingest-benchmark blocks are read from their results files too."""
    results, bench = tmp_path / "results", tmp_path / "bench"
    shutil.copytree(REPO / "eval" / "results", results)
    shutil.copytree(REPO / "benchmarks" / "results", bench)
    demo = json.loads((results / "demo_corpus.json").read_text(encoding="utf-8"))
    demo["bot_accounts"] = 4321
    (results / "demo_corpus.json").write_text(json.dumps(demo), encoding="utf-8")
    examples = json.loads((results / "docs_examples.json").read_text(encoding="utf-8"))
    examples["examples"]["targets-rubio"]["output"].append("│ marco_rubio │ n999 planted row │")
    (results / "docs_examples.json").write_text(json.dumps(examples), encoding="utf-8")
    ingest = json.loads((bench / "ingest_ira.json").read_text(encoding="utf-8"))
    ingest["rows_per_s"] = 98765
    (bench / "ingest_ira.json").write_text(json.dumps(ingest), encoding="utf-8")
    monkeypatch.setattr(docs_figures, "RESULTS", results)
    monkeypatch.setattr(docs_figures, "BENCH_RESULTS", bench)
    readme = docs_figures.expected_docs(results)[REPO / "README.md"]
    assert "4321 bot accounts" in readme and "n999 planted row" in readme and "98,765 rows/s" in readme


def test_downballot_tables_are_computed_from_the_set():
    text = (REPO / "eval" / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- figures:downballot-counts -->")[1].split("<!-- /figures:downballot-counts -->")[0]
    posts = [json.loads(line) for line in (REPO / "eval" / "downballot_2024.jsonl").read_text(encoding="utf-8").splitlines()]
    assert f"{len(posts)} posts, " in block
    assert f"| insider_trading | {sum(p['narrative'] == 'insider_trading' for p in posts)} |" in block


# Figures that only a measurement gives: a throughput, a three-decimal score, a memory peak, CPU seconds.
MEASURED = re.compile(r"\d[\d,.]*\s*(?:rows|texts|posts|tweets|pages)/s\b|\b[01]\.\d{3}\b|\bRSS\b[^.]{0,20}\d"
                      r"|\d\s*s of (?:CPU|GPU)\b|\btook\s+(?:about\s+)?\d")


def test_no_measured_figure_outside_generated_blocks():
    """Measured figures live only inside `<!-- figures:... -->` blocks, which come from results files."""
    docs = [REPO / "README.md", REPO / "eval" / "README.md", *(REPO / "docs").glob("*.md"),
            *(REPO / "benchmarks").glob("README*")]
    found = []
    for path in docs:
        text = re.sub(r"<!-- figures:([\w-]+) -->.*?<!-- /figures:\1 -->", "", path.read_text(encoding="utf-8"), flags=re.S)
        found += [f"{path.relative_to(REPO)}: {m.group(0)!r}" for m in MEASURED.finditer(text)]
    assert not found, f"hand-typed measured figures (generate them with scripts/docs_figures.py): {found}"
