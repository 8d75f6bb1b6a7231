"""The field paths of a decoded JSON payload, which the capture compares with every path its book showed.

A path names a value by its keys from the root, list positions written ``[]``: every price of every row of
every market is ``markets[].row[].prices[].odds``. An object whose keys are data rather than field names
(odds keyed by outcome, ``{"S_OU@2.5_O": "1.9", ...}``) is a map: its keys are written ``{}``
(``D.O.{}``), so a new market is not a new field. A path ends at a scalar or at an empty object or list. A
book that starts sending a field it never sent (a new shape of its payload) shows a path never seen, which is
how ``analytics.key_health.new_fields`` notices it.
"""

from __future__ import annotations

import re
from typing import Any

#: A field name: letters and underscores. A key with a digit, a dot, an ``@``... is data (an outcome key, a
#: line, an id).
_FIELD_NAME = re.compile(r"[A-Za-z_]+")
#: An object with more keys than this is a map whatever its keys look like: no real payload object has as
#: many fields (SportyBet's event has about 45).
MAX_FIELDS = 100


def field_paths(payload: Any) -> frozenset[str]:
    """Every field path of ``payload`` (module docstring); a scalar or empty payload is the path ``""``."""
    paths: set[str] = set()
    _walk(payload, "", paths, {}, {})
    return frozenset(paths)


def _mostly_data(keys: tuple[str, ...], verdicts: dict[tuple[str, ...], bool]) -> bool:
    """Whether most of these keys are data, not field names (cached per key tuple)."""
    verdict = verdicts.get(keys)
    if verdict is None:
        data = sum(1 for key in keys if _FIELD_NAME.fullmatch(key) is None)
        verdict = verdicts[keys] = 2 * data > len(keys)
    return verdict


def _is_map(node: dict[str, Any], verdicts: dict[tuple[str, ...], bool]) -> bool:
    """A map: too many keys, mostly data keys, or several values that are all objects keyed mostly by data
    (a map of markets to maps of lines, ``{"S_OU": {"2.5": ...}, "S_AH": {...}}``)."""
    keys = tuple(node)
    if len(keys) > MAX_FIELDS or _mostly_data(keys, verdicts):
        return True
    return len(keys) > 1 and all(
        isinstance(value, dict) and value and _mostly_data(tuple(value), verdicts) for value in node.values()
    )


def _walk(
    node: Any,
    path: str,
    paths: set[str],
    shapes: dict[tuple[str, tuple[str, ...]], bool],
    verdicts: dict[tuple[str, ...], bool],
) -> None:
    """Add ``node``'s paths under ``path``. ``shapes`` remembers, per (path, keys) of an object already met,
    whether it is a map; its scalar fields were added then, so the thousand prices of a payload cost one
    path join each, not a thousand (an object of a known shape is judged as the first of its shape was)."""
    if isinstance(node, dict):
        if not node:
            paths.add(path)
            return
        shape = (path, tuple(node))
        is_map = shapes.get(shape)
        fresh = is_map is None
        if is_map is None:
            is_map = shapes[shape] = _is_map(node, verdicts)
        if is_map:
            _walk_items(node.values(), f"{path}.{{}}" if path else "{}", paths, shapes, verdicts)
            return
        prefix = f"{path}." if path else ""
        for key, value in node.items():
            if isinstance(value, dict | list):
                _walk(value, f"{prefix}{key}", paths, shapes, verdicts)
            elif fresh:
                paths.add(f"{prefix}{key}")
    elif isinstance(node, list):
        if not node:
            paths.add(path)
            return
        _walk_items(node, f"{path}[]", paths, shapes, verdicts)
    else:
        paths.add(path)


def _walk_items(
    items: Any,
    inner: str,
    paths: set[str],
    shapes: dict[tuple[str, tuple[str, ...]], bool],
    verdicts: dict[tuple[str, ...], bool],
) -> None:
    """The items of a list or the values of a map, all under the one path ``inner``."""
    scalar = False
    for item in items:
        if isinstance(item, dict | list):
            _walk(item, inner, paths, shapes, verdicts)
        else:
            scalar = True
    if scalar:
        paths.add(inner)
