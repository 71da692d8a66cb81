"""Locate the files users edit (prompts/, models/) whether installed as a wheel or from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the packaged copy of a top-level data folder (`prompts` or `models`).

    A wheel carries them under `narratives/_data/`; an editable install or a checkout reads
    the folders beside the package, so edits to `prompts/` take effect without reinstalling.
    """
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    beside = _PACKAGE.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"narratives data folder {name!r} not found (looked in {packaged} and {beside})")


def prompt_path(filename: str) -> Path:
    """Path of a default file under `prompts/` (taxonomy, candidate registry, LLM templates)."""
    return data_dir("prompts") / filename
