"""The package's structure: no import cycles, no reaching into another module's private
names, one list of public names, and an ``icd10cm.normalize`` that loads no data."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import icd10cm

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "icd10cm"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at module level or inside functions, except those under
    ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _imports_of(child))
            continue
        yield from _imports_of(node)


def _imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _imports(node)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, str | None]]:
    """(imported module, imported name or None) of the icd10cm modules *node* imports."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith("icd10cm"):
                yield alias.name, None
        return
    base = node.module or ""
    if node.level:  # a relative import
        parts = module.split(".")
        if MODULES[module].name == "__init__.py":
            parts.append("")
        base = ".".join([*parts[: -node.level], *([base] if base else [])])
    if not base.startswith("icd10cm"):
        return
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        if candidate in MODULES:
            yield candidate, None
        else:
            yield base, alias.name


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            for target, _ in _targets(name, node):
                if target in MODULES and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    graph = _graph()
    assert sum(len(targets) for targets in graph.values()) > 100  # the graph was read
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_a_private_name_of_another() -> None:
    offences = []
    for name, path in MODULES.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            for target, imported in _targets(name, node):
                if imported is not None and imported.startswith("_") and \
                        not imported.startswith("__"):
                    offences.append(f"{name} imports {target}.{imported}")
                private = [part for part in target.split(".") if part.startswith("_")
                           and not part.startswith("__")]
                package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
                owner = target.rpartition(".")[0]
                if private and owner != package:
                    offences.append(f"{name} imports the private module {target}")
    assert offences == []


def test_no_module_reaches_into_another_objects_private_attributes() -> None:
    offences = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        foreign = {alias.asname or alias.name for node in ast.walk(tree)
                   if isinstance(node, ast.Import) for alias in node.names
                   if not alias.name.startswith("icd10cm")}  # argparse._SubParsersAction
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name)
                             and node.value.id in ("self", "cls", *foreign))):
                offences.append(f"{name}:{node.lineno} .{node.attr}")
    assert offences == []


def test_public_names_come_from_one_list() -> None:
    source = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    checked: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module != "typing":
                    for alias in statement.names:
                        assert alias.asname == alias.name, alias.name  # an explicit re-export
                        checked.setdefault(str(statement.module), []).append(alias.name)
    exports = {module: sorted(names) for module, names in icd10cm._EXPORTS.items()}
    assert {module: sorted(names) for module, names in checked.items()} == exports
    assert sorted(icd10cm.__all__) == sorted([*icd10cm._LAZY, "__version__"])
    for name in icd10cm.__all__:  # each resolves, from the module the list names
        value = getattr(icd10cm, name)
        if name != "__version__" and hasattr(value, "__module__") and not isinstance(value, str):
            assert name in vars(sys.modules[icd10cm._LAZY[name]])


def _loaded_after(statement: str) -> list[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return [m for m in run.stdout.split() if m == "icd10cm" or m.startswith("icd10cm.")]


def test_normalize_loads_no_data_and_few_modules() -> None:
    loaded = _loaded_after("import icd10cm; assert icd10cm.normalize('e119') == 'E11.9'")
    assert not [m for m in loaded if m.startswith(("icd10cm.releases", "icd10cm.data"))]
    assert len(loaded) <= 6, loaded


def test_import_icd10cm_loads_only_the_package_face() -> None:
    assert _loaded_after("import icd10cm") == ["icd10cm", "icd10cm._version"]
