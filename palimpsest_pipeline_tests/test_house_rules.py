"""House rules the linters do not check: docstrings of a few lines, and no module that only re-exports."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (ROOT / "palimpsest_pipeline", ROOT / "sandbox" / "palimpsest_sandbox")
MAX_DOCSTRING_LINES = 15


def _modules() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text())) for package in PACKAGES for path in sorted(package.rglob("*.py"))
    ]


def test_no_docstring_is_longer_than_fifteen_lines() -> None:
    long = []
    for path, tree in _modules():
        nodes = [
            tree,
            *(
                n
                for n in ast.walk(tree)
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            ),
        ]
        for node in nodes:
            docstring = ast.get_docstring(node, clean=False)
            if docstring and docstring.count("\n") + 1 > MAX_DOCSTRING_LINES:
                long.append(f"{path.relative_to(ROOT)}:{getattr(node, 'name', '<module>')}")
    assert long == []


def test_no_module_only_re_exports_another() -> None:
    def re_export(statement: ast.stmt) -> bool:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            return True
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            return True  # the docstring
        return isinstance(statement, ast.Assign) and any(
            getattr(t, "id", "") == "__all__" for t in statement.targets
        )

    shims = [
        str(path.relative_to(ROOT))
        for path, tree in _modules()
        if path.name != "__init__.py" and tree.body and all(re_export(s) for s in tree.body)
        and any(isinstance(s, ast.Import | ast.ImportFrom) for s in tree.body)
    ]  # fmt: skip
    assert shims == []


#: Ways of touching ``os.environ`` that write it (for this process's Dagster code or a child process) or
#: copy it whole for a child, never read a setting.
ENVIRON_WRITES = {"update", "pop", "copy"}


def _names_another_variable(node: ast.AST) -> bool:
    """Whether ``node`` is a literal variable name that is not a ``PALIMPSEST_*`` setting (``PATH``)."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and not node.value.startswith("PALIMPSEST_")
    )


def environment_reads(tree: ast.Module) -> list[int]:
    """Lines of ``tree`` that read a setting from the process environment: ``os.getenv``, ``os.environ``
    read by key, by ``get``, by ``in`` or passed along as a mapping. Not a read: a write
    (``os.environ[k] = v``, ``update``, ``pop``), a copy handed to a child process, or a read of a variable
    named literally that is no ``PALIMPSEST_*`` setting (``os.environ.get("PATH")``)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in ("environ", "getenv") and isinstance(node.ctx, ast.Load):
            found.append(node.lineno)  # ``from os import environ``
        if not (
            isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os"
        ):
            continue
        parent = parents.get(node)
        if node.attr == "getenv":
            call = parents.get(node)
            if not (isinstance(call, ast.Call) and call.args and _names_another_variable(call.args[0])):
                found.append(node.lineno)
        elif node.attr == "environ":
            if isinstance(parent, ast.Subscript) and (
                not isinstance(parent.ctx, ast.Load) or _names_another_variable(parent.slice)
            ):
                continue
            if isinstance(parent, ast.Attribute) and parent.attr in ENVIRON_WRITES:
                continue
            if isinstance(parent, ast.Attribute) and parent.attr == "get":
                call = parents.get(parent)
                if isinstance(call, ast.Call) and call.args and _names_another_variable(call.args[0]):
                    continue
            found.append(node.lineno)
    return sorted(found)


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = [
        f"{path.relative_to(ROOT)}:{line}"
        for path, tree in _modules()
        if path.is_relative_to(ROOT / "palimpsest_pipeline")
        and path != ROOT / "palimpsest_pipeline" / "settings.py"
        for line in environment_reads(tree)
    ]
    assert readers == []


def test_the_environment_rule_tells_reads_from_writes() -> None:
    reads = """import os
a = os.environ.get("PALIMPSEST_X")
b = os.environ["PALIMPSEST_X"]
c = "PALIMPSEST_X" in os.environ
d = os.getenv("PALIMPSEST_X")
def f(env=os.environ): ...
e = {**os.environ}
g = os.environ.get(name)
"""
    others = """import os
os.environ["PALIMPSEST_X"] = "1"
del os.environ["PALIMPSEST_X"]
os.environ.update({"PALIMPSEST_X": "1"})
os.environ.pop("PALIMPSEST_X", None)
child_env = os.environ.copy()
path = os.environ.get("PATH", "/usr/bin")
home = os.getenv("HOME")
"""
    assert environment_reads(ast.parse(reads)) == [2, 3, 4, 5, 6, 7, 8]
    assert environment_reads(ast.parse(others)) == []


#: Import cycles not yet undone, each its modules sorted; the list may only shrink.
KNOWN_CYCLES: list[list[str]] = []


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(tree: ast.Module, package: str, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``tree`` (a module of ``package``) imports anywhere, inside functions
    too, but not under ``if TYPE_CHECKING:`` (annotations only: never run)."""
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parent = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
            base = ".".join(part for part in (parent if node.level else "", node.module or "") if part)
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names)
    return found & known


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each set of modules that import one another round a circle (a strongly connected component of more
    than one module), sorted: Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(cycles)


def test_no_module_of_the_pipeline_imports_itself_round_a_circle() -> None:
    trees = {
        _module_name(path): (path.name == "__init__.py", tree)
        for path, tree in _modules()
        if path.is_relative_to(ROOT / "palimpsest_pipeline")
    }
    known = set(trees)
    graph = {
        name: imports_of(tree, name if is_package else name.rpartition(".")[0], known) - {name}
        for name, (is_package, tree) in trees.items()
    }
    assert import_cycles(graph) == KNOWN_CYCLES


def test_the_cycle_finder_counts_imports_in_functions_but_not_for_type_checking() -> None:
    known = {"p", "p.a", "p.b", "p.c"}
    a = "from p import b\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.c import X\n"
    b = "def f():\n    from p.a import g\n    return g\n"
    c = "from . import a\n"
    graph = {
        "p": set(),
        "p.a": imports_of(ast.parse(a), "p", known),
        "p.b": imports_of(ast.parse(b), "p", known),
        "p.c": imports_of(ast.parse(c), "p", known),
    }
    assert graph == {"p": set(), "p.a": {"p.b"}, "p.b": {"p.a"}, "p.c": {"p.a"}}
    assert import_cycles(graph) == [["p.a", "p.b"]]
