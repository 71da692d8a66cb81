"""Text normalisation shared by ingest (text_hash) and embed (what is embedded).

Influence operations copy-paste: the same message arrives with different t.co links, spacing,
case or an `RT @user:` prefix. Normalising before hashing lets the embed stage embed each
message once and lets coordination spot copies.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_RT = re.compile(r"^\s*rt\s+@\w+:?\s*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def normalize_text(text: str) -> str:
    """Canonical form of a post's text: NFKC, invisible marks and URLs removed, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = _RT.sub("", text)
    text = _URL.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower()


def text_hash(text: str) -> str:
    """Stable 16-byte hex digest of the normalised text: the key of the embedding cache."""
    return hashlib.blake2b(normalize_text(text).encode("utf-8"), digest_size=16).hexdigest()
