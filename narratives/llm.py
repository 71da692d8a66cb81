"""Optional LLM labeller: asks an OpenAI-compatible chat-completions endpoint to name a cluster.

Off by default (`narratives run --llm`). Configured by NARRATIVES_LLM_URL (base URL such as
http://localhost:8000/v1, or the full .../chat/completions URL), NARRATIVES_LLM_MODEL,
NARRATIVES_LLM_API_KEY (optional) and NARRATIVES_LLM_TIMEOUT (seconds, default 30).

Post text is adversarial: it is passed only as JSON inside <<<DATA ... DATA>>> delimiters, with
`<` and `>` escaped so no post can close the block, and the system prompt says it is data. The
reply must be one JSON object matching a small schema; anything else (malformed reply, endpoint
down, timeout) returns None and the caller keeps the keyword label.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import NarrativesError
from .taxonomy import Taxonomy
from .resources import prompt_path

log = logging.getLogger(__name__)

MAX_LABEL = 80
MAX_RATIONALE = 300
MAX_POST_CHARS = 500
_REPLY_KEYS = {"label", "taxonomy_id", "rationale"}
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class LLMConfigError(NarrativesError):
    """--llm was asked for but the endpoint settings are missing."""


@dataclass(frozen=True)
class LLMConfig:
    url: str
    model: str
    api_key: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> LLMConfig:
        url, model = os.environ.get("NARRATIVES_LLM_URL"), os.environ.get("NARRATIVES_LLM_MODEL")
        if not url or not model:
            raise LLMConfigError("llm=True needs NARRATIVES_LLM_URL (e.g. http://localhost:8000/v1) and NARRATIVES_LLM_MODEL")
        timeout = os.environ.get("NARRATIVES_LLM_TIMEOUT") or "30"
        try:
            seconds = float(timeout)
        except ValueError:
            raise LLMConfigError(f"NARRATIVES_LLM_TIMEOUT={timeout!r}: must be a number of seconds") from None
        return cls(url, model, os.environ.get("NARRATIVES_LLM_API_KEY") or None, seconds)

    @property
    def endpoint(self) -> str:
        url = self.url.rstrip("/")
        return url if url.endswith("/chat/completions") else url + "/chat/completions"


@dataclass(frozen=True)
class LLMLabel:
    label: str
    taxonomy_id: str | None
    rationale: str = ""


def data_block(keywords: Sequence[str], posts: Sequence[str]) -> str:
    """Keywords and posts as JSON with `<` and `>` escaped, so the text cannot forge the end delimiter."""
    payload = {"keywords": list(keywords), "posts": [p[:MAX_POST_CHARS] for p in posts]}
    return json.dumps(payload, ensure_ascii=False, indent=1).replace("<", "\\u003c").replace(">", "\\u003e")


class LLMLabeller:
    """Names clusters through a chat-completions endpoint; `label` returns None whenever it cannot."""

    def __init__(self, config: LLMConfig, taxonomy: Taxonomy):
        self.config = config
        self.taxonomy = taxonomy
        self.system_prompt = prompt_path("llm_system.txt").read_text(encoding="utf-8")
        self.user_template = prompt_path("llm_label.txt").read_text(encoding="utf-8")

    def messages(self, keywords: Sequence[str], posts: Sequence[str]) -> list[dict]:
        entries = "\n".join(f"- {e.id}: {e.title} ({e.stance}): {e.description}" for e in self.taxonomy.entries)
        user = self.user_template.replace("{taxonomy}", entries).replace("{data}", data_block(keywords, posts))
        return [{"role": "system", "content": self.system_prompt}, {"role": "user", "content": user}]

    def label(self, keywords: Sequence[str], posts: Sequence[str]) -> LLMLabel | None:
        """The model's label for one cluster, or None (logged) when the call or the reply fails."""
        body = json.dumps({"model": self.config.model, "messages": self.messages(keywords, posts),
                           "temperature": 0, "max_tokens": 300}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        request = urllib.request.Request(self.config.endpoint, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:
                reply = json.loads(response.read().decode("utf-8"))
            content = reply["choices"][0]["message"]["content"]
        except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            log.warning("LLM labeller unavailable (%s); keeping keyword labels", exc)
            return None
        parsed = self.parse(content)
        if parsed is None:
            log.warning("LLM labeller reply did not match the schema; keeping keyword labels")
        return parsed

    def parse(self, content: object) -> LLMLabel | None:
        """Validate a reply: one JSON object, label 1-80 chars on one line, a known taxonomy id or null."""
        if not isinstance(content, str):
            return None
        fenced = _FENCE.match(content)
        try:
            obj = json.loads(fenced.group(1) if fenced else content)
        except ValueError:
            return None
        if not isinstance(obj, dict) or not {"label", "taxonomy_id"} <= obj.keys() <= _REPLY_KEYS:
            return None
        label, tax_id, why = obj["label"], obj["taxonomy_id"], obj.get("rationale", "")
        if not isinstance(label, str) or not label.strip() or len(label.strip()) > MAX_LABEL or "\n" in label.strip():
            return None
        if tax_id is not None and tax_id not in self.taxonomy.ids:
            return None
        if not isinstance(why, str) or len(why) > MAX_RATIONALE:
            return None
        return LLMLabel(label.strip(), tax_id, why.strip())
