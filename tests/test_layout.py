"""The house stays easy to walk: small modules, no import cycles, no upward imports.

Read from the source (module-level imports only: imports inside functions and `if TYPE_CHECKING:` blocks do
not run at import time), so the test needs nothing installed and runs in well under a second.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "narratives"
MAX_LINES = 400
DATA_MODULES = {"narratives/demo/phrases.py"}  # phrase banks: data, not code
# Stages take and return plain values: they never reach up into sequencing, storage, reporting or the CLI.
STAGES = ("discover", "merge", "label", "track", "series", "gate", "framing", "stance", "stance_mask",
          "stance_baseline", "targets", "coordination", "embed", "candidates", "llm", "languages", "text", "sizes",
          "taxonomy")
ABOVE_STAGES = ("pipeline", "api", "cli", "evaluate", "store", "report", "results", "status", "networks")


def _name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(module: str) -> bool:
    path = PKG.parent / module.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """The narratives modules `path` imports when it is imported."""
    name = _name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
            elif isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(node.orelse)
                visit(getattr(node, "finalbody", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.split(".")[0] == "narratives")
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                if module.split(".")[0] != "narratives":
                    continue
                for alias in node.names:  # `from . import x` may import the submodule x
                    found.add(f"{module}.{alias.name}" if _exists(f"{module}.{alias.name}") else module)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    parents = {".".join(m.split(".")[:i]) for m in found for i in range(2, len(m.split(".")))}
    # importing a.b.c runs a.b first; a module's own parent packages are already running, unless named
    return (found | parents) - {name} - ({p for p in parents if name.startswith(p + ".")} - found)


GRAPH = {_name(p): _imports(p) for p in sorted(PKG.rglob("*.py"))}


def test_no_module_is_over_400_lines_except_data():
    long = {str(p.relative_to(PKG.parent)): n for p in PKG.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) <= DATA_MODULES, f"modules over {MAX_LINES} lines (split them by job): {long}"


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def strong(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH.get(v, ()):
            if w not in GRAPH:
                continue
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            strong(v)
    return cycles


def test_no_import_cycles():
    # the CLI package defines `app` and then imports its command modules, which register on it
    cycles = [c for c in _cycles() if not all(m == "narratives.cli" or m.startswith("narratives.cli.") for m in c)]
    assert not cycles, f"import cycles: {cycles}"


def test_no_upward_imports():
    def inside(module: str, package: str) -> bool:
        return module == f"narratives.{package}" or module.startswith(f"narratives.{package}.")

    problems = []
    for module, deps in GRAPH.items():
        outside = {d for d in deps if d != "narratives.errors"}
        if inside(module, "sources"):  # readers: nothing but themselves and the error types
            problems += [(module, d) for d in outside if not inside(d, "sources")]
        if inside(module, "store"):  # storage speaks SQL and knows no stage
            problems += [(module, d) for d in outside if not inside(d, "store") and d != "narratives.migrations"]
        if not inside(module, "cli"):
            problems += [(module, d) for d in deps if inside(d, "cli")]
        if any(inside(module, s) for s in STAGES):
            problems += [(module, d) for d in deps if any(inside(d, a) for a in ABOVE_STAGES)]
    assert not problems, f"upward imports (module, what it imports): {sorted(problems)}"


def test_the_graph_sees_imports():
    """Guards the checks above against a parser that finds nothing."""
    assert "narratives.sources.base" in GRAPH["narratives.sources.labeled_sets"]
    assert "narratives.config" in GRAPH["narratives.pipeline"]
    assert "narratives.cli" in GRAPH["narratives.cli.targets"]
