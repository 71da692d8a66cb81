"""The candidate registry: the packaged file loads, and malformed files fail naming file, line, entry and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narratives.candidates import RegistryError, load_registry
from narratives.cli import app
from narratives.errors import NarrativesError
from narratives.store import Store
from narratives.targets import Linker

REQUIRED = ["barry_moore", "michael_mccaul", "marsha_blackburn", "marco_rubio", "gloria_johnson", "donald_trump",
            "mike_pence", "hillary_clinton", "tim_kaine", "joe_biden", "kamala_harris", "jd_vance", "tim_walz",
            "barack_obama", "bernie_sanders", "ted_cruz", "mitch_mcconnell", "chuck_schumer", "nancy_pelosi",
            "kevin_mccarthy", "mike_johnson", "alexandria_ocasio_cortez", "elizabeth_warren", "lindsey_graham",
            "josh_hawley", "rand_paul", "ron_desantis", "nikki_haley", "marjorie_taylor_greene", "adam_schiff",
            "chuck_grassley", "john_thune"]


def test_packaged_registry_covers_the_targets_and_national_figures():
    registry = load_registry()
    assert set(REQUIRED) <= set(registry.ids)
    assert len(registry) >= 40
    assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", cid) for cid in registry.ids)
    moore = registry["barry_moore"]
    assert (moore.party, moore.state, moore.district, moore.office) == ("R", "AL", 1, "representative")
    assert "摩尔" in moore.scripts_ambiguous and moore.negatives
    assert registry["gloria_johnson"].party == "D" and "marsha_blackburn" in registry["gloria_johnson"].related
    assert "卢比奥" in registry["marco_rubio"].scripts
    assert "marcorubio" in registry["marco_rubio"].handles["x"]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cands.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """\
candidates:
  - id: jane_doe
    name: Jane Doe
    office: senator
    state: TN
    party: D
"""


@pytest.mark.parametrize("body, line, field", [
    (GOOD + "    colour: blue\n", 7, "colour"),
    (GOOD.replace("id: jane_doe", "id: Jane Doe"), 2, "id"),
    (GOOD.replace("    name: Jane Doe\n", ""), 2, "name"),
    (GOOD + "    negatives: ['(unclosed']\n", 7, "negatives"),
    (GOOD + "    related: [nobody_here]\n", 7, "related"),
    (GOOD.replace("state: TN", "state: Tennessee"), 5, "state"),
    (GOOD.replace("party: D", "party: Whig"), 6, "party"),
    (GOOD.replace("office: senator", "office: king"), 4, "office"),
    (GOOD + "    aliases: Jane\n", 7, "aliases"),
    (GOOD + "    district: first\n", 7, "district"),
    (GOOD + "    handles: {x: ['not a handle']}\n", 7, "handles"),
    (GOOD + "    surname_alone: sometimes\n", 7, "surname_alone"),
    (GOOD + GOOD.split("\n", 1)[1], 7, "id"),
])
def test_malformed_registry_names_file_line_entry_and_field(tmp_path, body, line, field):
    path = _write(tmp_path, body)
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert f"field {field!r}" in message
    assert "candidate" in message
    assert isinstance(err.value, NarrativesError)


def test_invalid_yaml_and_empty_registry_fail_clearly(tmp_path):
    with pytest.raises(NarrativesError, match=r"cands\.yaml:\d+: invalid YAML"):
        load_registry(_write(tmp_path, "candidates:\n  - id: [unclosed\n"))
    with pytest.raises(NarrativesError, match="non-empty list of candidates"):
        load_registry(_write(tmp_path, "candidates: []\n"))
    with pytest.raises(NarrativesError, match="file not found"):
        load_registry(tmp_path / "missing.yaml")


def test_a_users_own_registry_defines_who_links(tmp_path):
    path = _write(tmp_path, GOOD + "    aliases: [Senator Doe]\n    context: [Knoxville]\n")
    registry = load_registry(path)
    linker = Linker(registry)
    assert [m.candidate_id for m in linker.link("Jane Doe and Senator Doe again")] == ["jane_doe", "jane_doe"]
    assert [m.candidate_id for m in linker.link("Doe spoke in Knoxville about the farm bill")] == ["jane_doe"]
    assert linker.link("Marco Rubio is not in this registry") == []


def test_run_with_a_malformed_registry_fails_before_any_work(tmp_path):
    bad = _write(tmp_path, GOOD.replace("party: D", "party: Whig"))
    Store(tmp_path / "s.duckdb").close()  # `run` refuses a path with no store before reading its options
    result = CliRunner().invoke(app, ["run", "--candidates", str(bad), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code != 0
    assert isinstance(result.exception, RegistryError)
    assert "field 'party'" in str(result.exception)
