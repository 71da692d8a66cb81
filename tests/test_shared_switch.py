"""The switch that makes real-data tests fail instead of skip (NARRATIVES_REQUIRE_SHARED=1, set in .ci/run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.outcomes import Failed, Skipped

from conftest import REQUIRE_SHARED, shared_data


def test_missing_real_data_skips_by_default_and_fails_when_required(monkeypatch):
    monkeypatch.delenv(REQUIRE_SHARED, raising=False)
    with pytest.raises(Skipped):
        shared_data("no/such/file.csv")
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    with pytest.raises(Failed, match="NARRATIVES_REQUIRE_SHARED=1"):
        shared_data("no/such/file.csv")


def test_ci_sets_the_switch():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {REQUIRE_SHARED}=1" in ci
