"""Weekly series: ISO weeks, gap filling, growth and the burst rule on hand-made series."""

from __future__ import annotations

from datetime import datetime

import pytest

from narratives.errors import NarrativesError
from narratives.series import BurstRule, burst_flags, growth, week_of, week_range, week_start, weekly_series


def test_iso_weeks_cross_the_year_boundary():
    assert week_of(datetime(2024, 12, 30, 10)) == "2025-W01"
    assert week_of(datetime(2024, 10, 14)) == "2024-W42"
    assert week_start("2024-W42") == datetime(2024, 10, 14)
    assert week_range("2024-W51", "2025-W02") == ["2024-W51", "2024-W52", "2025-W01", "2025-W02"]
    with pytest.raises(NarrativesError, match="2024-42"):
        week_start("2024-42")


def test_burst_needs_k_times_trailing_median_and_min_count():
    rule = BurstRule(k=3, window=4, min_count=10)
    #          no baseline, flat, 3x median=12 -> burst, below 3x,   small numbers never burst
    counts = [50, 4, 4, 4, 12, 11, 2, 0, 0, 0, 9]
    assert burst_flags(counts, rule) == [False, False, False, False, True, False, False, False, False, False, False]
    # median ignores one earlier spike: history [4, 100, 4, 4] has median 4
    assert burst_flags([4, 100, 4, 4, 12], rule)[-1] is True
    # emergence from nothing with enough posts is a burst
    assert burst_flags([0, 0, 0, 10], rule) == [False, False, False, True]


def test_burst_parameters_change_the_outcome():
    counts = [5, 5, 5, 5, 12]
    assert burst_flags(counts, BurstRule(k=3, window=4, min_count=10))[-1] is False
    assert burst_flags(counts, BurstRule(k=2, window=4, min_count=10))[-1] is True
    assert "max(10, 3 x median of the previous 4 weeks)" in BurstRule().describe()


def test_growth_is_relative_and_undefined_from_zero():
    assert growth(10, 15) == pytest.approx(0.5)
    assert growth(10, 5) == pytest.approx(-0.5)
    assert growth(0, 5) is None


def test_weekly_series_fills_missing_weeks_per_narrative_and_candidate():
    counts = [
        {"narrative_id": "n001", "candidate_id": None, "week": "2024-W40", "posts": 2, "authors": 2,
         "reposts": 1, "likes": 3, "replies": 0},
        {"narrative_id": "n001", "candidate_id": None, "week": "2024-W42", "posts": 20, "authors": 9,
         "reposts": 4, "likes": 30, "replies": 2},
        {"narrative_id": "n001", "candidate_id": "marco_rubio", "week": "2024-W42", "posts": 11, "authors": 5,
         "reposts": 0, "likes": 1, "replies": 0},
    ]
    rows = weekly_series(counts, ["2024-W40", "2024-W41", "2024-W42"])
    overall = [r for r in rows if r["candidate_id"] is None]
    assert [r["posts"] for r in overall] == [2, 0, 20]
    assert [r["growth"] for r in overall] == [None, -1.0, None]
    assert [r["burst"] for r in overall] == [False, False, True]
    rubio = [r for r in rows if r["candidate_id"] == "marco_rubio"]
    assert [(r["week"], r["posts"], r["burst"]) for r in rubio] == [
        ("2024-W40", 0, False), ("2024-W41", 0, False), ("2024-W42", 11, True)]


def test_compute_weekly_puts_earlier_runs_weeks_before_the_runs_own():
    from narratives.series import compute_weekly

    history = [{"narrative_id": "n1", "candidate_id": None, "week": "2024-W38", "posts": 2}]
    counts = [{"narrative_id": "n1", "candidate_id": None, "week": "2024-W41", "posts": 12}]
    rows = compute_weekly(["2024-W40", "2024-W41"], history, counts, BurstRule(k=2, window=4, min_count=10))
    assert [(r["week"], r["posts"], r["burst"]) for r in rows] == [
        ("2024-W38", 2, False), ("2024-W39", 0, False), ("2024-W40", 0, False), ("2024-W41", 12, True)]
    assert compute_weekly([], history, counts) == []
