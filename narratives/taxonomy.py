"""The narrative taxonomy: known narratives (prompts/narratives.yaml), validated on load, and matching a
cluster's centroid to the nearest entry by embedding similarity."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .framing import CLASSIFIERS
from .resources import prompt_path
from .text import normalize_text
from .yamlconf import ConfigError, read_yaml, where

TAXONOMY_THRESHOLD = 0.55
"""Cosine similarity (all-MiniLM-L6-v2) a centroid needs to an entry. On the demo corpus the planted
narratives score 0.61-0.73 and organic political chatter near an entry 0.50-0.59."""
STANCES = ("against", "favor")


@dataclass(frozen=True)
class TaxonomyEntry:
    """A known narrative: what it claims, its stance toward the target, and posts in its voice."""

    id: str
    title: str
    description: str
    stance: str
    examples: tuple[str, ...]
    classifier: str | None = None  # a framing classifier (narratives.framing) a post must pass to count here
    targets: tuple[str, ...] = ()  # candidate ids (registry) the entry is about; empty: any target

    def texts(self) -> list[str]:
        """What its embedding is the mean of."""
        return [normalize_text(t) for t in (self.description, *self.examples)]


@dataclass(frozen=True)
class Taxonomy:
    entries: tuple[TaxonomyEntry, ...]
    file: Path

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def get(self, entry_id: str) -> TaxonomyEntry:
        return next(e for e in self.entries if e.id == entry_id)


_ENTRY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ENTRY_FIELDS = ("id", "title", "description", "stance", "examples")
_OPTIONAL_FIELDS = ("classifier", "targets")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy (default: the packaged prompts/narratives.yaml).

    Errors name the file, line, entry and field: `narratives.yaml:42: entry 3 (hypocrisy): field 'stance': ...`.
    """
    path = Path(path) if path is not None else prompt_path("narratives.yaml")
    data, lines = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("narratives"), list) or not data["narratives"]:
        raise ConfigError(f"{where(path, lines, ('narratives',))}: expected a top-level 'narratives:' list of entries")
    entries: list[TaxonomyEntry] = []
    for i, raw in enumerate(data["narratives"], start=1):
        key = ("narratives", i - 1)
        name = raw.get("id") if isinstance(raw, dict) else None

        def fail(field: str, msg: str) -> ConfigError:
            label = f"entry {i}" + (f" ({name})" if isinstance(name, str) else "")
            return ConfigError(f"{where(path, lines, key + (field,))}: {label}: field '{field}': {msg}")

        if not isinstance(raw, dict):
            raise ConfigError(f"{where(path, lines, key)}: entry {i}: must be a mapping with fields {', '.join(_ENTRY_FIELDS)}")
        for field in _ENTRY_FIELDS:
            if field not in raw:
                raise fail(field, "missing")
        unknown = sorted(set(map(str, raw)) - set(_ENTRY_FIELDS) - set(_OPTIONAL_FIELDS))
        if unknown:
            raise fail(unknown[0], f"unknown field (allowed: {', '.join(_ENTRY_FIELDS + _OPTIONAL_FIELDS)})")
        if not isinstance(name, str) or not _ENTRY_ID.match(name):
            raise fail("id", "must be lower_snake_case")
        if name in {e.id for e in entries}:
            raise fail("id", "duplicate id")
        for field in ("title", "description"):
            if not isinstance(raw[field], str) or not raw[field].strip():
                raise fail(field, "must be a non-empty string")
        if raw["stance"] not in STANCES:
            raise fail("stance", f"must be one of {', '.join(STANCES)}, got {raw['stance']!r}")
        examples = raw["examples"]
        if not isinstance(examples, list) or len(examples) < 2 or not all(isinstance(x, str) and x.strip() for x in examples):
            raise fail("examples", "must be a list of at least 2 example posts (strings)")
        classifier = raw.get("classifier")
        if classifier is not None and classifier not in CLASSIFIERS:
            raise fail("classifier", f"unknown classifier {classifier!r} (known: {', '.join(sorted(CLASSIFIERS))})")
        targets = raw.get("targets", [])
        if not isinstance(targets, list) or not all(isinstance(t, str) and _ENTRY_ID.match(t) for t in targets):
            raise fail("targets", "must be a list of candidate ids (lower_snake_case, as in the candidate registry)")
        entries.append(TaxonomyEntry(name, raw["title"].strip(), " ".join(raw["description"].split()), raw["stance"],
                                     tuple(examples), classifier, tuple(targets)))
    return Taxonomy(tuple(entries), path)


def taxonomy_vectors(taxonomy: Taxonomy, encode) -> np.ndarray:
    """One unit vector per entry: the mean embedding of its description and examples."""
    texts = [e.texts() for e in taxonomy.entries]
    flat = encode([t for group in texts for t in group])
    out, start = [], 0
    for group in texts:
        v = flat[start : start + len(group)].mean(axis=0)
        out.append(v / np.linalg.norm(v))
        start += len(group)
    return np.array(out, dtype=np.float32)


def match_taxonomy(centroids: np.ndarray, entry_vectors: np.ndarray, ids: Sequence[str],
                   threshold: float = TAXONOMY_THRESHOLD) -> list[tuple[str | None, float]]:
    """(entry id or None, best cosine similarity) per centroid; None when the best is under `threshold`."""
    if len(centroids) == 0:
        return []
    sim = centroids @ entry_vectors.T
    best = sim.argmax(axis=1)
    return [(ids[b] if sim[i, b] >= threshold else None, float(sim[i, b])) for i, b in enumerate(best)]
