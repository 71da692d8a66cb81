"""Weekly series per narrative and per narrative x candidate: volume, growth and bursts.

Weeks are ISO weeks in UTC (`2024-W42`), the unit of the weekly job. A week is a *burst* when its
post count is at least max(min_count, k x the median count of the previous `window` weeks): the
median ignores one earlier spike, the multiplier asks for a clear jump, and min_count keeps a
narrative going from 1 to 3 posts from being called a burst. A week with no earlier week in the
series has no baseline and is never a burst. Weeks without posts count as 0, so a narrative that
appears from nothing with min_count posts or more bursts in its first week.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .errors import NarrativesError

_COUNTS = ("posts", "authors", "reposts", "likes", "replies")
MAX_SERIES_WEEKS = 520
"""A stored weekly series covers at most this many weeks (ten years), ending with the run's last week.
Ingest already rejects implausible dates; this bounds every per-week structure by the data, however
far apart its first and last posts are."""


@dataclass(frozen=True)
class BurstRule:
    """Parameters of the burst rule (see the module docstring); reported in every report's methods."""

    k: float = 3.0
    window: int = 4
    min_count: int = 10

    def describe(self) -> str:
        return (f"a week is a burst when posts >= max({self.min_count}, {self.k:g} x median of the "
                f"previous {self.window} weeks)")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_week(week: str) -> tuple[int, int]:
    """`2024-W42` -> (2024, 42); a clear error for anything else."""
    try:
        year, num = week.upper().split("-W")
        date.fromisocalendar(int(year), int(num), 1)
        return int(year), int(num)
    except ValueError:
        raise NarrativesError(f"week {week!r}: expected an ISO week like 2024-W42") from None


def week_start(week: str) -> datetime:
    """Monday 00:00 (UTC, naive like the store's timestamps) of an ISO week."""
    year, num = parse_week(week)
    return datetime.combine(date.fromisocalendar(year, num, 1), datetime.min.time())


def week_of(moment: datetime | date) -> str:
    """The ISO week containing a moment."""
    year, num, _ = moment.isocalendar()
    return f"{year}-W{num:02d}"


def week_range(first: str, last: str, limit: int | None = None) -> list[str]:
    """Every ISO week from `first` to `last` inclusive; with `limit`, only the last `limit` of them."""
    start, stop = week_start(first), week_start(last)
    n = (stop - start).days // 7 + 1
    if limit is not None and n > limit:
        start, n = stop - timedelta(weeks=limit - 1), limit
    return [week_of(start + timedelta(weeks=i)) for i in range(max(n, 0))]


def growth(previous: int, current: int) -> float | None:
    """Relative change versus the previous week; None when the previous week had no posts."""
    return None if previous == 0 else (current - previous) / previous


def burst_flags(counts: Sequence[int], rule: BurstRule = BurstRule()) -> list[bool]:
    """Apply the burst rule to a weekly count series (consecutive weeks, zeros included)."""
    flags = []
    for i, count in enumerate(counts):
        history = counts[max(0, i - rule.window):i]
        flags.append(bool(history) and count >= max(rule.min_count, rule.k * statistics.median(history)))
    return flags


def weekly_series(counts: Iterable[dict[str, Any]], weeks: Sequence[str],
                  rule: BurstRule = BurstRule()) -> list[dict[str, Any]]:
    """Fill every week of `weeks` for each (narrative_id, candidate_id) found in `counts` (rows as
    returned by `Store.weekly_counts`), and add growth and burst."""
    grouped: dict[tuple[str, str | None], dict[str, dict[str, Any]]] = {}
    for row in counts:
        grouped.setdefault((row["narrative_id"], row["candidate_id"]), {})[row["week"]] = row
    out = []
    for (narrative_id, candidate_id), by_week in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        filled = [{c: int(by_week.get(w, {}).get(c) or 0) for c in _COUNTS} for w in weeks]
        posts = [f["posts"] for f in filled]
        flags = burst_flags(posts, rule)
        for i, (week, values) in enumerate(zip(weeks, filled)):
            out.append({"narrative_id": narrative_id, "candidate_id": candidate_id, "week": week, **values,
                        "growth": growth(posts[i - 1], posts[i]) if i else None, "burst": flags[i]})
    return out


def compute_weekly(present: Sequence[str], history: Iterable[dict[str, Any]], counts: Iterable[dict[str, Any]],
                   rule: BurstRule = BurstRule()) -> list[dict[str, Any]]:
    """The weekly series of a run: the weeks of its posts (`present`, sorted), preceded by the weeks
    earlier runs counted for the same narrative ids (`history`, rows like `counts`), so a run over one
    new week (`since` a Monday) still has the history that growth, bursts and emergence need.
    `counts` are the run's own rows (narrative_id, candidate_id, week, posts, authors, ...)."""
    if not present:
        return []
    history = list(history)
    first = min([present[0], *(r["week"] for r in history)])
    return weekly_series([*history, *counts], week_range(first, present[-1], limit=MAX_SERIES_WEEKS), rule)
