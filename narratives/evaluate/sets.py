"""Reading the labeled sets `narratives eval` scores: the layouts of `narratives.sources.labeled_sets`, with
stance targets resolved through the candidate registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..candidates import candidate_resolver
from ..sources.labeled_sets import EvalSet, EvalSetError, read_labeled_set, set_name

__all__ = ["EvalSet", "EvalSetError", "load_eval_set", "set_name"]


def load_eval_set(path: str | Path, resolve_target: Callable[[str], str | None] | None = None) -> EvalSet:
    """A labeled set in any known layout; a stance CSV's target names resolve through the packaged registry
    unless `resolve_target` is given."""
    return read_labeled_set(Path(path), resolve_target or candidate_resolver())
