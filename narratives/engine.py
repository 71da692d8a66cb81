"""Where a run's heavy per-text work executes: in this process (`local`) or on a Ray cluster (`ray`).

The pipeline asks the engine for three drop-in objects and one assignment, and otherwise runs as always:

- `engine.embedder(embedder)`: encodes the texts that miss the embedding cache. On Ray, a pool of
  stateful Ray Data actors (`map_batches` with a callable class that loads the model card once; one
  GPU per actor, or `gpus_per_actor`, when the run's device is cuda) encodes the same length-sorted
  chunks the local embedder would, so the vectors are the same.
- `engine.linker(linker, texts)`: the first linking pass (every post's text, each distinct text once;
  both engines link a text once however often it is reposted) runs as a Ray Data stage over Parquet
  partitions; the second pass (posts whose narrative lends a prior) is small and runs on the driver.
- `engine.stance_model()`: stance scoring of every distinct (post text, candidate, prior) item (both
  engines score a repeated item once) runs as a Ray Data stage over Parquet partitions of the items,
  one stance model per actor.
- `engine.assign(discoverer, X)`: every unique text to its nearest discovery centroid (what
  `NarrativeDiscoverer.fit` does after fitting the centroids). On Ray, a stage over Parquet partitions
  of the L2-normalised vectors, one partition row per block of `ASSIGN_CHUNK` rows (the blocks the
  driver multiplies, so the same bits); the actors get only the centroids and the threshold.

Discovery (fit on the stratified sample), tracking (with `anchor_to_history`), labelling and
coordination (candidate generation included) run on the driver for both engines. Every result row
carries the index of its input row and the driver puts them back in that order, never in arrival
order, so `ray` and `local` give the same narratives, ids and assignments. Partitions are written
under `engine.partition_dir` (default: a temporary folder), which on a multi-node cluster must be
storage every node reads.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ParameterError

ENGINES = ("local", "ray")
RAY_EXTRA = "pip install 'narratives[ray]'"


class LocalEngine:
    """Everything in this process: the objects the pipeline passes in are used as they are."""

    name = "local"

    def embedder(self, embedder):
        return embedder

    def linker(self, linker, texts: Sequence[str]):
        return PrelinkedLinker(linker, {t: linker.link(t) for t in _distinct(texts)})

    def stance_model(self):
        from .stance import StanceModel

        return DistinctStanceModel(StanceModel.load())

    def assign(self, discoverer, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return discoverer.assign(X)


def make_engine(config) -> LocalEngine | RayEngine:
    """The engine an `EngineConfig` names; `ray` without the extra installed is a `ParameterError`."""
    if config.name == "local":
        return LocalEngine()
    if config.name != "ray":
        raise ParameterError("engine.name", f"must be one of {', '.join(ENGINES)}", config.name)
    return RayEngine(config)


def import_ray():
    """`ray` and `ray.data`, or a one-line error naming the extra to install."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ParameterError("engine.name", f"the ray engine needs Ray Data: {RAY_EXTRA}", "ray") from None
    return ray


