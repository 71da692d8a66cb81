"""Side-by-side report: number formats of the tables, and a chart for every set's results file."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from narratives.charts import grouped_bars
from narratives.evaluate import Evaluation, report_tables, results_chart, write_results

RESULTS = Path(__file__).resolve().parents[1] / "eval" / "results"


def _model(ari: float, embed_rate: float, discover_rate: float, rss: float, outliers: float) -> dict:
    """A model's metrics with the structure `narratives eval` writes (taken from a committed results file),
    the figures under test set by hand."""
    m = copy.deepcopy(next(iter(json.loads((RESULTS / "downballot_2024.json").read_text())["models"].values())))
    m["narratives"]["ours"].update(n_predicted=12, outlier_share=outliers)
    m["narratives"]["ours"]["gold_narratives"]["ari"] = ari
    m["timings"] = {"device": "cpu", "model": "m", "run_id": "r", "n_posts": 300,
                    "stages": {"embed": {"seconds": 1.0, "posts_per_s": embed_rate},
                               "discover": {"seconds": 2.0, "posts_per_s": discover_rate}},
                    "embed_texts_per_s": embed_rate, "peak_rss_mib": rss}
    return m


METRICS = {"setA": {"minilm": _model(0.54, 30.5, 2.9, 975.2, 0.0867),
                    "use-m3": _model(0.646, 1268.4, 0.125, 1107.0, 0.183)},
           "setB": {"use-m3": _model(0.3, 12.0, 5.0, 800.0, 0.5)}}


def test_side_by_side_formats_rates_scores_and_shares_for_reading():
    table = next(t for t in report_tables(METRICS) if t.title == "Models side by side: setA")
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["embed: posts/s"] == ["30.5", "1,268"]  # not "30.500"
    assert rows["discover: posts/s"] == ["2.9", "0.125"]  # a slow rate keeps its digits
    assert rows["peak RSS (MiB)"] == ["975", "1,107"]
    assert rows["outlier share"] == ["8.7%", "18.3%"]
    assert rows["ARI"] == ["0.540", "0.646"] and rows["narratives found"] == ["12", "12"]
    timings = next(t for t in report_tables(METRICS) if t.title == "Timings")
    assert ["setA", "minilm", "cpu", "300", "embed", "1", "30.5"] in timings.rows


def test_write_results_draws_a_chart_for_every_set(tmp_path):
    meta = {name: {"path": f"{name}.jsonl", "layout": "labeled", "n_posts": 300, "rejected": {}} for name in METRICS}
    written = write_results(Evaluation(METRICS, tmp_path, meta), tmp_path, limit=None, seed=0, device="cpu")
    assert sorted(p.name for p in written) == ["setA.json", "setA.svg", "setB.json", "setB.svg"]
    svg = (tmp_path / "setA.svg").read_text()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    for text in ("minilm", "use-m3", "ARI", "coordination F1", "0.646", "0.540", "embed texts/s 1,268",
                 "embed texts/s 30.5", "peak RSS MiB 975"):
        assert text in svg, text
    # the fastest model's bar is the full width of the cost panel, the slower one's in proportion
    bar = r"<rect x=\"480\" y=\"\d+\" width=\"([\d.]+)\"[^>]*><title>{}: embed texts/s"
    widths = {m: float(re.search(bar.format(m), svg)[1]) for m in ("minilm", "use-m3")}
    assert abs(widths["minilm"] / widths["use-m3"] - 30.5 / 1268.4) < 0.01
    assert "minilm" not in (tmp_path / "setB.svg").read_text()  # a set run with one model charts that one


def test_chart_leaves_out_missing_figures_and_escapes_labels():
    svg = grouped_bars([("<set>", {"a&b": {"ARI": None, "F1": 0.5}}, {"a&b": {"texts/s": None}})], title="t<")
    assert "ARI" not in svg and "F1" in svg and "texts/s" not in svg
    assert "<set>" not in svg and "&lt;set&gt;" in svg and "a&amp;b" in svg and "t&lt;" in svg


def test_every_committed_results_file_has_its_chart():
    """eval/results/<set>.svg is what `results_chart` draws from eval/results/<set>.json (python
    eval/results_charts.py redraws them): a set without a chart, or a chart of older figures, fails."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(RESULTS.glob("*.json"))]
    sets = [r for r in records if isinstance(r, dict) and "set" in r and isinstance(r.get("models"), dict)]
    assert len(sets) >= 4  # demo, downballot, ISCA, P-Stance
    for record in sets:
        chart = RESULTS / f"{record['set']}.svg"
        assert chart.exists(), f"{chart} missing: run python eval/results_charts.py"
        assert chart.read_text(encoding="utf-8") == results_chart(record), f"{chart} is stale"
