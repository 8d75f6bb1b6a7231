"""What every book adapter provides, and the book-independent helpers adapters share: each
``books/<book>/catalogue.py`` exposes an ``ADAPTER`` (``catalogue_module_adapter``): its wire profile, its
catalogue flow and its pure parse functions, found by the book's kit; the scrape engine sees only this."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
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
C = TypeVar("C")

#: The most pages one sport's list is read in. The books page by 100 events, and their largest real lists take
#: 15 to 19 pages (captured: SportyBet Nigeria's football catalogue, ``eventSize`` 1,419; BetPawa Cameroon's
#: football, 1,805 upcoming): 200 pages is ten times that. No list is read past it (``read_pages``), and a
#: count announcing more is not believed (``CatalogueParts.plausible``), so no number a book sends decides
#: on its own how many requests are sent.
MAX_LIST_PAGES = 200
#: The most events a count may announce for one list: ``MAX_LIST_PAGES`` pages of 100.
MAX_LIST_EVENTS = MAX_LIST_PAGES * 100
#: The most tournaments (leagues, groups) of one sport listed one request each (Bet9ja, Betway): ten times the
#: largest real catalogue (BetPawa Cameroon's football: 302 competitions; SportyBet Nigeria's: 235).
MAX_LIST_GROUPS = 3_000


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


def wrapper_set_aside(sport: str, label: str, error: PayloadError, value: Any, rows_key: str) -> BadRow:
    """A wrapper of rows (a tournament, a region, a country) that could not be read, as set aside: its
    reason, and its own fields with its rows counted rather than kept (they are read or set aside one by
    one)."""
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
    read_row: Callable[[Node, C | None], T],
    identify: Callable[[Node], RowIdentity] | None = None,
    *,
    label: str = "wrapper",
) -> tuple[list[T], list[BadRow]]:
    """A list grouped in wrappers (tournaments, regions), each holding its rows under ``rows_key``: every row
    read on its own with what its wrapper says (``context_of``: the tournament or country of rows that do
    not name their own). A wrapper that cannot be read costs itself, never the list: it is set aside with
    its reason (which holds its sport's withdrawals) and its rows are still read without it (``None``), so
    those that name their own tournament are kept. The rows read, and those set aside."""
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
        got, unread = parse_rows(rows, _with_context(read_row, context), sport, identify)
        read += got
        bad += unread
    return read, bad


def _with_context(read_row: Callable[[Node, C | None], T], context: C | None) -> Callable[[Node], T]:
    def read(row: Node) -> T:
        return read_row(row, context)

    return read


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
    #: why this scrape cannot be true: a number the book sent past what any of its lists could hold
    #: (``plausible``); the scrape is then suspect as a whole
    implausible: list[str] = field(default_factory=list)

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
        the sport's withdrawals wait (an answer missing events proves nothing about them). A count no list
        could hold makes the scrape suspect (``plausible``)."""
        self.warnings.append(f"{sport}: {what}")
        if not self.plausible(sport, announced, what):
            return
        if listed < announced:
            self.hold_sport(sport, what)

    def plausible(self, sport: str, count: int, what: str, bound: int = MAX_LIST_EVENTS) -> bool:
        """Whether ``count`` (``what`` the book announces for ``sport``) is one a list could hold: from 0 to
        ``bound``. Past it the book's answer cannot be true: the sport is held and the scrape suspect, with
        the count and the bound named; the caller uses no such count."""
        if 0 <= count <= bound:
            return True
        shown = f"{count:,}" if abs(count) < 10**15 else f"a {len(str(abs(count)))}-digit number"
        self.past_bound(sport, f"{what}: {shown} is past the {bound:,} any list could hold")
        return False

    def plausible_total(self, sport: str, counts: Sequence[int], what: str) -> int | None:
        """The sum of the counts a catalogue gives ``sport`` (``what``), when each and the sum are
        ``plausible``; else None."""
        if all(self.plausible(sport, count, what) for count in counts) and self.plausible(
            sport, sum(counts), f"{what} summed"
        ):
            return sum(counts)
        return None

    def plausible_groups(self, groups: Sequence[Tournament], what: str) -> list[Tournament]:
        """The tournaments to list one request each (``what``), less every sport listing more than
        ``MAX_LIST_GROUPS``: past any real catalogue, such a sport is held and the scrape suspect."""
        sizes = Counter(group.sport for group in groups)
        past = {sport for sport, n in sizes.items() if not self.plausible(sport, n, what, MAX_LIST_GROUPS)}
        return [group for group in groups if group.sport not in past]

    def past_bound(self, sport: str, reason: str) -> None:
        """``sport``'s list reaches past what any list could hold (``reason``): nothing of it is withdrawn
        and the scrape is suspect."""
        self.implausible.append(f"{sport}: {reason}")
        self.hold_sport(sport, reason)

    @property
    def complete(self) -> bool:
        return not self.failures and not self.incomplete_reasons and not self.implausible

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
    #: Path prefixes (relative to the base URL) of the requests that read the tournament catalogue; every
    #: other request of a catalogue scrape reads event lists (empty where the lists carry their tournaments).
    #: The archive labels each answer by them.
    catalogue_paths: tuple[str, ...]


def catalogue_module_adapter(
    module: str, *, lists_give_counts: bool, catalogue_paths: tuple[str, ...] = ()
) -> BookAdapter:
    """The adapter of a book's catalogue ``module`` (called at its end with ``__name__``), made of what every
    catalogue module defines: ``BOOK``, ``wire``, ``list_catalogue``, ``event_detail_request`` and
    ``parse_event_detail``; a module lacking one fails its import with the name."""
    names = vars(sys.modules[module])
    return BookAdapter(
        book=names["BOOK"],
        wire=names["wire"],
        list_catalogue=names["list_catalogue"],
        event_detail_request=names["event_detail_request"],
        parse_event_detail=names["parse_event_detail"],
        lists_give_counts=lists_give_counts,
        catalogue_paths=catalogue_paths,
    )


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
    return past the end. ``max_pages`` stops a list that never ends (reported via ``hit_page_limit``); no
    list is read in more than ``MAX_LIST_PAGES`` pages, whatever its caller counted.
    """
    result: Pages[T] = Pages()
    max_pages = min(max_pages, MAX_LIST_PAGES)
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
