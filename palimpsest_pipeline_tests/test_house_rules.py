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
