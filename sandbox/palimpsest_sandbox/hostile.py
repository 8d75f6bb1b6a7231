"""Hostile values in an otherwise good answer: what a real book sends on a bad day, one value at a time.

The ``hostile_values`` fault keeps the answer's shape and status and corrupts ONE thing in it, chosen by
``kind`` (or drawn from the request's random number): a NUL in a name, a 10 kB name, a value of the wrong
type, the same outcome given twice with two prices, a market the vocabulary does not know, a 40 kB run
of digits in a market or outcome name, or a number of 4,301 digits where a number is (an id, a count, a
price). The pipeline
must lose that row (or that event on that book) and nothing else; the chaos benchmark checks it.
"""

from __future__ import annotations

import random
import re
from typing import Any

import orjson

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kit

#: The kinds drawn at random when none is fixed (``long_digits`` and ``huge_number`` only when named, so the
#: draw is unchanged).
DRAWN_KINDS = ("nul", "long_text", "wrong_type", "conflicting_duplicate", "unknown_market")
KINDS = (*DRAWN_KINDS, "long_digits", "huge_number")
LONG_TEXT = "x" * 10_240
#: A 40 kB run of digits: what a quadratic "N+" pattern backtracks on, put where a name is read.
LONG_DIGITS = "1" * 40_960
#: A number one digit longer than Python turns text into an int by default (4,300 digits:
#: ``sys.get_int_max_str_digits``), put where a number is read, as digits (a JSON number this long is no int).
HUGE_NUMBER = "9" * 4_301
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
#: The market id an ``unknown_market`` fault gives its market, where the book's ids are numbers.
UNKNOWN_MARKET = 987_654
#: The fields that hold a market's or an outcome's name, on any book (one book's labels are the items of SGN).
NAME_FIELDS = frozenset({"name", "displayName", "desc", "DS", "SGN"})


def mutate(book: Book, body: bytes, rng: random.Random, kind: str | None = None) -> tuple[bytes, str]:
    """The answer with one hostile value, and the kind applied ("none": the answer had no place for it)."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body, "none"
    chosen = kind or rng.choice(DRAWN_KINDS)
    applied = _apply(book, payload, chosen, rng)
    return orjson.dumps(payload), chosen if applied else "none"


def _apply(book: Book, payload: Any, kind: str, rng: random.Random) -> bool:
    if kind in ("nul", "long_text", "wrong_type"):
        leaves = _string_leaves(payload)
        if not leaves:
            return False
        container, key = rng.choice(leaves)
        value = container[key]
        container[key] = (
            value[: len(value) // 2] + "\x00" + value[len(value) // 2 :]
            if kind == "nul"
            else LONG_TEXT
            if kind == "long_text"
            else {"unexpected": [value]}
        )
        return True
    if kind == "long_digits":
        names = _name_leaves(payload)
        if not names:
            return False
        container, key = rng.choice(names)
        container[key] = LONG_DIGITS
        return True
    if kind == "huge_number":
        numbers = _number_leaves(payload)
        if not numbers:
            return False
        container, key = rng.choice(numbers)
        container[key] = HUGE_NUMBER
        return True
    if kind == "conflicting_duplicate":
        return kit(book).faults.duplicate(payload)
    if kind == "unknown_market":
        return kit(book).faults.unknown_market(payload)
    raise ValueError(f"unknown hostile kind {kind!r}; one of {KINDS}")


def _string_leaves(node: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every non-empty string value, depth first (names, ids, odds as text)."""
    found: list[tuple[Any, Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in items:
            if isinstance(value, str) and value:
                found.append((current, key))
            elif isinstance(value, dict | list):
                stack.append(value)
    return found


def _number_leaves(node: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every number, and of every text that is one (ids and odds come as text), depth
    first."""
    found: list[tuple[Any, Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in items:
            if isinstance(value, dict | list):
                stack.append(value)
            elif (isinstance(value, int | float) and not isinstance(value, bool)) or (
                isinstance(value, str) and _NUMBER.fullmatch(value)
            ):
                found.append((current, key))
    return found


def _name_leaves(node: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every non-empty string under a name field (``NAME_FIELDS``), depth first."""
    found: list[tuple[Any, Any]] = []
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, named = stack.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in items:
            is_name = named or (isinstance(current, dict) and key in NAME_FIELDS)
            if isinstance(value, str) and value and is_name:
                found.append((current, key))
            elif isinstance(value, list):
                stack.append((value, is_name))
            elif isinstance(value, dict):
                stack.append((value, False))
    return found
