"""narratives: find, track and report the narratives influence operations push against candidates.

The public API (the same operations as the CLI)::

    import narratives as nv
    s = nv.open_store("x.duckdb")
    nv.ingest(s, "demo.jsonl")
    r = nv.run(s, since="2024-09-01")                  # config=nv.RunConfig(...) for every setting
    nv.write_report(s, week="2024-W42", out="rep")
    nv.write_site(s, week="2024-W42", out="site")       # the explorable report: site/index.html
    nv.list_narratives(s).to_dict()                    # what the latest run found
    nv.coordination_groups(s)                          # coordinated account groups; nv.export_network(s, "g.graphml")
    nv.evaluate(["eval/downballot_2024.jsonl"], models=["minilm"])

Names are imported on first use, so `import narratives` stays fast. `narratives.ingest` and
`narratives.evaluate` are these functions; the modules of the same names are still importable with
`from narratives.ingest import ...` / `from narratives.evaluate import ...`.
"""

from __future__ import annotations

import importlib
import types

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "open_store": "api", "ingest": "api", "run": "api", "write_report": "api", "write_site": "api",
    "evaluate": "evaluate.harness",
    "list_narratives": "results", "show_narrative": "results", "candidate_narratives": "results",
    "store_status": "status",
    "detect_coordination": "coordination", "coordination_groups": "networks", "coordination_group": "networks",
    "coordination_graph": "networks", "export_network": "networks",
    "RunConfig": "config", "EmbedConfig": "config", "DiscoveryConfig": "config", "LabelConfig": "config",
    "TargetsConfig": "config", "TrackingConfig": "config", "CoordinationConfig": "config",
    "BurstRule": "series", "RunResult": "pipeline", "Store": "store", "Evaluation": "evaluate",
    "NarrativesError": "errors", "ParameterError": "errors",
}
__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


class _Package(types.ModuleType):
    """The package module, keeping `ingest` and `evaluate` bound to the API functions: importing the
    submodules of those names would otherwise replace the functions with the modules."""

    def __setattr__(self, name: str, value) -> None:
        if name in ("ingest", "evaluate") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


import sys as _sys  # noqa: E402

_sys.modules[__name__].__class__ = _Package
