"""Read user-edited YAML files (model cards, taxonomy) so errors can name the file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import NarrativesError


class ConfigError(NarrativesError):
    """A YAML file the user edits is missing, malformed or has a bad field."""


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse `path`; return the data and the 1-based line of every mapping key / sequence item.

    Lines are keyed by the path of keys and indexes leading to the node, e.g.
    `("narratives", 3, "stance")`, so validators can point at the exact line.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    lines: dict[tuple, int] = {}
    _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node | None, key: tuple, lines: dict[tuple, int]) -> None:
    if node is None:
        return
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            child = key + (k.value,)
            _walk(v, child, lines)
            lines[child] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _walk(v, key + (i,), lines)


def where(path: Path, lines: dict[tuple, int], key: tuple) -> str:
    """`file:line` of the closest node to `key` that exists (a missing field points at its parent)."""
    while key and key not in lines:
        key = key[:-1]
    line = lines.get(key)
    return f"{path}:{line}" if line else str(path)
