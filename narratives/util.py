"""Small helpers for any module to use; inside the package they depend only on `errors`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from .errors import NarrativesError


def none_if_nan(value: Any) -> Any:
    """None for a missing value (None or a float NaN from pandas), else the value itself."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def read_weights(path: str | Path, fmt: str, what: str, rebuild: str) -> dict:
    """The JSON object of a shipped weights file whose "format" field is `fmt`.

    A missing file, invalid JSON or another format is a one-line `NarrativesError` naming the file (and
    the line of a JSON error); `what` names the artefact and `rebuild` the command that rebuilds it.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NarrativesError(f"{path}: {what} not found (rebuild it: {rebuild})") from None
    except json.JSONDecodeError as exc:
        raise NarrativesError(f"{path}:{exc.lineno}: {what} is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise NarrativesError(f"{path}: field 'format': not a narratives {what} ({fmt})")
    return data


def class_probabilities(z: np.ndarray) -> np.ndarray:
    """Class probabilities from a linear model's decision values `z` (n x k): the logistic of the one column
    of a two-class model (the second class's probability), else a numerically stable softmax."""
    if z.shape[1] == 1:
        p = 1.0 / (1.0 + np.exp(-z[:, 0]))
        return np.column_stack([1.0 - p, p])
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
