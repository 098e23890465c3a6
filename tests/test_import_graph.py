"""The import graph of the packages: no module imports a module that imports it back (directly or around a longer
circle), and no module imports another module's private name (`_x`), which its author may change at any time.

grimp (installed with import-linter) builds the graph that `lint-imports` checks; ast finds the names imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "tiktok_promo"
LAYERS = ("steps", "promo", "flows", "pages", "harness", "simulator", "releases")  # its folders, linked into it


def cycles(graph: grimp.ImportGraph) -> set[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.find_modules_directly_imported_by(target)))))
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        found.add(frozenset(group))
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE)


def test_no_module_imports_a_module_that_imports_it_back(graph: grimp.ImportGraph) -> None:
    found = sorted(sorted(group) for group in cycles(graph))
    assert not found, f"import cycles: {found}"


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(module)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.z")
    graph.add_import(importer="a.z", imported="a.x")
    assert cycles(graph) == {frozenset({"a.x", "a.y", "a.z"})}


def private_imports(path: Path, module: str, root: Path = REPO) -> list[str]:
    """`from other import _name` lines of one module, for first-party modules other than itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != PACKAGE or node.module == module:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(root)}:{node.lineno} imports {alias.name} from {node.module}")
    return found


def test_no_module_imports_a_private_name_of_another(graph: grimp.ImportGraph) -> None:
    found = []
    for layer in LAYERS:
        for path in sorted((REPO / layer).rglob("*.py")):
            parts = (PACKAGE, *path.relative_to(REPO).with_suffix("").parts)
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found += private_imports(path, module)
    assert not found, "private names imported across modules:\n" + "\n".join(found)


def test_the_private_name_check_finds_one(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("from tiktok_promo.promo.cli import _hidden\nfrom tiktok_promo.promo.cli import main\n",
                      encoding="utf-8")
    assert private_imports(source, "tiktok_promo.promo.other", tmp_path) == [
        "mod.py:1 imports _hidden from tiktok_promo.promo.cli"]
