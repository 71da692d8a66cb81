"""Near-duplicate texts: word-only normalisation, character-shingle hashes, MinHash with LSH banding."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..text import normalize_text
from .config import CoordinationConfig

_WORD = re.compile(r"\w+")


def shingle_text(text: str) -> str:
    """The words of a post for comparing copies: URLs, `RT @user:`, punctuation, emoji and case dropped."""
    return " ".join(_WORD.findall(normalize_text(text)))


def near_duplicate_labels(texts: Sequence[str], config: CoordinationConfig | None = None) -> np.ndarray:
    """One label per text: texts with the same label are the same or near-same (-1: no words).

    Exact copies (after `shingle_text`) share a label directly; distinct texts are sketched with MinHash
    over character shingles and joined when an LSH band puts them in one bucket and their estimated
    Jaccard similarity is at least `config.jaccard` (each bucket member is checked against the
    bucket's first text only, so a bucket costs its size, not its size squared).
    """
    import rensa

    config = config or CoordinationConfig()
    raw_codes, raw_uniques = pd.factorize(pd.Series(texts, dtype=object).fillna(""), sort=False)
    cleaned = [shingle_text(t) if isinstance(t, str) else "" for t in raw_uniques]  # each distinct text once
    clean_codes, uniques = pd.factorize(pd.Series(cleaned, dtype=object), sort=True)
    codes = clean_codes[raw_codes] if len(raw_codes) else raw_codes
    uniques = np.asarray(uniques, dtype=object)
    n = len(uniques)
    if n == 0:
        return np.full(len(raw_codes), -1, dtype=np.int64)
    hashes, offsets = shingle_hashes(uniques, config.shingle)
    sig = np.asarray(rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        hashes, offsets, config.num_perm, config.seed).to_rows(), dtype=np.uint32)
    rows_per_band = config.num_perm // config.bands
    src, dst = [], []
    for b in range(config.bands):
        band = np.ascontiguousarray(sig[:, b * rows_per_band:(b + 1) * rows_per_band])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows_per_band))).ravel()
        _, first, bucket = np.unique(keys, return_index=True, return_inverse=True)
        leader = first[bucket.ravel()]
        cand = np.flatnonzero(leader != np.arange(n))
        if not len(cand):
            continue
        similar = (sig[cand] == sig[leader[cand]]).mean(axis=1) >= config.jaccard
        src.append(cand[similar])
        dst.append(leader[cand][similar])
    if src:
        a, b = np.concatenate(src), np.concatenate(dst)
        graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
        _, label = connected_components(graph, directed=False)
    else:
        label = np.arange(n)
    out = label[codes].astype(np.int64)
    empty = np.flatnonzero(uniques == "")
    if len(empty):
        out[codes == empty[0]] = -1
    return out


def shingle_hashes(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every k-character shingle of each text (a text shorter than k is one shingle),
    flat, with row offsets (len(texts) + 1): computed for all texts at once, no per-shingle Python."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    pad = "\0" * (k - 1)  # so a window never reaches into the next text
    chars = np.frombuffer((pad.join(texts) + pad).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate([[0], np.cumsum(lengths + k - 1)[:-1]])
    counts = np.maximum(1, lengths - k + 1)
    positions = np.repeat(starts, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    h = np.zeros(len(positions), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):  # polynomial rolling hash, then a splitmix64 finaliser to spread the bits
            h = h * np.uint64(1_000_003) + chars[positions + i]
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h, np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)
