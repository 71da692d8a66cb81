"""eval/validate_thresholds.py: the rules that decide whether real data shows a clearly better threshold, and
the fitter's discover rule (eval/fit_thresholds.py), on hand-made scans."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "eval" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


validate = _load("validate_thresholds")
fit = _load("fit_thresholds")


def _xl(t, supported, contradicted):
    return {"threshold": t, "folds": supported + contradicted, "supported": supported,
            "contradicted": contradicted, "unknown": 0}


def test_cross_lingual_rises_only_to_clear_wrong_folds_and_stays_under_the_demo():
    demo = {"same_narrative": [0.7, 0.645, 0.66]}
    scan = [_xl(0.58, 2, 1), _xl(0.60, 2, 1), _xl(0.62, 2, 0), _xl(0.64, 2, 0), _xl(0.66, 1, 0)]
    got = validate.recommend_cross_lingual(0.58, scan, demo)
    assert got["adopt"] and got["value"] == 0.62  # the lowest clean value, not a higher one
    # no contradicted fold at the fitted value: keep it
    kept = validate.recommend_cross_lingual(0.62, scan, demo)
    assert not kept["adopt"] and kept["value"] == 0.62
    # clean only above the demo's lowest same-narrative similarity: a demo fold would be lost, keep the fit
    assert not validate.recommend_cross_lingual(0.58, scan, {"same_narrative": [0.61]})["adopt"]
    # clean only by losing a supported fold: keep the fit
    assert not validate.recommend_cross_lingual(0.58, [_xl(0.58, 2, 1), _xl(0.62, 1, 0)], demo)["adopt"]


def test_discover_changes_only_for_a_clear_gain_on_every_real_set_that_the_demo_tolerates():
    def rows(values, key):
        return [{"threshold": t, key: v} for t, v in values.items()]

    demo = [{"threshold": t, "ari_campaign": a, "outlier_share": o}
            for t, a, o in ((0.375, 0.80, 0.06), (0.4, 0.80, 0.09), (0.425, 0.798, 0.12))]
    mixed = {"isca": rows({0.375: 0.77, 0.4: 0.74, 0.425: 0.70}, "bcubed_f1_all"),
             "ira_hashtags": rows({0.375: 0.59, 0.4: 0.60, 0.425: 0.62}, "ari_campaign"),
             "pstance": rows({0.375: 0.37, 0.4: 0.36, 0.425: 0.35}, "bcubed_f1")}
    assert not validate.recommend_discover(0.4, mixed, demo, 0.08)["adopt"]  # sets disagree
    better = {name: [dict(r, **{key: r[key] + (0.05 if r["threshold"] == 0.425 else 0)})
                     for r in scan] for name, scan in mixed.items() for key in [validate.PRIMARY[name]]}
    better["isca"] = rows({0.375: 0.74, 0.4: 0.74, 0.425: 0.745}, "bcubed_f1_all")
    got = validate.recommend_discover(0.4, better, demo, 0.08)
    assert got["adopt"] and got["value"] == 0.425
    # the same gain at 0.375 is refused: the demo would keep fewer than 8% outliers
    low = {name: [dict(r, **{key: 1.0 if r["threshold"] == 0.375 else r[key]}) for r in scan]
           for name, scan in mixed.items() for key in [validate.PRIMARY[name]]}
    assert not validate.recommend_discover(0.4, low, demo, 0.08)["adopt"]


def test_fit_discover_takes_the_outlier_floor_when_the_ari_peak_has_too_few_outliers():
    scan = [{"threshold": t, "ari_campaign": a, "outlier_share": o}
            for t, a, o in ((0.3, 0.805, 0.02), (0.35, 0.805, 0.04), (0.4, 0.800, 0.083), (0.45, 0.79, 0.16))]
    assert fit.fit_discover(scan) == 0.4  # no near-best threshold keeps 8% outliers: the floor decides
    scan[2]["ari_campaign"] = 0.803
    assert fit.fit_discover(scan) == 0.4
    scan.insert(2, {"threshold": 0.375, "ari_campaign": 0.804, "outlier_share": 0.09})
    assert fit.fit_discover(scan) == 0.375  # the lowest near-best threshold above the floor


def test_committed_real_data_results_cover_the_multilingual_cards():
    real = json.loads((ROOT / "eval" / "results" / "embedding" / "thresholds_real.json").read_text())
    for card in ("use-m3", "use-m3-onnx"):
        sets = real["cards"][card]["sets"]
        assert {"isca", "ira_hashtags", "pstance", "ira_cross_lingual"} <= set(sets)
        assert all(len(sets[s]["discover_scan"]) == 2 * validate.HALF_WIDTH + 1
                   for s in ("isca", "ira_hashtags", "pstance"))
        assert {"adopt", "value"} <= set(real["cards"][card]["cross_lingual"])
