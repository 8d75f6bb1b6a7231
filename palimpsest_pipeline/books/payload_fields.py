"""The field paths of a decoded payload (``markets[].row[].prices[].odds``), which the capture compares with
every path its book showed, so a new field of a book's payload is noticed (``key_health.new_fields``). An
object keyed by data rather than field names (``{"S_OU@2.5_O": "1.9"}``) is a map, its keys written ``{}``,
so a new market is not a new field.
"""

from __future__ import annotations

import re
from typing import Any

#: A field name: letters and underscores. A key with a digit, a dot, an ``@``... is data (an outcome key, a
#: line, an id).
_FIELD_NAME = re.compile(r"[A-Za-z_]+")
#: An object with more keys than this is a map whatever its keys look like: no real payload object has as
#: many fields.
MAX_FIELDS = 100
#: What the walk goes into (a tuple: ``isinstance`` reads it faster than ``dict | list``).
_CONTAINERS = (dict, list)
#: An object's path and keys.
_Shape = tuple[str, tuple[str, ...]]


def field_paths(payload: Any) -> frozenset[str]:
    """Every field path of ``payload`` (module docstring); a scalar or empty payload is the path ``""``."""
    walk = _Walk()
    walk.node(payload, "")
    return frozenset(walk.paths)


class _Walk:
    """One payload's walk. ``shapes`` remembers, per (path, keys) of an object already met, the path of its
    values if it is a map, else its fields' paths: its scalar fields were added then, so the thousand prices
    of a payload cost no path join, not a thousand (an object of a known shape is judged as the first of its
    shape was)."""

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.shapes: dict[_Shape, str | tuple[str, ...]] = {}
        self.verdicts: dict[tuple[str, ...], bool] = {}

    def mostly_data(self, keys: tuple[str, ...]) -> bool:
        """Whether most of these keys are data, not field names."""
        verdict = self.verdicts.get(keys)
        if verdict is None:
            data = sum(1 for key in keys if _FIELD_NAME.fullmatch(key) is None)
            verdict = self.verdicts[keys] = 2 * data > len(keys)
        return verdict

    def is_map(self, node: dict[str, Any]) -> bool:
        """A map: too many keys, mostly data keys, or several values that are all objects keyed mostly by
        data (a map of markets to maps of lines, ``{"S_OU": {"2.5": ...}, "S_AH": {...}}``)."""
        keys = tuple(node)
        if len(keys) > MAX_FIELDS or self.mostly_data(keys):
            return True
        return len(keys) > 1 and all(
            isinstance(value, dict) and value and self.mostly_data(tuple(value)) for value in node.values()
        )

    def first(self, node: dict[str, Any], path: str, shape: _Shape) -> str | tuple[str, ...]:
        """A shape met first: what ``shapes`` keeps of it; its object's scalar fields' paths added."""
        if self.is_map(node):
            inner = self.shapes[shape] = f"{path}.{{}}" if path else "{}"
            return inner
        prefix = f"{path}." if path else ""
        fields = self.shapes[shape] = tuple([f"{prefix}{key}" for key in node])
        add = self.paths.add
        for value, field in zip(node.values(), fields, strict=True):
            if not isinstance(value, _CONTAINERS):
                add(field)
        return fields

    def node(self, node: Any, path: str) -> None:
        """Add ``node``'s paths under ``path``."""
        if isinstance(node, dict):
            if not node:
                self.paths.add(path)
                return
            shape = (path, tuple(node))
            known = self.shapes.get(shape)
            if known is None:
                known = self.first(node, path, shape)
            if type(known) is str:  # a map: its values under one path
                self.items(node.values(), known)
                return
            walk = self.node
            for value, field in zip(node.values(), known):  # noqa: B905 - one length; ``strict`` costs a call
                if isinstance(value, _CONTAINERS):
                    walk(value, field)
        elif isinstance(node, list):
            if not node:
                self.paths.add(path)
                return
            self.items(node, f"{path}[]")
        else:
            self.paths.add(path)

    def items(self, items: Any, inner: str) -> None:
        """The items of a list or the values of a map, all under the one path ``inner``."""
        scalar = False
        walk = self.node
        for item in items:
            if isinstance(item, _CONTAINERS):
                walk(item, inner)
            else:
                scalar = True
        if scalar:
            self.paths.add(inner)
