"""Read user-edited YAML files (model cards, taxonomy, candidate registry) so errors can name the file,
line and field.

`read_yaml` is the one YAML reader of the package, and it is safe on hostile files: no aliases
(a "billion laughs" file expands exponentially), at most MAX_YAML_DEPTH levels of nesting and
MAX_YAML_BYTES of UTF-8 text, only plain YAML types (SafeLoader), and a regular file; anything
else is a one-line ConfigError naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import NarrativesError

MAX_YAML_BYTES = 8 << 20
MAX_YAML_DEPTH = 64


class ConfigError(NarrativesError):
    """A YAML file the user edits is missing, malformed or has a bad field."""


class _Refused(yaml.YAMLError):
    def __init__(self, problem: str, mark):
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing (before anything is built)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(f"YAML aliases (*{event.anchor}) are not allowed in narratives files", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _Refused(f"nested deeper than {MAX_YAML_DEPTH} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _read_text(path: Path) -> str:
    try:
        if path.is_dir():
            raise ConfigError(f"{path}: is a folder, not a YAML file")
        if path.exists() and not path.is_file():
            raise ConfigError(f"{path}: not a regular file")
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise ConfigError(f"{path}: {size} bytes, larger than the {MAX_YAML_BYTES >> 20} MiB a YAML file may have")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                          "save it as UTF-8") from None


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse `path`; return the data and the 1-based line of every mapping key / sequence item.

    Lines are keyed by the path of keys and indexes leading to the node, e.g.
    `("narratives", 3, "stance")`, so validators can point at the exact line.
    """
    path = Path(path)
    text = _read_text(path)
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    except (ValueError, OverflowError, TypeError) as exc:  # a scalar the constructor cannot build (a 5000-digit int)
        raise ConfigError(f"{path}: invalid YAML: {str(exc).splitlines()[0][:200]}") from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node | None, key: tuple, lines: dict[tuple, int]) -> None:
    if node is None:
        return
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            child = key + (_hashable(k.value),)
            _walk(v, child, lines)
            lines[child] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _walk(v, key + (i,), lines)


def _hashable(value: Any) -> Any:
    """A mapping key's node value (a complex key is a list of nodes): something usable in a tuple key."""
    return value if isinstance(value, str) else repr(value)[:100]


def where(path: Path, lines: dict[tuple, int], key: tuple) -> str:
    """`file:line` of the closest node to `key` that exists (a missing field points at its parent)."""
    while key and key not in lines:
        key = key[:-1]
    line = lines.get(key)
    return f"{path}:{line}" if line else str(path)
