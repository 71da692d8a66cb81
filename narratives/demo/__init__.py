"""The built-in demo corpus: a simulated 2024 down-ballot bot campaign with gold labels.

It lets every stage (ingest, run, targets, track, report, coordination, eval) be exercised
offline on data we wrote ourselves, with known answers. See `plan.py` for the planted dynamics.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..errors import NarrativesError
from .generator import BURSTS, RU_BURSTS, WEEKLY_PLAN, generate

__all__ = ["BURSTS", "RU_BURSTS", "WEEKLY_PLAN", "generate", "summarize", "write_jsonl"]


def write_jsonl(path: str | Path, seed: int = 7) -> list[dict]:
    """Write the corpus for `seed` to `path` (one JSON object a line, UTF-8) and return the posts."""
    posts = generate(seed)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for post in posts:
                fh.write(json.dumps(post, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise NarrativesError(f"{path}: cannot write the demo corpus ({exc.strerror or exc})") from None
    return posts


def summarize(posts: list[dict]) -> dict[str, Counter]:
    """Counts a reader checks first: posts per narrative, language, and coordinated flag."""
    return {
        "narrative": Counter(p["narrative"] for p in posts),
        "lang": Counter(p.get("lang") for p in posts),
        "coordinated": Counter(bool(p["coordinated"]) for p in posts),
    }
