"""`--engine ray` against `--engine local` on a slice of the demo corpus, on a 2-CPU Ray cluster started here."""

from __future__ import annotations

import builtins
import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

import narratives as nv
from narratives.cli import app
from narratives.cli.common import flag_for
from narratives.cli.errors import describe
from narratives.config import RunConfig
from narratives.demo import generate
from narratives.discover import NarrativeDiscoverer
from narratives.engine import RAY_EXTRA, RayEngine, make_engine
from narratives.errors import ParameterError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_ray(monkeypatch):
    """Make `import ray` fail as it does where the extra is not installed."""
    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)


def test_ray_engine_without_ray_names_the_parameter_and_the_extra(no_ray):
    with pytest.raises(ParameterError) as caught:
        make_engine(RunConfig().with_options(engine="ray").engine)
    message = str(caught.value)
    assert caught.value.parameter == "engine.name" and RAY_EXTRA in message and "\n" not in message


def test_cli_maps_the_missing_ray_error_to_the_flag(no_ray, tmp_path):
    db = tmp_path / "x.duckdb"
    result = CliRunner().invoke(app, ["run", "--engine", "ray", "--db", str(db)])
    message, _ = describe(result.exception)  # what `narratives.cli.main` prints
    assert message == "error: --engine 'ray': the ray engine needs Ray Data: pip install 'narratives[ray]'"
    assert not db.exists()  # the failed run on a new path leaves no store


def test_unknown_engine_is_a_parameter_error_and_the_engine_flags_map_back():
    with pytest.raises(ParameterError, match="engine.name"):
        RunConfig().with_options(engine="spark").validate()
    assert [flag_for(p) for p in ("engine.name", "engine.ray_address", "engine.partition_dir")] == \
        ["--engine", "--ray-address", "--partition-dir"]
    config = RunConfig().with_options(engine="ray", ray_address="auto")
    assert RunConfig.from_dict(config.to_dict()).engine == config.engine  # stored with the run, read back


