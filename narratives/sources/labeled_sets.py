"""Labeled sets (posts with gold labels): our JSONL format plus adapters for common public layouts.

Researchers score a narrative map on hand-labeled data before they publish; most of that data
comes in a few public layouts. Each layout here is a source adapter (`narratives.sources`) that
also fills the gold labels, so a set is read with the same readers, checks and reject records as
`narratives ingest`, and its posts go through the same stages as `narratives run`.

- labeled: the project's JSONL format (eval/README.md), gold narrative/targets/stance/coordinated.
- stance_csv: one post, one target, one stance per row, as in SemEval-2016 Task 6
  (`ID, Target, Tweet, Stance, ...`) and P-Stance (`tweet, target, label`). Target names are
  resolved by the caller's `resolve_target` (the candidate registry); rows about anything else are rejected, not guessed.
  Stance NONE is "neutral". These layouts carry no date: their posts get one fixed date and the
  set has no time metrics.
- isca: the ISCA "Antisemitism on Twitter" gold standard (`ID, Username, CreateDate, Biased,
  Keyword, Text`): Biased = 1 is gold narrative `antisemitic_tropes`, else `none`.

`narratives eval` reads sets through `narratives.evaluate.load_eval_set`, which resolves stance targets
through the candidate registry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from ..errors import NarrativesError
from .base import Adapter, Gold, LayoutError, Post, Reject, RowError, check_id, check_text
from .fields import opt_str, parse_datetime
from .labeled import LabeledAdapter
from .readers import Row, is_parquet, open_reader, sniff_container, sniff_encoding

ANTISEMITIC = "antisemitic_tropes"
UNDATED = datetime(2001, 1, 1)
"""The date given to posts of layouts without one (a Monday, so the set is one ISO week)."""

STANCE_VALUES = {"favor": "favor", "against": "against", "none": "neutral", "neutral": "neutral"}


class EvalSetError(NarrativesError):
    """A labeled set cannot be read (unknown layout, no usable row)."""


def _column(columns: Iterable[str], *names: str) -> str | None:
    """The first column whose name matches one of `names`, ignoring case and surrounding space."""
    lowered = {c.strip().lower(): c for c in columns}
    return next((lowered[n] for n in names if n in lowered), None)


@dataclass
class StanceCsvAdapter(Adapter):
    """SemEval-2016 Task 6 / P-Stance style rows: text, target name, stance (column names in any case)."""

    resolve_target: Callable[[str], str | None] = field(default=lambda name: None)

    name: ClassVar[str] = "stance_csv"
    description: ClassVar[str] = "a stance CSV with text (Tweet/text), Target and Stance/label columns"
    TEXT: ClassVar[tuple[str, ...]] = ("tweet", "text")
    TARGET: ClassVar[tuple[str, ...]] = ("target",)
    STANCE: ClassVar[tuple[str, ...]] = ("stance", "label")

    @classmethod
    def matches(cls, columns: Iterable[str]) -> bool:
        columns = list(columns)
        return all(_column(columns, *names) for names in (cls.TEXT, cls.TARGET, cls.STANCE))

    def bind(self, path: Path, columns: list[str]) -> None:
        if not self.matches(columns):
            raise LayoutError(f"{path}: not a {self.name} file ({self.description}; found {', '.join(columns[:20])})")
        self.columns = columns
        self._text = _column(columns, *self.TEXT)
        self._target = _column(columns, *self.TARGET)
        self._stance = _column(columns, *self.STANCE)
        self._id = _column(columns, "id")
        self._date = _column(columns, "created_at", "date", "createdate")
        self._author = _column(columns, "author", "username", "user")

    def parse_row(self, row: Row) -> Post:
        data = row.data
        text = check_text(data.get(self._text), self._text)
        target_name = (opt_str(data.get(self._target)) or "").strip()
        candidate = self.resolve_target(target_name)
        if candidate is None:
            raise RowError(self._target, "target is not a registered candidate", repr(target_name)[:200])
        raw_stance = (opt_str(data.get(self._stance)) or "").lower()
        if raw_stance not in STANCE_VALUES:
            raise RowError(self._stance, "unknown stance", f"{raw_stance!r}: expected FAVOR, AGAINST or NONE")
        post_id = check_id(data.get(self._id), self._id) if self._id else f"L{row.line}"
        created = parse_datetime(data[self._date], self._date) if self._date and data.get(self._date) else UNDATED
        return Post(
            platform=self.platform_for(), post_id=post_id, created_at=created, text=text,
            author_handle=opt_str(data.get(self._author)) if self._author else None,
            gold=Gold(narrative=None, targets=[candidate], stance={candidate: STANCE_VALUES[raw_stance]},
                      coordinated=None),
        )


@dataclass
class IscaAdapter(Adapter):
    """ISCA antisemitism gold standard: Biased = 1 marks an antisemitic post."""

    name: ClassVar[str] = "isca"
    required: ClassVar[tuple[str, ...]] = ("ID", "Username", "CreateDate", "Biased", "Text")
    description: ClassVar[str] = "the ISCA antisemitism layout (ID, Username, CreateDate, Biased, Keyword, Text)"

    def parse_row(self, row: Row) -> Post:
        data = row.data
        biased = (opt_str(data.get("Biased")) or "").strip()
        if biased not in ("0", "1"):
            raise RowError("Biased", "expected 0 or 1", repr(data.get("Biased"))[:200])
        return Post(
            platform=self.platform_for(), post_id=check_id(data.get("ID"), "ID"),
            created_at=parse_datetime(data.get("CreateDate"), "CreateDate"),
            text=check_text(data.get("Text"), "Text"), author_handle=opt_str(data.get("Username")),
            gold=Gold(narrative=ANTISEMITIC if biased == "1" else "none", targets=None, stance=None, coordinated=None),
        )


@dataclass
class EvalSet:
    """A labeled set in memory: its posts (each with `gold`) and the rows that could not be read."""

    name: str
    path: Path
    layout: str
    posts: list[Post]
    rejects: list[Reject]

    def has(self, what: str) -> bool:
        """Whether any post carries gold for `what` (narrative, targets, stance, coordinated)."""
        return any(getattr(p.gold, what) is not None for p in self.posts)

    @property
    def dated(self) -> bool:
        """False for layouts without dates: their time metrics would be meaningless."""
        return self.layout != StanceCsvAdapter.name or any(p.created_at != UNDATED for p in self.posts)

    def reject_summary(self) -> dict[str, int]:
        """How many rows were rejected, per field and reason."""
        return dict(Counter(f"{r.field}: {r.reason}" for r in self.rejects).most_common())


def set_name(path: Path) -> str:
    """`eval/downballot_2024.jsonl` -> `downballot_2024` (compression and format suffixes dropped)."""
    name = path.name
    while True:
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix.lower() not in {"gz", "jsonl", "json", "csv", "tsv", "parquet"}:
            return re.sub(r"[^\w.-]+", "_", name)
        name = stem


LAYOUTS: tuple[type[Adapter], ...] = (LabeledAdapter, IscaAdapter, StanceCsvAdapter)


def read_labeled_set(path: Path, resolve_target: Callable[[str], str | None]) -> EvalSet:
    """Read a labeled set in any known layout; rows that cannot be read become rejects (line, field, reason).

    `resolve_target` maps a stance CSV's target name ("Hillary Clinton") to a candidate id, or None for a
    target that is not a candidate (`narratives.candidates.candidate_resolver` reads the registry).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such labeled set")
    encoding = sniff_encoding(path)
    container = "parquet" if is_parquet(path) else sniff_container(path, encoding)
    if container == "binary":
        raise EvalSetError(f"{path}: not a text or Parquet file")
    with open_reader(path, container, encoding) as reader:
        columns = list(reader.columns)
        layout = next((cls for cls in LAYOUTS if cls.matches(columns)), None)
        if layout is None:
            raise EvalSetError(
                f"{path}: not a labeled set in a known layout (labeled JSONL with gold keys, stance CSV with "
                f"text/target/stance columns, or ISCA); found columns {', '.join(columns[:20]) or 'none'}"
            )
        adapter = (StanceCsvAdapter(resolve_target=resolve_target)
                   if layout is StanceCsvAdapter else layout())
        adapter.bind(path, columns)
        posts: list[Post] = []
        rejects: list[Reject] = []
        seen: set[tuple[str, str]] = set()
        for record in adapter.records(reader):
            if isinstance(record, Reject):
                rejects.append(record)
            elif (record.platform, record.post_id) in seen:
                rejects.append(Reject(record.source_line, "id", "duplicate post id", record.post_id))
            else:
                seen.add((record.platform, record.post_id))
                posts.append(record)
    if not posts:
        summary = "; ".join(f"line {r.line}: {r.field}: {r.reason}" for r in rejects[:3])
        raise EvalSetError(f"{path}: no usable rows in the {adapter.name} layout ({summary or 'empty file'})")
    return EvalSet(set_name(path), path, adapter.name, posts, rejects)
