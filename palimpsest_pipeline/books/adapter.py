"""What every book adapter provides, and the book-independent helpers adapters share.

An adapter is one module per book (``betpawa.py``, ``sportybet.py``, ``bet9ja.py``) exposing an
``ADAPTER`` value of type ``BookAdapter``: its wire profile, its catalogue flow (which requests, in which
order, with which stop rules) and its pure parse functions. The scrape engine only ever sees this interface,
so a fourth book is one new module plus one registry entry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from palimpsest_pipeline.books.errors import BookError, PayloadError
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book, Event, Tournament

if TYPE_CHECKING:  # annotations only: a parse worker loads this module without the HTTP client
    from palimpsest_pipeline.books.http import BookClient
    from palimpsest_pipeline.books.settings import BookSettings

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class Window:
    """The kick-off window a catalogue scrape keeps: ``[now, now + horizon]``."""

    now: datetime
    horizon: timedelta

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError(f"window start must be timezone-aware UTC, got naive {self.now.isoformat()}")
        if self.horizon <= timedelta(0):
            raise ValueError(f"horizon must be positive, got {self.horizon}")

    @property
    def end(self) -> datetime:
        return self.now + self.horizon

    def contains(self, kickoff: datetime) -> bool:
        return self.now <= kickoff <= self.end


@dataclass(frozen=True)
class BadRow:
    """A list row that could not be read: it costs its own row, and its sport's withdrawals in this scrape.
    ``event_id`` and ``sr_id`` are what the row still says of itself (None where that too is unreadable), so
    the row set aside names its event."""

    sport: str
    reason: str
    value: Any
    event_id: str | None = None
    sr_id: int | None = None


#: What a list row says of itself where it can be read: its event id and its SR id (None where not).
RowIdentity = tuple[str | None, int | None]


def read_or_none(read: Callable[[], T]) -> T | None:
    """``read()``, or None when the payload cannot give it (a reading that must never cost more)."""
    try:
        return read()
    except PayloadError:
        return None


def parse_rows(
    rows: Iterable[Node],
    parse: Callable[[Node], T],
    sport: str,
    identify: Callable[[Node], RowIdentity] | None = None,
) -> tuple[list[T], list[BadRow]]:
    """Each row parsed on its own: the rows read, and the rows that were not with their reasons (and, with
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


@dataclass
class CatalogueParts:
    """What a book's catalogue flow collected, and whether it read everything it should have.

    ``complete`` stays True only if every list page and every needed detail was read: only then may the
    warehouse treat an event missing from ``events`` as withdrawn.
    """

    tournaments: list[Tournament] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[BookError] = field(default_factory=list)
    incomplete_reasons: list[str] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    #: sports held on this scrape, each with why: its lists gave fewer events than the book's own counts
    #: announce, or answered what cannot be read whole
    held: dict[str, str] = field(default_factory=dict)

    @property
    def held_sports(self) -> dict[str, str]:
        """Sports nothing of which may be withdrawn on this scrape, each with its first reason: a row or
        wrapper that could not be read, or fewer events listed than the book counts."""
        reasons: dict[str, str] = {}
        for row in self.bad_rows:
            reasons.setdefault(row.sport, f"unreadable list row: {row.reason}"[:300])
        for sport, reason in self.held.items():
            reasons.setdefault(sport, reason)
        return reasons

    def hold_sport(self, sport: str, reason: str) -> None:
        """Nothing of ``sport`` misses on this scrape (the first reason given is kept)."""
        self.held.setdefault(sport, reason)

    def count_mismatch(self, sport: str, listed: int, announced: int, what: str) -> None:
        """The book's own count disagrees with what its list gave: a warning, and when the list gave fewer,
        the sport's withdrawals wait (an answer missing events proves nothing about them)."""
        self.warnings.append(f"{sport}: {what}")
        if listed < announced:
            self.hold_sport(sport, what)

    @property
    def complete(self) -> bool:
        return not self.failures and not self.incomplete_reasons

    def fail(self, error: BookError) -> None:
        self.failures.append(error)

    def incomplete(self, reason: str) -> None:
        self.incomplete_reasons.append(reason)


@dataclass(frozen=True)
class BookAdapter:
    """One book's adapter: everything the generic scrape engine needs to know about it."""

    book: Book
    wire: Callable[[BookSettings], Wire]
    list_catalogue: Callable[[BookClient, Sequence[Sport], Window], Awaitable[CatalogueParts]]
    event_detail_request: Callable[[str], BookRequest]
    #: Parses one event-detail answer (whole decoded response, envelope included, or its unwrapped data).
    parse_event_detail: Callable[[Any], Event]
    #: Whether the book's lists announce how many events they hold: a short answer is then caught by its
    #: count (``CatalogueParts.count_mismatch``); without counts (MSport, Betway) a short answer reads as
    #: whole, so each withdrawal is first confirmed by the event's own detail (``scrape.catalogue``).
    lists_give_counts: bool


# --------------------------------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Settled(Generic[K, T]):
    key: K
    value: T | None
    error: BookError | None


async def settle(keys: Iterable[K], run: Callable[[K], Awaitable[T]]) -> list[Settled[K, T]]:
    """Run ``run(key)`` for every key concurrently (the client's limiter bounds the real concurrency).

    Book errors are collected per key instead of cancelling the siblings; anything else is a bug and
    propagates.
    """

    async def one(key: K) -> Settled[K, T]:
        try:
            return Settled(key, await run(key), None)
        except BookError as error:
            return Settled(key, None, error)

    return list(await asyncio.gather(*(one(key) for key in keys)))


@dataclass
class Pages(Generic[T]):
    """Every page read, in page order, plus the errors met (any error makes the list incomplete)."""

    pages: dict[int, list[T]] = field(default_factory=dict)
    errors: list[BookError] = field(default_factory=list)
    hit_page_limit: bool = False

    def items(self) -> list[T]:
        return [item for number in sorted(self.pages) for item in self.pages[number]]


async def read_pages(
    fetch_page: Callable[[int], Awaitable[list[T]]],
    *,
    first: int,
    expected: int,
    empty_pages_to_stop: int,
    max_pages: int,
) -> Pages[T]:
    """Read a paged list: the ``expected`` pages concurrently, then one by one until enough empty pages.

    Books only tell us roughly how many pages there are (and lists shift while we page), so the expected pages
    are fetched in parallel for speed and the end is then confirmed by reading empty pages, which the books
    return past the end. ``max_pages`` stops a list that never ends (reported via ``hit_page_limit``).
    """
    result: Pages[T] = Pages()
    batch = list(range(first, first + max(0, min(expected, max_pages))))
    for settled in await settle(batch, fetch_page):
        if settled.error is not None:
            result.errors.append(settled.error)
        else:
            result.pages[settled.key] = settled.value or []
    if result.errors:
        return result
    trailing_empty = 0
    for number in batch:
        trailing_empty = 0 if result.pages[number] else trailing_empty + 1
    number = first + len(batch)
    while trailing_empty < empty_pages_to_stop:
        if number - first >= max_pages:
            result.hit_page_limit = True
            break
        try:
            page = await fetch_page(number)
        except BookError as error:
            result.errors.append(error)
            break
        result.pages[number] = page
        trailing_empty = 0 if page else trailing_empty + 1
        number += 1
    return result


def dedupe_events(events: Iterable[Event]) -> list[Event]:
    """Keep the first occurrence of each event id (pages overlap when a book's list shifts as we page)."""
    seen: dict[str, Event] = {}
    for event in events:
        seen.setdefault(event.event_id, event)
    return list(seen.values())


def add_missing_tournaments(parts: CatalogueParts) -> None:
    """Add a tournament record for every tournament an event references but the catalogue did not list."""
    known = {tournament.tournament_id for tournament in parts.tournaments}
    for event in parts.events:
        if event.tournament_id not in known:
            known.add(event.tournament_id)
            parts.tournaments.append(
                Tournament(
                    book=event.book,
                    tournament_id=event.tournament_id,
                    name=event.tournament_name,
                    country=event.country,
                    sport=event.sport,
                    event_count=None,
                    country_id=event.country_id,
                )
            )


def finish_catalogue(parts: CatalogueParts) -> CatalogueParts:
    """The last step of every catalogue flow: events de-duplicated by id (lists shift while paged, groups
    overlap), and a tournament record for each tournament they name that no catalogue listed."""
    parts.events = dedupe_events(parts.events)
    add_missing_tournaments(parts)
    return parts