@pytest.fixture(scope="module")
def ray_cluster():
    try:
        import ray
    except ImportError:
        if os.environ.get("NARRATIVES_REQUIRE_RAY") == "1":  # set in .ci/run
            pytest.fail("NARRATIVES_REQUIRE_RAY=1 but ray is not installed (pip install 'narratives[ray]')")
        pytest.skip("ray is not installed (pip install 'narratives[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=300 * 1024**2, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(REPO)}})  # the workers import this checkout
    yield ray
    ray.shutdown()


def demo_store(folder: Path) -> Path:
    path = folder / "slice.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in generate(7)[::20]), encoding="utf-8")
    with nv.open_store(folder / "demo.duckdb") as store:
        nv.ingest(store, path)
    return folder / "demo.duckdb"


@pytest.mark.slow
def test_ray_engine_finds_the_same_narratives_ids_and_assignments_as_local(ray_cluster, tmp_path, monkeypatch):
    monkeypatch.setattr("narratives.embed.CHUNK", 64)  # several embedding chunks (partitions) even on the slice
    monkeypatch.setattr("narratives.discover.ASSIGN_CHUNK", 64)  # and several assignment blocks, both engines
    stages = spy_on_stages(monkeypatch)
    results = {}
    for engine in ("local", "ray"):  # separate stores: each engine embeds every text itself
        folder = tmp_path / engine
        folder.mkdir()
        with nv.open_store(demo_store(folder)) as store:
            config = RunConfig().with_options(engine=engine, partition_dir=str(folder))
            if engine == "ray":
                config.engine.partition_rows = 200  # several partitions even on the slice
            results[engine] = nv.run(store, since="2024-09-01", config=config, report=False)
    local, ray = results["local"], results["ray"]
    assert ray.n_embedded == local.n_embedded == local.n_texts > 0
    assert (ray.embeddings == local.embeddings).all()
    assert len(local.narratives) >= 2
    assert list(ray.narratives["narrative_id"]) == list(local.narratives["narrative_id"])
    assert list(ray.narratives["label"]) == list(local.narratives["label"])
    key = ["platform", "post_id"]
    a = local.assignments.sort_values(key).reset_index(drop=True)
    b = ray.assignments.sort_values(key).reset_index(drop=True)
    assert a[key].equals(b[key])
    assert a["narrative_id"].fillna("-").tolist() == b["narrative_id"].fillna("-").tolist()
    assert "score" in a and a.equals(b)  # every column, scores too, to the bit
    assigned = [rows for actor, rows in stages if actor == "_AssignActor"]
    assert assigned == [-(-local.n_texts // 64)] and assigned[0] >= 2  # every text assigned on the actors, in blocks
    assert adjusted_rand_score(a["narrative_id"].fillna("-"), b["narrative_id"].fillna("-")) >= 0.99
    assert local.targets.mentions.equals(ray.targets.mentions)  # linking and stance ran on the actors
    assert len(local.targets.mentions) > 0
    assert ray.params["config"]["engine"]["name"] == "ray" and local.params["config"]["engine"]["name"] == "local"
    assert not [p for p in tmp_path.rglob("narratives-*")]  # the Parquet partitions are cleaned up


def spy_on_stages(monkeypatch) -> list[tuple[str, int]]:
    """(actor, partition rows) of every Ray Data stage the ray engine runs, in order."""
    stages, real = [], RayEngine.map_rows

    def spy(self, frame, actor, args, **kwargs):
        stages.append((actor.__name__, len(frame)))
        return real(self, frame, actor, args, **kwargs)

    monkeypatch.setattr(RayEngine, "map_rows", spy)
    return stages


def test_ray_assignment_is_the_driver_assignment_to_the_bit(ray_cluster, monkeypatch):
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((3, 24))
    X = np.vstack([c + 0.3 * rng.standard_normal((80, 24)) for c in centres] + [rng.standard_normal((40, 24))])
    X = X.astype(np.float32) * rng.uniform(0.5, 2.0, (len(X), 1)).astype(np.float32)  # not unit length
    discoverer = NarrativeDiscoverer(threshold=0.6).fit_centroids(X)
    monkeypatch.setattr("narratives.discover.ASSIGN_CHUNK", 37)  # blocks that end mid-cluster, a short last one
    stages = spy_on_stages(monkeypatch)
    engine = make_engine(RunConfig().with_options(engine="ray").engine)
    labels, scores = engine.assign(discoverer, X)
    local_labels, local_scores = make_engine(RunConfig().engine).assign(discoverer, X)
    assert stages == [("_AssignActor", -(-len(X) // 37))]
    assert labels.dtype == local_labels.dtype and scores.dtype == local_scores.dtype
    assert np.array_equal(labels, local_labels) and np.array_equal(scores, local_scores)
    assert set(labels) == {-1, 0, 1, 2}  # three narratives and outliers: the comparison has teeth
    assert [len(a) for a in engine.assign(discoverer, X[:0])] == [0, 0]


def _scale_module():
    spec = importlib.util.spec_from_file_location("scale_benchmark", REPO / "benchmarks" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scale_corpus_has_the_posts_and_unique_texts_asked_for(tmp_path):
    rows = [{"external_author_id": str(1000 + i % 7), "author": f"acct{i % 7}", "content": f"claim number {i % 30} here",
             "region": "United States", "language": "English", "publish_date": f"3/{1 + i % 28}/2016 {i % 24}:05",
             "harvested_date": "3/1/2016 0:00", "following": "1", "followers": "1", "updates": "1", "post_type": "",
             "account_type": "right", "retweet": "0", "account_category": "RightTroll", "new_june_2018": "0"}
            for i in range(50)]
    source = tmp_path / "sample.csv"
    pd.DataFrame(rows).to_csv(source, index=False)
    tiled = _scale_module().tile_corpus(source, 230, 20)
    assert len(tiled) == 230
    assert tiled["content"].nunique() == 20  # 17 kept texts + 3 edited copies
    assert not tiled.duplicated(["author", "publish_date", "content"]).any()  # every post its own id
    assert set(tiled["content"].str.replace(r" #t\dx\d+$", "", regex=True)) <= {r["content"] for r in rows}


def test_scale_doc_figures_come_from_the_results_file():
    scale = _scale_module()
    result = json.loads(scale.RESULTS.read_text(encoding="utf-8"))
    text = scale.DOC.read_text(encoding="utf-8")
    assert text == scale.render_doc(text, result), "run python benchmarks/scale.py --docs"
    assert {"local", "ray"} <= result["runs"].keys()
    assert f"{result['runs']['local']['posts']:,} posts" in text
