"""Figures in the docs come from the committed results files (eval/results/*.json), never typed by hand."""

from __future__ import annotations

import importlib.util
import json
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
