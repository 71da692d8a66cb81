"""Small helpers with no dependencies inside the package, for any module to use."""

from __future__ import annotations

from typing import Any


def none_if_nan(value: Any) -> Any:
    """None for a missing value (None or a float NaN from pandas), else the value itself."""
    return None if value is None or (isinstance(value, float) and value != value) else value
