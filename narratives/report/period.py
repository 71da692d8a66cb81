"""The period a report covers: one ISO week, or a since/until range of days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..errors import NarrativesError, ParameterError
from ..series import week_of, week_range, week_start


class ReportError(NarrativesError):
    """The store has nothing to report for the requested run or period."""


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, the ISO weeks it touches, and how to call it."""

    start: datetime
    end: datetime
    label: str
    weeks: list[str]


def resolve_period(*, week: str | None = None, since: date | None = None, until: date | None = None,
                   default_week: str | None = None,
                   span: tuple[datetime, datetime] | None = None) -> Period:
    """`week`, or `since`/`until` (until inclusive), or the default week (the run's last).

    With `span` (the run's first and last post), the weeks of a since/until range are only those
    the data covers, so a range of centuries costs no more than the data.
    """
    if week and (since or until):
        raise ParameterError("week", "give either week or since/until, not both", week)
    if since or until:
        if not (since and until):
            raise ParameterError("since" if until else "until", "since and until go together", since or until)
        if until < since:
            raise ParameterError("until", f"is before since={since.isoformat()!r}", until.isoformat())
        start = datetime.combine(since, datetime.min.time())
        end = datetime.combine(until, datetime.min.time()) + timedelta(days=1) if until < date.max else datetime.max
        first, last = max(start, span[0]) if span else start, min(end - timedelta(seconds=1), span[1]) if span else \
            end - timedelta(seconds=1)
        weeks = week_range(week_of(first), week_of(last)) if first <= last else []
        return Period(start, end, f"{since.isoformat()} to {until.isoformat()}", weeks)
    week = week or default_week
    if week is None:
        raise ReportError("report: the run has no posts, so there is no week to report")
    start = week_start(week)
    return Period(start, start + timedelta(weeks=1), week.upper(), [week.upper()])
