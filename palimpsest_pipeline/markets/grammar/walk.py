"""Reading a book's JSON without trusting its shapes: a field that is not what the reader needs is empty."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: What a JSON object is checked against: ``dict`` (what orjson decodes to) is matched first, without the
#: ``Mapping`` ABC's check, which costs about six times more and runs per market and outcome.
JSON_OBJECT = (dict, Mapping)


def mapping_at(node: Any, field: str) -> Mapping[str, Any]:
    """``node[field]`` when both are objects, else an empty one."""
    value = node.get(field) if isinstance(node, JSON_OBJECT) else None
    return value if isinstance(value, JSON_OBJECT) else {}


def list_at(node: Any, field: str) -> list[Any]:
    """``node[field]`` when ``node`` is an object and the value a list, else an empty list."""
    value = node.get(field) if isinstance(node, JSON_OBJECT) else None
    return value if isinstance(value, list) else []
