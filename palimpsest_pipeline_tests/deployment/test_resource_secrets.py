"""Every resource that carries a URL is built from ``dg.EnvVar`` wherever the package builds it.

Dagster stores a resource's configured values in each run's job snapshot (the UI serves it): a plain string
puts the URL, password and all, into the run storage; an ``EnvVar`` stores only the variable's name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import dagster as dg
import pytest

from palimpsest_pipeline.defs.resources import (
    AlertsResource,
    BooksResource,
    WarehouseResource,
    resources_from_env,
)
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

PACKAGE = Path(__file__).resolve().parents[2] / "palimpsest_pipeline"
#: The resources whose fields are URLs (the warehouse's holds its password, the alert receivers' tokens).
URL_RESOURCES = {cls.__name__ for cls in (WarehouseResource, BooksResource, AlertsResource)}


def _is_env_var(node: ast.expr) -> bool:
    """``dg.EnvVar(...)``, a choice between it and the empty string (an unset optional variable), or a dict
    (literal or comprehension) whose every value is one."""
    if isinstance(node, ast.DictComp):
        return _is_env_var(node.value)
    if isinstance(node, ast.Dict):
        return all(_is_env_var(value) for value in node.values)
    if isinstance(node, ast.IfExp):
        return all(_is_env_var(b) or _is_empty(b) for b in (node.body, node.orelse))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "EnvVar"
    )


def _is_empty(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == ""


def _constructions(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None))
        in URL_RESOURCES
    ]


def test_every_url_resource_in_the_package_is_built_from_env_vars() -> None:
    plain: list[str] = []
    built = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        if "sandbox" in path.relative_to(PACKAGE).parts:
            continue
        for call in _constructions(ast.parse(path.read_text(), str(path))):
            built += 1
            plain += [
                f"{path.relative_to(PACKAGE)}:{call.lineno} {keyword.arg}"
                for keyword in call.keywords
                if not _is_env_var(keyword.value)
            ]
            if call.args:
                plain.append(f"{path.relative_to(PACKAGE)}:{call.lineno} positional arguments")
    assert built >= len(URL_RESOURCES)  # the scan found the code location's own
    assert plain == []


def test_the_code_locations_resources_hold_variable_names_not_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PALIMPSEST_ALERT_URLS", "json://127.0.0.1/hook")
    monkeypatch.delenv("PALIMPSEST_COUNTRIES", raising=False)
    for book in NIGERIA_BOOKS:
        monkeypatch.setenv(f"PALIMPSEST_{book.value.upper()}_NG_URL", f"http://127.0.0.1:9/{book.value}/")
    resources = resources_from_env()
    fields = {
        (key, name): value
        for key, resource in resources.items()
        if type(resource).__name__ in URL_RESOURCES
        for name, value in vars(resource).items()
        if name.endswith(("_url", "urls"))
    }
    assert set(fields) == {
        ("warehouse", "database_url"),
        ("books", "base_urls"),
        ("alerting", "urls"),
    }
    values = [
        v for value in fields.values() for v in (value.values() if isinstance(value, dict) else [value])
    ]
    assert all(isinstance(value, dg.EnvVar) for value in values), fields
    assert set(fields["books", "base_urls"]) == {f"ng/{book.value}" for book in NIGERIA_BOOKS}
