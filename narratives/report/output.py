"""Writing the report site into a folder: the pages, plus a manifest of them, so that writing again removes
the pages the last build wrote and this one does not (a narrative that is gone) and nothing else.

The manifest (`.narratives-site.json`) lists the files the site wrote, relative to the folder. Only files it
lists, that still look like site pages (index.html, `<folder>/<name>.html`, `narratives-*.md`) and lie inside
the folder are ever removed; a user's own files, and pages of a build that kept no manifest, stay.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

MANIFEST = ".narratives-site.json"


def _site_file(rel: str, folders: tuple[str, ...]) -> bool:
    """Whether `rel` is a path the site could have written (so a tampered manifest cannot aim elsewhere)."""
    pattern = rf"index\.html|narratives-[\w.-]+\.md|(?:{'|'.join(map(re.escape, folders))})/[a-z0-9_-]+\.html"
    return isinstance(rel, str) and re.fullmatch(pattern, rel) is not None


def _previous(out_dir: Path, folders: tuple[str, ...]) -> list[str]:
    try:
        listed = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [rel for rel in listed if _site_file(rel, folders)] if isinstance(listed, list) else []


def write_pages(out_dir: Path, pages: dict[str, str], folders: tuple[str, ...]) -> list[Path]:
    """Write `pages` ({relative path: text}) under `out_dir`, remove the stale pages of the previous build
    there, and record the new manifest. Returns the written paths in the order of `pages`."""
    out_dir = Path(out_dir)
    stale = [rel for rel in _previous(out_dir, folders) if rel not in pages]
    written = []
    for rel, text in pages.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    root = out_dir.resolve()
    for rel in stale:
        path = out_dir / rel
        if path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(root):
            path.unlink()
    for folder in folders:  # a folder the site made and has now emptied
        path = out_dir / folder
        if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()
    (out_dir / MANIFEST).write_text(json.dumps({"files": sorted(pages)}, indent=1) + "\n", encoding="utf-8")
    return written
