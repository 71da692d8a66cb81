"""What a stored run found, read back as plain values: narratives, one narrative, candidates' narratives.

The read side of the public API (`narratives.list_narratives`, `show_narrative`,
`candidate_narratives`) and of the CLI's `list`, `show` and `targets`; each result has `to_dict()`
(JSON-ready: timestamps as ISO strings) for `--json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from .errors import NarrativesError
from .util import none_if_nan

NARRATIVE_FIELDS = ("id", "label", "status", "taxonomy_id", "taxonomy_score", "n_posts", "share", "keywords",
                    "first_seen", "last_seen")
CANDIDATE_WEEK_COLUMNS = ["candidate_id", "narrative_id", "label", "taxonomy_id", "week", "posts", "against"]


def _json(value: Any) -> Any:
    """A stored value as JSON: NaN/None -> None, timestamps -> ISO strings, numpy scalars/arrays -> Python."""
    value = none_if_nan(value)
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return value


def narrative_record(row: dict[str, Any], *, examples: bool = False) -> dict[str, Any]:
    """One narrative row of the store as a JSON-ready dict (`id` = narrative_id)."""
    out = {"id": row["narrative_id"]}
    for name in NARRATIVE_FIELDS[1:]:
        out[name] = _json(row.get(name))
    out["keywords"] = [str(k) for k in (out["keywords"] or [])]
    if examples:
        out["examples"] = [{k: _json(v) for k, v in ex.items()} for ex in row.get("examples") or []]
    return out


@dataclass
class NarrativeList:
    """The narratives of one run, largest first (the store's columns; centroids left out)."""

    run_id: str
    narratives: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id,
                "narratives": [narrative_record(r) for r in self.narratives.to_dict("records")]}


@dataclass
class NarrativeDetail:
    """One narrative of a run: its stored row (label, taxonomy, keywords, examples) and posts per week."""

    run_id: str
    narrative: dict[str, Any]
    weekly: pd.DataFrame  # week (Monday, a date), posts

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, **narrative_record(self.narrative, examples=True),
                "weekly": [{"week": _json(w), "posts": int(n)} for w, n in zip(self.weekly["week"], self.weekly["posts"])]}


@dataclass
class CandidateNarratives:
    """Per candidate x narrative x ISO week: posts mentioning the candidate, and how many against."""

    run_id: str
    rows: pd.DataFrame  # CANDIDATE_WEEK_COLUMNS

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id,
                "rows": [{k: _json(v) for k, v in r.items()} for r in self.rows.to_dict("records")]}


def list_narratives(store, run_id: str | None = None, *, children: bool = False) -> NarrativeList:
    """The narratives of a run (default: the latest finished run), largest first; with `children`,
    each family followed by its sub-narratives."""
    run_id = store.resolve_run(run_id)
    return NarrativeList(run_id, store.run_narratives(run_id, children=children))


def show_narrative(store, narrative_id: str, run_id: str | None = None) -> NarrativeDetail:
    """One narrative of a run (default: the latest) with its weekly post counts."""
    run_id = store.resolve_run(run_id)
    frame = store.run_narratives(run_id, children=True)  # a sub-narrative can be shown too
    row = frame[frame["narrative_id"] == narrative_id]
    if row.empty:
        raise NarrativesError(f"run {run_id} has no narrative {narrative_id!r} (see `narratives list`)")
    return NarrativeDetail(run_id, row.iloc[0].to_dict(), store.narrative_weekly_counts(run_id, narrative_id))


def candidate_narratives(store, run_id: str | None = None, candidate_id: str | None = None) -> CandidateNarratives:
    """Per candidate (or only `candidate_id`), the narratives aimed at them and their weekly counts."""
    run_id = store.resolve_run(run_id)
    rows = pd.DataFrame(store.candidate_weekly(run_id, candidate_id), columns=CANDIDATE_WEEK_COLUMNS)
    if candidate_id is not None and rows.empty:
        raise NarrativesError(f"run {run_id} has no narrative posts mentioning {candidate_id!r}")
    return CandidateNarratives(run_id, rows)
