"""The hostile wrong type the field-by-field tests put into a recorded answer, one field at a time."""

from __future__ import annotations

from typing import Any

import orjson


def turned_hostile(body: bytes, path: tuple[Any, ...]) -> bytes:
    """``body`` with the value at ``path`` turned into an object holding it (``make chaos``'s hostile wrong
    type): a text, number or flag where the parser expects one becomes something it must refuse."""
    payload = orjson.loads(body)  # a fresh decoding: the caller's answer is never changed
    container = payload
    for key in path[:-1]:
        container = container[key]
    container[path[-1]] = {"unexpected": [container[path[-1]]]}
    return orjson.dumps(payload)
