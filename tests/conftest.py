"""Shared test helpers: real data from ../shared, which must fail rather than skip where CI demands it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REQUIRE_SHARED = "NARRATIVES_REQUIRE_SHARED"


def shared_data(relative: str) -> Path:
    """The path of a real-data file under ../shared/data; a test that needs it calls this first.

    Absent, the test skips, or FAILS when NARRATIVES_REQUIRE_SHARED=1 (set in .ci/run), so real-data
    tests cannot pass silently by not running.
    """
    path = SHARED_DATA / relative
    if not path.exists():
        reason = f"real data not found at {path}"
        if os.environ.get(REQUIRE_SHARED) == "1":
            pytest.fail(f"{REQUIRE_SHARED}=1 but {reason}")
        pytest.skip(reason)
    return path
