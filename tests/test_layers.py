"""The layers, checked from the source: which package may import which, and no import circle anywhere.

``ingest/`` and ``search/`` are libraries: neither imports ``registry/``, and ``ingest/`` does not import
``search/``. Inside ``registry/``, pure rules know nothing of storage, services or adapters; the JSON API
and the pages never import each other. Every import counts, including those inside functions, so a
circle cannot hide behind a late import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("registry", "ingest", "search")

# (importing package prefix, forbidden imported prefix)
FORBIDDEN = [
    ("ingest", "registry"), ("ingest", "search"), ("search", "registry"),
    ("registry.rules", "registry.storage"), ("registry.rules", "registry.services"),
    ("registry.rules", "registry.facade"), ("registry.rules", "registry.http"), ("registry.rules", "registry.api"),
    ("registry.rules", "registry.web"), ("registry.rules", "registry.cli"), ("registry.rules", "sqlmodel"),
    ("registry.rules", "sqlalchemy"),
    ("registry.storage", "registry.services"), ("registry.storage", "registry.facade"),
    ("registry.services", "registry.facade"), ("registry.services", "registry.http"),
    ("registry.services", "registry.api"), ("registry.services", "registry.web"), ("registry.services", "registry.cli"),
    ("registry.api", "registry.web"), ("registry.web", "registry.api"), ("registry.api", "registry.cli"),
    ("registry.web", "registry.cli"), ("registry.cli", "registry.api"), ("registry.cli", "registry.web"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports (a name imported from a package counts as its submodule when
    one of that name exists)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules)
    return {m for m in found if m.split(".")[0] in PACKAGES or m.split(".")[0] in ("sqlmodel", "sqlalchemy")}


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    files = [p for pkg in PACKAGES for p in (root / pkg).rglob("*.py") if "migrations" not in p.parts]
    modules = {module_name(p) for p in files}
    return {module_name(p): imports_of(p, modules) for p in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def violations(graph: dict[str, set[str]]) -> list[str]:
    out = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            for source, banned in FORBIDDEN:
                inside = module == source or module.startswith(source + ".")
                if inside and (target == banned or target.startswith(banned + ".")):
                    out.append(f"{module} imports {target} ({source} must not import {banned})")
    return out


def test_no_package_imports_a_layer_it_must_not() -> None:
    assert violations(import_graph()) == []


def test_there_is_no_import_circle() -> None:
    assert cycles(import_graph()) == []


@pytest.mark.parametrize(("module", "target"), [("ingest.model", "registry.facade"),
                                                ("search.model", "registry.models"),
                                                ("registry.api.routes.search", "registry.web.render")])
def test_the_check_sees_a_forbidden_import(module: str, target: str) -> None:
    graph = import_graph()
    graph[module] = graph[module] | {target}
    assert any(v.startswith(f"{module} imports {target}") for v in violations(graph))


def test_the_check_sees_a_circle() -> None:
    graph = import_graph()
    graph["registry.rules.status"] = graph["registry.rules.status"] | {"registry.rules.validity"}
    assert ["registry.rules.status", "registry.rules.validity"] in cycles(graph)


def test_no_module_is_over_400_lines() -> None:
    long = {module_name(p): n for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
            if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
