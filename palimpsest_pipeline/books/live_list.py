"""What every book's live-list adapter provides (``books/<book>/live.py`` exposes ``ADAPTER``): one poll of
the book's live list as canonical records, a row that cannot be read costing itself."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar

from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.list_rows import BadRow, first_of_each
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import LiveEvent

T = TypeVar("T")

ListLive = Callable[[BookClient, Sequence[Sport]], Awaitable["LiveParts"]]


@dataclass
class LiveParts:
    """One poll of a book's live list: the rows read and the rows that could not be."""

    events: list[LiveEvent] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)


def same_settings(settings: BookSettings) -> BookSettings:
    return settings


@dataclass(frozen=True)
class LiveAdapter:
    """A book's live product: its wire, the live list's poll flow, the request of one match's in-play detail
    (by the book's event id) and the client settings both are asked with (another base URL where the book's
    live API has its own)."""

    wire: Callable[[BookSettings], Wire]
    list_live: ListLive
    detail_request: Callable[[str], BookRequest]
    live_settings: Callable[[BookSettings], BookSettings] = same_settings


def each_sport(
    request: Callable[[Sport], BookRequest],
    parse: Callable[[Any, Sport], tuple[list[LiveEvent], list[BadRow]]],
) -> ListLive:
    """The poll of a live list asked one request per sport, each answer read with ``parse``."""

    async def list_live(client: BookClient, sports: Sequence[Sport]) -> LiveParts:
        parts = LiveParts()
        for sport in sports:
            fetched = await client.fetch(request(sport), functools.partial(_read_for, parse, sport))
            rows, bad = fetched.value
            parts.events.extend(rows)
            parts.bad_rows.extend(bad)
        parts.events = first_of_each(parts.events, attrgetter("event.event_id"))
        return parts

    return list_live


def _read_for(parse: Callable[[Any, Sport], T], sport: Sport, data: Any) -> T:
    return parse(data, sport)


#: A market id past this many digits is no market id (and a long enough digit string is one Python refuses).
MAX_MARKET_ID_DIGITS = 9


def market_number(value: Any) -> int | None:
    """A live row's market id given as an int or as ASCII digits (``"18"``); None for anything else."""
    if type(value) is int:
        return value
    readable = isinstance(value, str) and value.isascii() and value.isdigit()
    return int(value) if readable and len(value) <= MAX_MARKET_ID_DIGITS else None
