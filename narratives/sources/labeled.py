"""The labeled-set JSONL of the demo corpus and eval sets: a post plus its gold labels.

Post fields are read as in the generic layout (`id`, `text`, `created_at`, `author`, `platform`, ...);
`narrative`, `targets`, `stance` and `coordinated` go to the `gold` table, which the pipeline never reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Gold, Post, RowError
from .generic import GenericAdapter
from .readers import Row

STANCES = frozenset({"against", "favor", "neutral"})


def _gold(data: dict[str, Any]) -> Gold:
    narrative, targets = data.get("narrative"), data.get("targets")
    stance, coordinated = data.get("stance"), data.get("coordinated")
    if narrative is not None and not (isinstance(narrative, str) and narrative.strip()):
        raise RowError("narrative", "invalid gold label", "narrative must be a taxonomy id or 'none'")
    if targets is not None and not (isinstance(targets, list) and all(isinstance(t, str) for t in targets)):
        raise RowError("targets", "invalid gold label", "targets must be a list of candidate ids")
    if stance is not None and not (isinstance(stance, dict) and all(
            isinstance(k, str) and v in STANCES for k, v in stance.items())):
        raise RowError("stance", "invalid gold label", f"stance must map candidate ids to {sorted(STANCES)}")
    if coordinated is not None and not isinstance(coordinated, bool):
        raise RowError("coordinated", "invalid gold label", "coordinated must be true or false")
    return Gold(narrative.strip() if narrative else None, targets, stance, coordinated)


@dataclass
class LabeledAdapter(GenericAdapter):
    """Generic post fields plus gold labels."""

    name: ClassVar[str] = "labeled"
    description: ClassVar[str] = ("labeled JSONL with id, text, created_at, author, platform and gold keys "
                                  "narrative, targets, stance, coordinated")

    @classmethod
    def matches(cls, columns) -> bool:
        keys = set(columns)
        return "narrative" in keys and super().matches(keys)

    def parse_row(self, row: Row) -> Post:
        post = super().parse_row(row)
        post.gold = _gold(row.data)
        return post