class RayEngine:
    """Ray Data stages for the embedding, assignment, linking and stance passes (see the module docstring).

    Connects to `config.ray_address` (None: the cluster this process already joined, else a local one).
    """

    name = "ray"

    def __init__(self, config):
        self.config = config
        self.ray = import_ray()
        if not self.ray.is_initialized():
            self.ray.init(address=config.ray_address, include_dashboard=False, log_to_driver=False,
                          configure_logging=False)
        context = self.ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False

    # ---------------------------------------------------------------- the drop-in objects
    def embedder(self, embedder):
        return RayEmbedder(self, embedder)

    def linker(self, linker, texts: Sequence[str]):
        distinct = _distinct(texts)
        links = self.map_rows(pd.DataFrame({"text": distinct}), _LinkActor, (linker,), num_cpus=self.actor_cpus(1))
        return PrelinkedLinker(linker, dict(zip(distinct, (pickle.loads(b) for b in links["mentions"]))))

    def stance_model(self):
        from .stance import StanceModel

        return RayStanceModel(self, StanceModel.load())

    def assign(self, discoverer, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`discoverer.assign(X)` on the actors: one partition row per block of `ASSIGN_CHUNK` L2-normalised
        rows (the blocks the driver would multiply, so the same bits); the actors get the centroids and threshold."""
        from . import discover

        X, chunk = discover.l2_normalise(X), discover.ASSIGN_CHUNK
        frame = pd.DataFrame({"block": [X[s:s + chunk].tobytes() for s in range(0, len(X), chunk)]})
        out = self.map_rows(frame, _AssignActor, (discoverer.centroids_, discoverer.threshold_, X.shape[1]),
                            num_cpus=self.actor_cpus(1), rows=1, batch_size=1)  # a row is a block
        if out.empty:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return (np.concatenate([np.frombuffer(b, dtype=np.int64) for b in out["labels"]]),
                np.concatenate([np.frombuffer(b, dtype=np.float32) for b in out["scores"]]))

    # ---------------------------------------------------------------- machinery
    def cpus(self) -> int:
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def actor_cpus(self, wanted: float) -> float:
        """CPUs to reserve for one actor: at most all but one of the cluster's, which the Parquet reads need
        (actors holding every CPU would wait forever for their input)."""
        return max(0.5, min(wanted, self.cpus() - 1))

    def actor_slots(self, num_cpus: float) -> int:
        """Actors of `num_cpus` each that fit beside one CPU left for reading partitions."""
        return max(1, int((self.cpus() - 1) // num_cpus))

    def map_rows(self, frame: pd.DataFrame, actor: type, args: tuple, *, num_cpus: float = 1,
                 num_gpus: float = 0, actors: int | None = None, rows: int | None = None,
                 batch_size: int | None = None) -> pd.DataFrame:
        """Write `frame` as Parquet partitions (`rows` each; default: enough partitions for every actor,
        at most `partition_rows` rows each), map them with a pool of `actor`s, and return the output rows
        in the order of `frame` (each row carries its input index `_i`)."""
        if frame.empty:
            return frame.assign(_i=np.arange(0))
        slots = actors or self.actor_slots(num_cpus)
        rows = rows or min(self.config.partition_rows, -(-len(frame) // slots))
        n_parts = -(-len(frame) // rows)
        parts = Path(tempfile.mkdtemp(prefix="narratives-", dir=self.config.partition_dir))
        try:
            frame = frame.assign(_i=np.arange(len(frame), dtype=np.int64))
            for k, start in enumerate(range(0, len(frame), rows)):
                frame.iloc[start:start + rows].to_parquet(parts / f"part-{k:05d}.parquet", index=False)
            data = self.ray.data.read_parquet(str(parts), override_num_blocks=n_parts)
            out = data.map_batches(actor, fn_constructor_args=args, batch_format="pandas",
                                   compute=self.ray.data.ActorPoolStrategy(size=min(slots, n_parts)),
                                   num_cpus=num_cpus, num_gpus=num_gpus, batch_size=batch_size or rows,
                                   zero_copy_batch=True)
            result = out.to_pandas()
        finally:
            shutil.rmtree(parts, ignore_errors=True)
        return result.sort_values("_i", kind="stable").reset_index(drop=True)


class RayEmbedder:
    """An `Embedder` look-alike (`card`, `device`, `encode`) whose `encode` runs on the Ray actors.

    The texts are cut into the chunks `Embedder.encode` would use (sorted by length, `CHUNK` each), one
    partition row per chunk, so every actor sees exactly the batches the local embedder sees.
    """

    def __init__(self, engine: RayEngine, embedder):
        self.engine, self.local = engine, embedder
        self.card, self.device, self.threads = embedder.card, embedder.device, embedder.threads

    def encode(self, texts: Sequence[str], progress=None) -> np.ndarray:
        from .embed import CHUNK

        config = self.engine.config
        order = np.argsort([len(t) for t in texts], kind="stable")
        chunks = [order[s:s + CHUNK] for s in range(0, len(texts), CHUNK)]
        frame = pd.DataFrame({"texts": [[texts[i] for i in rows] for rows in chunks]})
        gpus = self.engine.ray.cluster_resources().get("GPU", 0)
        on_gpu = self.device == "cuda" and gpus > 0
        threads = config.actor_cpus or self.threads  # default: as many threads as the local embedder
        num_cpus = self.engine.actor_cpus(threads)
        actors = config.actors or (max(1, int(gpus / config.gpus_per_actor)) if on_gpu
                                   else self.engine.actor_slots(num_cpus))
        out = self.engine.map_rows(frame, _EmbedActor, (self.card, self.device, threads), num_cpus=num_cpus,
                                   num_gpus=config.gpus_per_actor if on_gpu else 0,
                                   actors=min(actors, len(chunks)), rows=1, batch_size=1)  # a row is a chunk
        if not len(texts):
            return np.zeros((0, self.card.dimension or 0), dtype=np.float32)
        first = np.asarray(out["vectors"].iat[0])
        matrix = np.empty((len(texts), len(first) // len(chunks[0])), dtype=np.float32)
        for rows, flat in zip(chunks, out["vectors"]):
            matrix[rows] = np.asarray(flat, dtype=np.float32).reshape(len(rows), -1)
            if progress is not None:
                progress(len(rows))
        return matrix


class PrelinkedLinker:
    """A `Linker` whose prior-free links were computed in advance (on Ray); a call with a prior, or with
    a text not linked in advance, goes to the real linker."""

    def __init__(self, linker, links: dict[str, list]):
        self._linker, self._links = linker, links
        self.registry = linker.registry

    def link(self, text: str, prior=()):
        if not prior and text in self._links:
            return self._links[text]
        return self._linker.link(text, prior)


class DistinctStanceModel:
    """A `StanceModel` look-alike that scores each distinct item once: the reposts of a text ask the same
    question (same text, span, candidate, prior) once per repost, and the model reads nothing else."""

    def __init__(self, model):
        self.model = model
        self.classes_, self.mask = model.classes_, model.mask

    def predict_proba(self, items, masker=None) -> np.ndarray:
        keys = [tuple(vars(item).values()) for item in items]
        first = dict(zip(keys, range(len(items))))  # key -> a representative item (order kept by `distinct`)
        distinct = list(dict.fromkeys(keys))
        proba = self._score([items[first[k]] for k in distinct], masker)
        where = {k: i for i, k in enumerate(distinct)}
        return proba[[where[k] for k in keys]] if len(keys) else proba

    def _score(self, items, masker) -> np.ndarray:
        return self.model.predict_proba(items, masker)


class RayStanceModel(DistinctStanceModel):
    """A `DistinctStanceModel` whose distinct items are scored on Ray actors."""

    def __init__(self, engine: RayEngine, model):
        super().__init__(model)
        self.engine = engine

    def _score(self, items, masker) -> np.ndarray:
        frame = pd.DataFrame([vars(item) for item in items])
        out = self.engine.map_rows(frame, _StanceActor, (self.model, masker), num_cpus=self.engine.actor_cpus(1))
        return np.vstack([np.asarray(p, dtype=np.float64) for p in out["proba"]]) if len(out) else \
            np.zeros((0, len(self.classes_)))


# ---------------------------------------------------------------- the actors (one model each, loaded once)
class _EmbedActor:
    def __init__(self, card, device: str, threads: int):
        from .embed import Embedder

        self.embedder = Embedder(card, device, threads=threads)

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        vectors = [self.embedder.encode(list(texts)).ravel() for texts in batch["texts"]]
        return pd.DataFrame({"_i": batch["_i"].to_numpy(), "vectors": vectors})


class _LinkActor:
    def __init__(self, linker):
        self.linker = linker

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        found = [pickle.dumps(self.linker.link(t)) for t in batch["text"]]
        return pd.DataFrame({"_i": batch["_i"].to_numpy(), "mentions": found})


class _StanceActor:
    def __init__(self, model, masker):
        self.model, self.masker = model, masker

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        from .stance import StanceItem

        fields = [c for c in batch.columns if c != "_i"]
        items = [StanceItem(**{f: _plain(v) for f, v in zip(fields, row)})
                 for row in batch[fields].itertuples(index=False)]
        proba = self.model.predict_proba(items, self.masker)
        return pd.DataFrame({"_i": batch["_i"].to_numpy(), "proba": list(proba)})


class _AssignActor:
    def __init__(self, centroids: np.ndarray, threshold: float, dim: int):
        self.centroids, self.threshold, self.dim = centroids, threshold, dim

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        from .discover import nearest_centroid

        blocks = [np.frombuffer(b, dtype=np.float32).reshape(-1, self.dim) for b in batch["block"]]
        found = [nearest_centroid(x, self.centroids, self.threshold, chunk=max(1, len(x))) for x in blocks]
        return pd.DataFrame({"_i": batch["_i"].to_numpy(), "labels": [lab.tobytes() for lab, _ in found],
                             "scores": [score.tobytes() for _, score in found]})


def _distinct(texts: Sequence[str]) -> list[str]:
    """Each non-empty text once, in first-seen order: a repost's text is linked once, not once per repost."""
    return list(dict.fromkeys(t for t in texts if isinstance(t, str) and t))


def _plain(value):
    """Parquet gives numpy scalars, and NaN for a missing span; the stance features want Python values
    (a StanceItem has no float field, so a whole float is an int column that held a None)."""
    value = value.item() if isinstance(value, np.generic) else value
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return int(value) if isinstance(value, float) else value


def check_ray_available() -> None:
    """Raise the one-line `ParameterError` naming the extra when Ray Data cannot be imported."""
    import_ray()

