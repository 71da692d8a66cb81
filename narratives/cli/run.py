"""`narratives run` (the main job): flags -> `RunConfig` -> `narratives.run`, then print what it found."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..api import run as run_narratives
from ..config import RunConfig
from ..sizes import describe_sizes
from . import app
from .common import DEFAULT_DB, DbOption, console, discard_if_new, open_store
from .narratives import narratives_table
from .targets import targets_table

_D = RunConfig()  # the defaults the flags show


@app.command()
def run(
    since: Annotated[Optional[str], typer.Option(help="First day (YYYY-MM-DD or ISO time), inclusive.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Last day (YYYY-MM-DD, inclusive) or ISO time (exclusive).")] = None,
    model: Annotated[str, typer.Option(help="Model card id (models/ or ~/.config/narratives/models).")] = _D.embed.model,
    model_path: Annotated[Optional[Path], typer.Option(help="Local sentence-transformers folder instead of a card.")] = None,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda | mps (auto: cuda, then mps, then cpu).")] = _D.embed.device,
    seed: Annotated[int, typer.Option(help="Random seed (same data + model + seed = same narratives).")] = _D.seed,
    sample_size: Annotated[int, typer.Option(help="Most unique texts the clustering is fit on.")] = _D.discovery.sample_size,
    min_cluster_size: Annotated[Optional[int], typer.Option(help="HDBSCAN min_cluster_size (default: chosen from the corpus size and density).")] = None,
    min_samples: Annotated[Optional[int], typer.Option(help="HDBSCAN min_samples (default: a quarter of min_cluster_size).")] = None,
    threshold: Annotated[Optional[float], typer.Option(help="Cosine similarity a text needs to join a narrative (default: the model card's).")] = _D.discovery.threshold,
    n_neighbors: Annotated[int, typer.Option(help="UMAP neighbours.")] = _D.discovery.n_neighbors,
    n_components: Annotated[int, typer.Option(help="UMAP dimensions.")] = _D.discovery.n_components,
    reassign_noise: Annotated[bool, typer.Option(help="Give HDBSCAN noise to the nearest narrative above --threshold.")] = _D.discovery.reassign_noise,
    taxonomy: Annotated[Optional[Path], typer.Option(help="Narrative taxonomy YAML (default: the packaged one).")] = None,
    taxonomy_threshold: Annotated[Optional[float], typer.Option(help="Cosine similarity to name a narrative after a taxonomy entry (default: the model card's).")] = _D.label.taxonomy_threshold,
    llm: Annotated[bool, typer.Option("--llm", help="Name narratives with the LLM at NARRATIVES_LLM_URL.")] = False,
    match_threshold: Annotated[Optional[float], typer.Option(help="Centroid cosine similarity that keeps an id across runs (default: the model card's).")] = _D.tracking.match_threshold,
    burst_k: Annotated[float, typer.Option(help="Burst rule: posts >= k x median of the previous weeks.")] = _D.tracking.burst.k,
    burst_window: Annotated[int, typer.Option(help="Burst rule: how many previous weeks the median covers.")] = _D.tracking.burst.window,
    burst_min_count: Annotated[int, typer.Option(help="Burst rule: fewest posts a burst week has.")] = _D.tracking.burst.min_count,
    coordination: Annotated[Optional[list[str]], typer.Option(
        "--coordination", metavar="NAME=VALUE",
        help="Coordination parameter, repeatable: e.g. co_post.window_s=600, jaccard=0.8, co_link.enabled=false, "
             "community=leiden (names: narratives.coordination.CoordinationConfig).")] = None,
    candidates: Annotated[Optional[Path], typer.Option(help="Candidate registry YAML (default: the packaged one).")] = None,
    report: Annotated[bool, typer.Option(help="Write the report of the window's last week.")] = True,
    merge: Annotated[bool, typer.Option(help="Join the clusters that make one claim into one narrative family.")] = _D.merge.enabled,
    engine: Annotated[str, typer.Option(help="local | ray: embed, link and score stance on a Ray cluster (needs the ray extra; docs/scale.md).")] = _D.engine.name,
    ray_address: Annotated[Optional[str], typer.Option(help="Ray cluster to join with --engine ray (e.g. auto; default: start a local one).")] = None,
    partition_dir: Annotated[Optional[Path], typer.Option(help="Folder for the Parquet partitions of --engine ray; every node must see it (default: a temp folder).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Find the narratives pushed in the window, name them, and record the run in the store."""
    config = RunConfig().with_options(
        model=model, model_path=model_path, device=device, seed=seed, sample_size=sample_size,
        min_cluster_size=min_cluster_size, min_samples=min_samples, threshold=threshold, n_neighbors=n_neighbors,
        n_components=n_components, reassign_noise=reassign_noise, taxonomy=taxonomy,
        taxonomy_threshold=taxonomy_threshold, llm=llm, match_threshold=match_threshold, burst_k=burst_k,
        burst_window=burst_window, burst_min_count=burst_min_count, candidates=candidates,
        coordination=_D.coordination.with_overrides(coordination or []), merge=merge, engine=engine,
        ray_address=ray_address, partition_dir=partition_dir)
    with discard_if_new(db), open_store(db) as store:  # a failed run on a new path leaves no store
        result = run_narratives(store, since=since, until=until, config=config, report=report, progress=True)
    console.print(f"model {result.params['model']} ({(result.params['model_name'])}) on "
                  f"{result.params['device']}", highlight=False)
    for warning in result.warnings:
        console.print(f"warning: {warning}", highlight=False)
    top = result.narratives[result.narratives["parent_id"].isna()]
    console.print(narratives_table(top, f"run {result.run_id}"))
    console.print(targets_table(result.targets.summary, result.narratives))
    console.print(
        f"{result.n_posts:,} posts, {result.n_texts:,} unique texts ({result.n_embedded:,} embedded now), "
        f"{len(top)} narratives ({len(result.narratives) - len(top)} sub-narratives), outliers {result.outlier_share:.1%}; "
        + ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items()),
        highlight=False,
    )
    chosen, merged = result.params["discover"], result.params["merge"]
    console.print(f"discovery: {describe_sizes(chosen['chosen'], chosen['min_samples_fitted'])}; merge: "
                  f"{merged['n_clusters']} clusters -> {merged['n_families']} narratives", highlight=False, soft_wrap=True)
    if result.report_paths:
        console.print("report (last week of the window): " + ", ".join(map(str, result.report_paths)),
                      highlight=False, soft_wrap=True)
