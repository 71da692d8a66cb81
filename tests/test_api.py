"""The public API: the README snippet runs as written, RunConfig is stored with the run, errors name parameters."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import narratives as nv
from narratives.cli import app
from narratives.cli.common import flag_for
from narratives.config import OPTIONS, CoordinationConfig, DiscoveryConfig, RunConfig, TrackingConfig
from narratives.demo import generate
from narratives.errors import ParameterError
from narratives.series import BurstRule

REPO = Path(__file__).resolve().parent.parent


def readme_snippet() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- api-snippet -->\s*```python\n(.*?)```\s*<!-- /api-snippet -->", text, re.S)
    assert block, "README.md has no <!-- api-snippet --> python block"
    return block.group(1)


def test_import_is_fast_and_lazy():
    code = "import sys, narratives; print(sorted(m for m in ('duckdb', 'torch', 'pandas', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_api_functions_stay_bound_although_modules_share_their_names():
    import narratives.evaluate.harness  # noqa: F401 (importing the submodules must not rebind the names)
    import narratives.ingest  # noqa: F401

    assert callable(nv.ingest) and nv.ingest.__module__ == "narratives.api"
    assert callable(nv.evaluate) and nv.evaluate.__module__ == "narratives.evaluate.harness"
    from narratives.ingest import ingest_file  # the modules stay importable
    from narratives.evaluate import score_run

    assert callable(ingest_file) and callable(score_run)


def test_run_config_round_trips_and_takes_short_options():
    config = RunConfig(seed=3, discovery=DiscoveryConfig(min_cluster_size=20),
                       tracking=TrackingConfig(burst=BurstRule(k=2.0, window=3, min_count=5)))
    assert RunConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    changed = RunConfig().with_options(sample_size=1000, burst_k=2.5, model_path=Path("/m"),
                                       coordination=CoordinationConfig().with_overrides({"co_post.window_s": 60}))
    assert changed.discovery.sample_size == 1000 and changed.tracking.burst.k == 2.5
    assert changed.coordination.co_post.window_s == 60 and changed.embed.model_path == "/m"
    assert changed.coordination.co_repost == CoordinationConfig().co_repost
    assert RunConfig().discovery.sample_size != 1000  # the default itself is untouched
    # every short option lands on a real field
    defaults = RunConfig().to_dict()
    for option, path in OPTIONS.items():
        section = defaults
        for key in path.split("."):
            assert key in section, f"{option} -> {path}: no such field"
            section = section[key]
    with pytest.raises(ParameterError, match="unknown setting"):
        RunConfig.from_dict({"discovery": {"sample_sise": 10}})
    with pytest.raises(ParameterError, match="unknown option"):
        RunConfig().with_options(smaple_size=10)


@pytest.mark.parametrize(("options", "parameter", "flag"), [
    ({"sample_size": 1}, "discovery.sample_size", "--sample-size"),
    ({"burst_k": 0}, "tracking.burst.k", "--burst-k"),
    ({"coordination": {"jaccard": 2.0}}, "coordination.jaccard", "--coordination jaccard"),
    ({"match_threshold": 2.0}, "tracking.match_threshold", "--match-threshold"),
])
def test_invalid_settings_name_the_parameter_and_the_cli_names_the_flag(options, parameter, flag):
    with pytest.raises(ParameterError) as caught:
        RunConfig().with_options(**options).validate()
    assert caught.value.parameter == parameter and str(caught.value).startswith(parameter)
    assert flag_for(parameter) == flag
    assert caught.value.for_name(flag).startswith(flag + " ")


def test_cli_prints_library_parameter_errors_with_flags(tmp_path):
    db = tmp_path / "s.duckdb"
    cmd = [sys.executable, "-c", "from narratives.cli import main; main()", "run", "--db", str(db),
           "--since", "yesterday"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 1
    assert "--since 'yesterday': expected a date" in out.stderr and "since=" not in out.stderr
    with pytest.raises(ParameterError, match="since='yesterday'"):
        with nv.open_store(db) as store:
            nv.run(store, since="yesterday")


@pytest.mark.slow
def test_readme_snippet_runs_and_list_json_prints_every_narrative(tmp_path, monkeypatch):
    with (tmp_path / "demo.jsonl").open("w", encoding="utf-8") as fh:  # an eighth of the demo keeps the test quick
        fh.writelines(json.dumps(post, ensure_ascii=False) + "\n" for post in generate(7)[::8])
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(readme_snippet(), "README.md", "exec"), namespace)  # noqa: S102 (our own README)
    store, result = namespace["s"], namespace["r"]
    assert sorted(p.name for p in (tmp_path / "rep").iterdir()) == ["narratives-2024-W42.html",
                                                                    "narratives-2024-W42.md"]
    assert "2024-W42" in (tmp_path / "rep" / "narratives-2024-W42.md").read_text(encoding="utf-8")
    assert result.report_paths and all(p.exists() for p in result.report_paths)
    stored = store.run_record(result.run_id)["params"]["config"]
    assert RunConfig.from_dict(stored) == RunConfig() == result.config
    store.close()

    listed = CliRunner().invoke(app, ["list", "--json", "--db", "x.duckdb"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.output)
    assert data["run_id"] == result.run_id
    assert [n["id"] for n in data["narratives"]] == result.narratives["narrative_id"].tolist()
    assert [n["n_posts"] for n in data["narratives"]] == result.narratives["n_posts"].tolist()
    assert all(isinstance(n["label"], str) and n["label"] for n in data["narratives"])
    first = data["narratives"][0]["id"]
    shown = CliRunner().invoke(app, ["show", first, "--json", "--db", "x.duckdb"])
    detail = json.loads(shown.output)
    assert detail["id"] == first and sum(w["posts"] for w in detail["weekly"]) == data["narratives"][0]["n_posts"]
    alias = CliRunner().invoke(app, ["narratives", "list", "--db", "x.duckdb"])
    assert alias.exit_code == 0 and first in alias.output
    # piped output is not cut to 80 columns: every label is printed whole
    table = CliRunner().invoke(app, ["list", "--db", "x.duckdb"])
    longest = max((n["label"] for n in data["narratives"]), key=len)
    assert longest in table.output and "…" not in table.output
    targets = CliRunner().invoke(app, ["targets", "--json", "--db", "x.duckdb"])
    rows = json.loads(targets.output)["rows"]
    assert rows and {"candidate_id", "narrative_id", "week", "posts", "against"} <= rows[0].keys()
