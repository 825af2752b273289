"""The layout shows the flow: no import cycle between compcalc's packages and modules.

Each unit is a top-level module (``compcalc.engine``) or a sub-package (``compcalc.components``); an
edge is any import that runs (at module level or inside a function), so ``if TYPE_CHECKING:`` imports,
which only type hints see, are left out.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import compcalc

ROOT = Path(compcalc.__file__).parent


def unit(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "compcalc":  # from compcalc import ledger_lines
            yield from (f"compcalc.{a.name}" for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("compcalc"):
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("compcalc"))
        yield from imports(node)


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        module = ".".join(("compcalc",) + path.relative_to(ROOT).with_suffix("").parts)
        src = unit(module.removesuffix(".__init__"))
        for target in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if unit(target) != src:
                edges[src].add(unit(target))
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def test_the_graph_sees_the_flow():
    edges = graph()
    # the pipeline strings the stages together: credit, compute, pay
    assert {"compcalc.crediting", "compcalc.engine", "compcalc.payouts"} <= edges["compcalc.pipeline"]


def test_no_import_cycle_between_units():
    assert cycles(graph()) == []


def test_only_the_pipeline_credits_a_book():
    """One run, one way: reports read the run's result (its schedule included) and never build a
    second Context of their own; the CLI only asks crediting for the run's first month."""
    edges = graph()
    assert sorted(u for u, targets in edges.items() if "compcalc.crediting" in targets) == [
        "compcalc.cli", "compcalc.engine", "compcalc.pipeline"]
