"""The embedding head of stance: estimator API, the blend with the text model, the fallback to the
text model for other cards and posts without a vector, and its effect on real tweets (P-Stance)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from narratives.errors import NarrativesError
from narratives.stance import StanceItem, StanceModel, score_stance
from narratives.stance_embed import HEADS, EmbeddingStanceHead, blend, load_head

ROOT = Path(__file__).resolve().parents[1]
PSTANCE = ROOT.parent / "shared" / "data" / "pstance"
CLASSES = ["against", "favor", "neutral"]


def _toy(n=90, dim=6, seed=0):
    """Three clusters in `dim` dimensions, one per stance."""
    rng = np.random.default_rng(seed)
    y = np.array(CLASSES * (n // 3))
    centers = {c: rng.normal(0, 3, dim) for c in CLASSES}
    return np.vstack([centers[c] + rng.normal(0, 0.5, dim) for c in y]), y


def test_head_fit_predict_and_byte_identical_round_trip(tmp_path):
    E, y = _toy()
    head = EmbeddingStanceHead("toy-card", C=1.0, weight=0.5)
    assert not hasattr(head, "coef_")
    head.fit(E, y)
    assert list(head.classes_) == CLASSES and head.dimension == 6
    proba = head.predict_proba(E)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert (head.classes_[proba.argmax(axis=1)] == y).mean() > 0.95
    for name in ("a.json", "b.json"):
        EmbeddingStanceHead("toy-card", C=1.0, weight=0.5).fit(E, y).save(tmp_path / name, note="toy")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    loaded = EmbeddingStanceHead.load(tmp_path / "a.json")
    assert np.array_equal(loaded.predict_proba(E), proba)  # rounded in fit: saved == fitted
    assert loaded.weight == 0.5 and loaded.embedding_model == "toy-card" and loaded.metadata_ == {"note": "toy"}
    with pytest.raises(ValueError, match="6 columns"):
        loaded.predict_proba(np.zeros((2, 5)))
    (tmp_path / "bad.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(NarrativesError, match="format"):
        EmbeddingStanceHead.load(tmp_path / "bad.json")


def test_blend_is_the_normalised_product():
    p_text = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
    p_head = np.array([[0.1, 0.8, 0.1], [0.3, 0.3, 0.4]])
    assert np.allclose(blend(p_text, p_head, 0.0), p_text)  # weight 0: the text model alone
    expected = p_text * p_head
    assert np.allclose(blend(p_text, p_head, 1.0), expected / expected.sum(axis=1, keepdims=True))
    assert blend(p_text, p_head, 1.0)[0].argmax() == 1  # a confident head overturns a mild text model


class _FixedText:
    """A text model stand-in: the same probabilities for every item."""

    classes_ = np.array(CLASSES)

    def predict_proba(self, items, masker=None):
        return np.tile([0.5, 0.4, 0.1], (len(items), 1))


def test_score_stance_uses_the_head_only_where_a_vector_of_its_card_exists():
    E, y = _toy()
    head = EmbeddingStanceHead("toy-card", C=1.0, weight=2.0).fit(E, y)
    favor_row = int(np.flatnonzero(y == "favor")[0])
    items = [StanceItem("x", None, None, "joe_biden", row=favor_row), StanceItem("x", None, None, "joe_biden", row=-1)]
    text = _FixedText()
    with_head = score_stance(text, items, E, "toy-card", head=head)
    assert with_head[0][0] == "favor"  # the head's vector says favor
    assert with_head[1] == ("against", 0.5)  # no vector: the text model alone
    assert score_stance(text, items, E, "toy-card", head=None) == [("against", 0.5)] * 2
    assert score_stance(text, items, None, "toy-card", head=head) == [("against", 0.5)] * 2
    # a card without a shipped head: the text model alone
    assert load_head("minilm") is None and load_head(None) is None
    assert score_stance(text, items, np.zeros((len(E), 384)), "minilm") == [("against", 0.5)] * 2
    with pytest.raises(ValueError, match="toy-card"):
        score_stance(text, items, E, "other-card", head=head)


def test_shipped_head_if_any_matches_the_text_model():
    model = StanceModel.load()
    for card, path in HEADS.items():
        if not path.exists():
            continue
        head = load_head(card)
        assert head.embedding_model == card and list(head.classes_) == list(model.classes_)
        assert path.stat().st_size < 200_000  # ships small
        assert "P-Stance" in head.metadata_["trained_on"]


@pytest.mark.slow
def test_shipped_head_improves_the_text_model_on_real_pstance_validation():
    """P-Stance validation, embedded with the default card as a run would: text + head beats the text
    model alone and the VADER sign (the bars are below what the training script records)."""
    path = PSTANCE / "pstance_val.csv.gz"
    if not path.exists():
        if os.environ.get("NARRATIVES_REQUIRE_SHARED") == "1":
            pytest.fail(f"{path} missing and NARRATIVES_REQUIRE_SHARED=1")
        pytest.skip(f"{path} not present")
    head = load_head("use-m3")
    if head is None:
        pytest.skip("no use-m3 stance head ships (the text model alone won the selection)")
    from narratives.embed import Embedder
    from narratives.evaluate import load_eval_set
    from narratives.modelcards import load_card
    from narratives.stance_baseline import stance_metrics, vader_baseline
    from narratives.targets import Linker
    from narratives.candidates import load_registry
    from narratives.text import normalize_text

    posts = load_eval_set(path).posts
    linker = Linker(load_registry())
    texts = sorted({normalize_text(p.text) for p in posts} - {""})
    row = {t: i for i, t in enumerate(texts)}
    X = Embedder(load_card("use-m3"), device="cpu").encode(texts)
    items, gold = [], []
    for post in posts:
        found = linker.link(post.text)
        for cid, stance in post.gold.stance.items():
            span = next(((m.start, m.end) for m in found if m.candidate_id == cid), (None, None))
            items.append(StanceItem(post.text, span[0], span[1], cid, row.get(normalize_text(post.text), -1)))
            gold.append(stance)
    model = StanceModel.load()
    both = stance_metrics(gold, [s for s, _ in score_stance(model, items, X, "use-m3")])
    alone = stance_metrics(gold, [s for s, _ in score_stance(model, items, X, "use-m3", head=None)])
    vader = stance_metrics(gold, vader_baseline([it.text for it in items], three_class=False))
    assert both["score"] >= alone["score"] + 0.005, (both, alone)
    assert both["score"] >= vader["score"] + 0.12, (both, vader)
