"""Reading a book's list one row at a time: a row (or a wrapper of rows) that cannot be read costs itself,
never the list, and is kept with its reason and what it still says of its event."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.payload import Node

T = TypeVar("T")
C = TypeVar("C")

#: What a list row says of itself where it can be read: its event id and its SR id (None where not).
RowIdentity = tuple[str | None, int | None]


@dataclass(frozen=True)
class BadRow:
    """A list row that could not be read: it costs its own row, and its sport's withdrawals in this scrape;
    ``event_id`` and ``sr_id`` are what it still says of itself, so the row set aside names its event."""

    sport: str
    reason: str
    value: Any
    event_id: str | None = None
    sr_id: int | None = None


def read_or_none(read: Callable[[], T]) -> T | None:
    """``read()``, or None when the payload cannot give it."""
    try:
        return read()
    except PayloadError:
        return None


def first_of_each(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """The first item of each ``key`` (pages overlap when a list shifts as it is paged)."""
    seen: dict[str, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def parse_rows(
    rows: Iterable[Node],
    parse: Callable[[Node], T],
    sport: str,
    identify: Callable[[Node], RowIdentity] | None = None,
) -> tuple[list[T], list[BadRow]]:
    """Each row parsed on its own: the rows read, and those that were not with their reasons (and, with
    ``identify``, the event each names)."""
    parsed: list[T] = []
    bad: list[BadRow] = []
    for row in rows:
        try:
            parsed.append(parse(row))
        except PayloadError as error:
            event_id, sr_id = identify(row) if identify is not None else (None, None)
            bad.append(BadRow(sport, str(error), row.value, event_id, sr_id))
    return parsed, bad


def wrapper_set_aside(sport: str, label: str, error: PayloadError, value: Any, rows_key: str) -> BadRow:
    """A wrapper of rows that could not be read, set aside with its own fields and its rows counted, not
    kept (they are read one by one)."""
    if isinstance(value, dict):
        rows = value.get(rows_key)
        counted = len(rows) if isinstance(rows, list | dict) else rows
        value = {**{k: v for k, v in value.items() if k != rows_key}, rows_key: counted}
    return BadRow(sport, f"{label}: {error}", value)


def read_wrapped_rows(
    wrappers: Iterable[Node],
    sport: str,
    rows_key: str,
    context_of: Callable[[Node], C],
    read_row: Callable[[C | None, Node], T],
    identify: Callable[[Node], RowIdentity] | None = None,
    *,
    label: str = "wrapper",
) -> tuple[list[T], list[BadRow]]:
    """A list grouped in wrappers (tournaments, regions) holding their rows under ``rows_key``, each row read
    with what its wrapper says (``context_of``), or None where the wrapper cannot be read (set aside)."""
    read: list[T] = []
    bad: list[BadRow] = []
    for wrapper in wrappers:
        context: C | None
        try:
            context = context_of(wrapper)
            rows = wrapper.get(rows_key).elements()
        except PayloadError as error:
            bad.append(wrapper_set_aside(sport, label, error, wrapper.value, rows_key))
            held = wrapper.value.get(rows_key) if isinstance(wrapper.value, dict) else None
            context, rows = None, (wrapper.get(rows_key).elements() if isinstance(held, list) else [])
        got, unread = parse_rows(rows, functools.partial(read_row, context), sport, identify)
        read += got
        bad += unread
    return read, bad
