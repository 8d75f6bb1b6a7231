"""Structural comparison of JSON documents: same keys and value types at every level.

``shape()`` maps a document to its structure: objects to their keys' shapes, lists to the merged shape of
their elements, scalars to type names. Dicts whose keys are data rather than field names (Bet9ja's ``O``,
``TRANS``, ``AUX`` and its per-line dicts, BetPawa's tab counters and row specifiers) become homogeneous
maps, compared by the merged shape of their values. ``differences(capture, candidate)`` lists every path
where the candidate's structure is not the capture's; null in the capture matches anything (it carries no
type information), while null in the candidate must have been seen in the capture.

Under the keys in ``NUMBER_KEYED`` int and float are one type, "number": Bet9ja's live prices ``{"v": x}``
are JSON numbers printed trimmed (``1``, ``2.4``), and the only live capture has every line closed (all
``1``), so it cannot tell the two apart there. Everywhere else an int where the capture has a float (or the
reverse) is still a difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DATA_KEYED = frozenset({"O", "TRANS", "AUX", "marketGroupCountByTab", "specifier"})
NUMBER_KEYED = frozenset({"v"})


@dataclass
class Shape:
    scalars: set[str] = field(default_factory=set)
    fields: dict[str, Shape] | None = None  # an object with named fields
    values: Shape | None = None  # a data-keyed map: the merged shape of its values
    is_map: bool = False
    items: Shape | None = None  # a list: the merged shape of its elements (None when always empty)
    is_list: bool = False


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def shape(value: Any, key: str | None = None) -> Shape:
    if isinstance(value, dict):
        if key in DATA_KEYED or (value and all(_is_number(k) for k in value)):
            merged = None
            for item in value.values():
                merged = merge(merged, shape(item))
            return Shape(values=merged, is_map=True)
        return Shape(fields={k: shape(v, k) for k, v in value.items()})
    if isinstance(value, list):
        merged = None
        for item in value:
            merged = merge(merged, shape(item, key))
        return Shape(items=merged, is_list=True)
    if value is None:
        return Shape(scalars={"null"})
    if key in NUMBER_KEYED and isinstance(value, int | float) and not isinstance(value, bool):
        return Shape(scalars={"number"})
    return Shape(scalars={type(value).__name__})


def merge(a: Shape | None, b: Shape | None) -> Shape | None:
    if a is None or b is None:
        return a or b
    out = Shape(scalars=a.scalars | b.scalars, is_map=a.is_map or b.is_map, is_list=a.is_list or b.is_list)
    if a.fields is not None or b.fields is not None:
        fa, fb = a.fields or {}, b.fields or {}
        out.fields = {k: merge(fa.get(k), fb.get(k)) or Shape() for k in fa.keys() | fb.keys()}
    out.values = merge(a.values, b.values)
    out.items = merge(a.items, b.items)
    return out


def differences(capture: Shape | None, candidate: Shape | None, path: str = "$") -> list[str]:
    if capture is None or candidate is None:
        return []  # an always-empty list or map on either side carries no structure to compare
    if _only_null(capture):
        return []
    found = []
    extra_scalars = candidate.scalars - capture.scalars
    if extra_scalars:
        found.append(
            f"{path}: type {sorted(extra_scalars)} where the capture has "
            f"{sorted(capture.scalars) or 'no scalar'}"
        )
    for kind in ("fields", "is_map", "is_list"):
        has_capture = bool(getattr(capture, kind)) if kind != "fields" else capture.fields is not None
        has_candidate = bool(getattr(candidate, kind)) if kind != "fields" else candidate.fields is not None
        if has_candidate and not has_capture:
            found.append(f"{path}: {kind.removeprefix('is_')} where the capture has none")
    if capture.fields is not None and candidate.fields is not None:
        missing = sorted(capture.fields.keys() - candidate.fields.keys())
        extra = sorted(candidate.fields.keys() - capture.fields.keys())
        if missing:
            found.append(f"{path}: missing keys {missing}")
        if extra:
            found.append(f"{path}: extra keys {extra}")
        for name in sorted(capture.fields.keys() & candidate.fields.keys()):
            found += differences(capture.fields[name], candidate.fields[name], f"{path}.{name}")
    found += differences(capture.values, candidate.values, f"{path}{{*}}")
    found += differences(capture.items, candidate.items, f"{path}[*]")
    return found


def _only_null(s: Shape) -> bool:
    return s.scalars == {"null"} and s.fields is None and not s.is_map and not s.is_list
