"""Embed stage: one vector per unique normalised text and model, cached in the store.

Influence operations repeat themselves, so most posts share their text with another; embedding
each text once (keyed by posts.text_hash) and caching by (text hash, model id) makes a weekly
re-run embed only what is new.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from .errors import ParameterError
from .modelcards import ModelCard, ModelError

# OpenMP threads that spin while waiting for work starve each other (and everything else) when the
# CPU is shared: on 2 busy cores, letting waiters sleep took one measurement from 43 to 160 texts/s
# (it varies with the load). Read when torch's OpenMP starts, so it is set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DEVICES = ("auto", "cpu", "cuda", "mps")
CHUNK = 2048  # texts per progress step; the model batches inside a chunk
SAVE_EVERY = 16_384  # texts embedded between writes to the cache


class DeviceError(ParameterError):
    """The requested device is not available on this machine."""


def resolve_device(device: str = "auto") -> str:
    """`auto` picks cuda, then mps, then cpu; asking for an absent accelerator is an error, not a fallback."""
    import torch

    if device not in DEVICES:
        raise DeviceError("device", f"must be one of {', '.join(DEVICES)}", device)
    cuda = torch.cuda.is_available()
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if device == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if device == "cuda" and not cuda:
        raise DeviceError("device", "no CUDA GPU visible to torch (use 'auto' or 'cpu')", device)
    if device == "mps" and not mps:
        raise DeviceError("device", "Apple MPS is not available here (use 'auto' or 'cpu')", device)
    return device


class Embedder:
    """A sentence-transformers model loaded from local files only; `encode` returns L2-normalised float32."""

    def __init__(self, card: ModelCard, device: str = "auto"):
        self.card = card
        self.device = resolve_device(device)
        self._model = None

    @property
    def model(self):
        """Load lazily so that a fully cached run never pays for loading the model."""
        if self._model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # our own bar reports the embedding; loading is quick

            if self.device == "cpu":
                torch.set_num_threads(os.cpu_count() or 1)
            path = self.card.weights_dir()
            try:
                self._model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
            except OSError as exc:
                raise ModelError(f"model {self.card.id!r}: cannot load {path}: {exc}") from None
            if self.card.max_tokens:
                self._model.max_seq_length = min(self._model.max_seq_length or self.card.max_tokens, self.card.max_tokens)
            dim = getattr(self._model, "get_embedding_dimension", self._model.get_sentence_embedding_dimension)()
            if self.card.dimension and dim != self.card.dimension:
                raise ModelError(f"model {self.card.id!r}: card says dimension {self.card.dimension}, weights give {dim}")
        return self._model

    @property
    def batch_size(self) -> int:
        return 256 if self.device == "cuda" else 64

    def encode(self, texts: Sequence[str], progress=None) -> np.ndarray:
        """Embed `texts` in length-sorted chunks (less padding); `progress(n)` is called after each chunk."""
        order = np.argsort([len(t) for t in texts], kind="stable")
        parts = []
        for start in range(0, len(texts), CHUNK):
            chunk = [texts[i] for i in order[start : start + CHUNK]]
            parts.append(self.model.encode(chunk, batch_size=self.batch_size, normalize_embeddings=True,
                                           convert_to_numpy=True, show_progress_bar=False).astype(np.float32))
            if progress is not None:
                progress(len(chunk))
        if not parts:
            return np.zeros((0, self.card.dimension or 0), dtype=np.float32)
        out = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        out[order] = np.vstack(parts)
        return out


def embed_cached(store, embedder: Embedder, hashes: Sequence[str], texts: Sequence[str], progress=None) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (aligned with `hashes`), embedding only cache misses; returns (matrix, n_embedded).

    New vectors go to the cache every SAVE_EVERY texts (each block its own transaction), so an
    interrupted run keeps what it paid for and the next run resumes there.
    """
    found, cached = store.cached_embeddings(hashes, embedder.card.id)
    missing = [i for i, h in enumerate(hashes) if h not in found]
    if progress is not None and len(found):
        progress(len(hashes) - len(missing))
    blocks = []
    for start in range(0, len(missing), SAVE_EVERY):
        rows = missing[start : start + SAVE_EVERY]
        fresh = embedder.encode([texts[i] for i in rows], progress=progress)
        store.save_embeddings([hashes[i] for i in rows], embedder.card.id, fresh)
        blocks.append(fresh)
    dim = cached.shape[1] if len(found) else blocks[0].shape[1] if blocks else embedder.card.dimension or 0
    matrix = np.zeros((len(hashes), dim), dtype=np.float32)
    if len(found):
        rows = np.fromiter((found.get(h, -1) for h in hashes), dtype=np.int64, count=len(hashes))
        hit = rows >= 0
        matrix[hit] = cached[rows[hit]]
    if blocks:
        matrix[missing] = np.vstack(blocks)
    return matrix, len(missing)
