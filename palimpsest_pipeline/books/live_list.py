"""What every book's live-list adapter provides: one poll of the book's live list as canonical records.

Each book has a ``books/<book>/live.py`` exposing ``ADAPTER``. A live list is small (tens to a few
hundred rows), so one poll is one to a few requests per book; a row that cannot be read costs itself (it is
counted and kept with its reason), a shape the parser does not know fails the whole poll loudly.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from palimpsest_pipeline.books.adapter import BadRow
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book, LiveEvent

T = TypeVar("T")


@dataclass
class LiveParts:
    """One poll of a book's live list: the rows read and the rows that could not be."""

    events: list[LiveEvent] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)


@dataclass(frozen=True)
class LiveAdapter:
    """A book's live list: its wire, where its live API lives, and the poll flow."""

    book: Book
    wire: Callable[[BookSettings], Wire]
    #: The client settings the live list is asked with (Bet9ja's live API has a base URL of its own).
    live_settings: Callable[[BookSettings], BookSettings]
    list_live: Callable[[BookClient, Sequence[Sport]], Awaitable[LiveParts]]


def same_settings(settings: BookSettings) -> BookSettings:
    """The default ``live_settings``: the live list is under the book's usual base URL."""
    return settings


def dedupe_live(events: Sequence[LiveEvent]) -> list[LiveEvent]:
    """Keep the first row of each event id (a list shifting between pages repeats a row)."""
    seen: dict[str, LiveEvent] = {}
    for live in events:
        seen.setdefault(live.event.event_id, live)
    return list(seen.values())


async def poll_each_sport(
    client: BookClient,
    sports: Sequence[Sport],
    request: Callable[[Sport], BookRequest],
    parse: Callable[[Any, Sport], tuple[list[LiveEvent], list[BadRow]]],
) -> LiveParts:
    """A live list asked one request per sport: each sport's rows read with ``parse``, then de-duplicated."""
    parts = LiveParts()
    for sport in sports:
        fetched = await client.fetch(request(sport), functools.partial(_parse_for, parse, sport))
        rows, bad = fetched.value
        parts.events.extend(rows)
        parts.bad_rows.extend(bad)
    parts.events = dedupe_live(parts.events)
    return parts


def _parse_for(parse: Callable[[Any, Sport], T], sport: Sport, data: Any) -> T:
    return parse(data, sport)
