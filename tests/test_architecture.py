"""The layering of docs/architecture.md, enforced by scanning imports.

* The kernel (root modules money, periods, calendars, errors, ids, events and,
  as they arrive, partners and customers) imports no domain package and nothing
  from the application or edge layers.
* The domain packages import the kernel and each other only along the graph
  below, never ports, services, adapters, serialization, formatting or cli.
* The domain import graph is acyclic.
* The kernel and the domain never call ``now()``/``today()`` and never touch the
  ambient decimal context.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "partnerkit"

KERNEL = {
    "money", "periods", "calendars", "errors", "ids", "events", "decisions", "partners",
    "customers", "permissions", "_validators", "_construct",
}  # fmt: skip
DOMAIN_GRAPH: dict[str, set[str]] = {
    "eligibility": set(),
    "billing": set(),
    "budget": set(),
    "incentives": {"billing", "eligibility"},
}
APPLICATION_AND_EDGES = {
    "ports", "services", "adapters", "serialization", "formatting", "cli", "testing",
}  # fmt: skip


def _component(path: Path) -> str:
    relative = path.relative_to(SRC)
    return relative.parts[0].removesuffix(".py")


def _partnerkit_imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("partnerkit."):
                    yield node.lineno, alias.name.split(".")[1]
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module is None:
                raise AssertionError(f"{path}:{node.lineno}: use absolute imports")
            if node.module.startswith("partnerkit."):
                yield node.lineno, node.module.split(".")[1]
            elif node.module == "partnerkit":
                for alias in node.names:
                    yield node.lineno, alias.name


def _files(components: set[str]) -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if _component(p) in components)


@pytest.mark.parametrize("path", _files(KERNEL), ids=lambda p: str(p.relative_to(SRC)))
def test_kernel_imports_only_the_kernel(path: Path) -> None:
    for line, target in _partnerkit_imports(path):
        assert target in KERNEL, f"{path.name}:{line} imports partnerkit.{target}"


@pytest.mark.parametrize("path", _files(set(DOMAIN_GRAPH)), ids=lambda p: str(p.relative_to(SRC)))
def test_domain_imports_follow_the_graph(path: Path) -> None:
    own = _component(path)
    allowed = KERNEL | DOMAIN_GRAPH[own] | {own}
    for line, target in _partnerkit_imports(path):
        assert target not in APPLICATION_AND_EDGES, f"{path}:{line} imports {target}"
        assert target in allowed, f"{path}:{line}: {own} may not import {target}"


def test_domain_graph_is_acyclic() -> None:
    state: dict[str, int] = {}

    def visit(node: str) -> None:
        assert state.get(node) != 1, f"cycle through {node}"
        if state.get(node) == 2:
            return
        state[node] = 1
        for nxt in DOMAIN_GRAPH[node]:
            visit(nxt)
        state[node] = 2

    for node in DOMAIN_GRAPH:
        visit(node)


def test_every_source_file_is_in_a_known_layer() -> None:
    known = KERNEL | set(DOMAIN_GRAPH) | APPLICATION_AND_EDGES | {"__init__", "__main__"}
    for path in SRC.rglob("*.py"):
        assert _component(path) in known, f"{path} is in no layer of docs/architecture.md"


FORBIDDEN_CALLS = {"now", "today", "utcnow", "getcontext", "setcontext", "localcontext"}


@pytest.mark.parametrize(
    "path", _files(KERNEL | set(DOMAIN_GRAPH)), ids=lambda p: str(p.relative_to(SRC))
)
def test_pure_core_reads_no_clock_and_no_decimal_context(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}()"
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            raise AssertionError(f"{path.name}:{node.lineno}: a float literal in the core")


CONTEXT_METHODS = {
    "scaleb",
    "quantize",
    "to_integral_value",
    "to_integral_exact",
    "sqrt",
    "ln",
    "log10",
    "exp",
    "fma",
}


@pytest.mark.parametrize(
    "path", _files(KERNEL | set(DOMAIN_GRAPH)), ids=lambda p: str(p.relative_to(SRC))
)
def test_decimal_methods_always_name_their_context(path: Path) -> None:
    """Decimal methods that round take an explicit context: the ambient one is never read."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CONTEXT_METHODS
            and not any(k.arg == "context" for k in node.keywords)
        ):
            raise AssertionError(
                f"{path.name}:{node.lineno} calls {node.func.attr}() without context="
            )


def test_the_scanner_sees_violations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from partnerkit.adapters.memory import InMemoryStore\n", encoding="utf-8")
    assert list(_partnerkit_imports(bad)) == [(1, "adapters")]
    relative = tmp_path / "rel.py"
    relative.write_text("from . import money\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        list(_partnerkit_imports(relative))
