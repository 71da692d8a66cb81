"""Source adapters: one module per export layout, a registry, and `detect_format`.

A file is read in two steps. `detect_format` sniffs the container (CSV, JSON lines, one JSON
document, Parquet; gzip and byte-order marks are recognised from the bytes) and picks the layout
from the header or the first record's keys; it reads only the head of the file (plus one pass
over the bytes to settle the encoding) and writes nothing. `Source(...).records()` then streams the rows
through the layout's adapter as `Post` or `Reject` records.

`labeled_sets` reads labeled sets for `narratives eval` with the same readers: our JSONL plus the public
stance-CSV (SemEval-2016, P-Stance) and ISCA layouts, whose adapters also fill the gold labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import NarrativesError
from .base import Adapter, Gold, LayoutError, Post, Reject
from .generic import GenericAdapter, parse_mapping
from .ira538 import Ira538Adapter
from .labeled import LabeledAdapter
from .readers import DecompressionBomb, Reader, is_parquet, open_reader, sniff_container, sniff_encoding
from .x_io import XIoAdapter
from .x_v2 import XV2Adapter

ADAPTERS: dict[str, type[Adapter]] = {
    a.name: a for a in (LabeledAdapter, XV2Adapter, XIoAdapter, Ira538Adapter, GenericAdapter)
}
"""Layouts in the order auto-detection tries them: the most specific header first, generic last."""

CONTAINER_FORMATS = {"csv": ("csv",), "jsonl": ("jsonl", "json"), "parquet": ("parquet",)}
FORMATS = ("auto", *CONTAINER_FORMATS, *(name for name in ADAPTERS if name != "generic"))
"""The values of `--format`: csv/jsonl/parquet mean the generic layout in that container."""

_MAPPED_LAYOUTS = ("generic", "labeled")


@dataclass(frozen=True)
class Detected:
    """What `detect_format` found: the layout, the container, the text encoding and the columns."""

    path: Path
    layout: str
    container: str
    encoding: str | None
    columns: tuple[str, ...]


def _expected() -> str:
    return "; ".join(f"{name}: {adapter.description}" for name, adapter in ADAPTERS.items())


def _container(path: Path) -> tuple[str, str | None]:
    if is_parquet(path):
        return "parquet", None
    try:
        encoding = sniff_encoding(path)
    except (OSError, EOFError) as exc:
        hint = "" if isinstance(exc, DecompressionBomb) else "; a truncated or corrupt .gz?"
        raise LayoutError(f"{path}: cannot read ({exc}){hint}") from exc
    container = sniff_container(path, encoding)
    if container == "binary":
        raise LayoutError(f"{path}: not a CSV, JSON, JSON-lines or Parquet file (binary content); "
                          f"expected one of: {_expected()}")
    return container, encoding


def _columns(path: Path, container: str, encoding: str | None) -> list[str]:
    try:
        with open_reader(path, container, encoding or "utf-8") as reader:
            return reader.columns
    except ValueError as exc:
        raise LayoutError(f"{path}: not readable as {container}: {exc}; expected one of: {_expected()}") from exc
    except (OSError, EOFError) as exc:
        raise LayoutError(f"{path}: cannot read ({exc})") from exc


def detect_format(path: str | Path, format: str = "auto", mapping: dict[str, str] | None = None) -> Detected:
    """Sniff the container and choose the layout; a LayoutError (one line, naming the file) if none fits."""
    path = Path(path)
    if format not in FORMATS:
        raise NarrativesError(f"unknown format {format!r} (choose from {', '.join(FORMATS)})")
    if not path.is_file():
        problem = "not a file (give the files, not a folder)" if path.exists() else "no such file"
        raise NarrativesError(f"{path}: {problem}")
    container, encoding = _container(path)
    if format in CONTAINER_FORMATS and container not in CONTAINER_FORMATS[format]:
        raise LayoutError(f"{path}: --format {format} but the file looks like {container}")
    columns = _columns(path, container, encoding)
    if format in CONTAINER_FORMATS:
        layout = "generic"
    elif format != "auto":
        layout = format
    elif mapping:
        layout = "labeled" if LabeledAdapter.matches(columns) else "generic"
    else:
        layout = next((name for name, adapter in ADAPTERS.items() if adapter.matches(columns)), "")
        if not layout:
            raise LayoutError(f"{path}: not a recognised layout (columns: {', '.join(columns[:20]) or 'none'}); "
                              f"expected one of: {_expected()}")
    if mapping and layout not in _MAPPED_LAYOUTS:
        raise LayoutError(f"{path}: --map applies to csv/jsonl/parquet and labeled files, not {layout}")
    return Detected(path, layout, container, encoding, tuple(columns))


class Source:
    """An open file in a known layout: iterate `records()`; `position()` / `size` drive the progress bar."""

    def __init__(self, detected: Detected, platform: str | None = None, mapping: dict[str, str] | None = None):
        self.detected = detected
        adapter_cls = ADAPTERS[detected.layout]
        self.adapter: Adapter = (adapter_cls(platform=platform, mapping=dict(mapping or {}))
                                 if issubclass(adapter_cls, GenericAdapter) else adapter_cls(platform=platform))
        self.reader: Reader = open_reader(detected.path, detected.container, detected.encoding or "utf-8")
        try:
            self.adapter.bind(detected.path, self.reader.columns)
        except BaseException:
            self.reader.close()
            raise

    @property
    def size(self) -> int:
        return self.reader.size

    def position(self) -> int:
        return self.reader.position()

    def records(self) -> Iterator[Post | Reject]:
        """Posts and rejects in file order; a file that breaks off mid-way is a LayoutError (the ingest rolls back)."""
        try:
            yield from self.adapter.records(self.reader)
        except (OSError, EOFError) as exc:
            raise LayoutError(f"{self.detected.path}: cannot read past byte {self.position()} ({exc})") from exc

    def close(self) -> None:
        self.reader.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_source(detected: Detected, platform: str | None = None, mapping: dict[str, str] | None = None) -> None:
    """Open and bind without reading rows, so every file's layout problem surfaces before anything is written."""
    with Source(detected, platform, mapping):
        pass


__all__ = [
    "ADAPTERS", "FORMATS", "Detected", "Gold", "LayoutError", "Post", "Reject", "Source", "check_source",
    "detect_format", "parse_mapping",
]
