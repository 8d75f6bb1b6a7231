"""What a book's catalogue adapter provides (``books/<book>/catalogue.py`` exposes ``ADAPTER``, a
``BookAdapter``), and the flow helpers the adapters share: the scrape engine sees only this."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from palimpsest_pipeline.books.errors import BookError
from palimpsest_pipeline.books.list_rows import BadRow, first_of_each
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Event, Tournament

if TYPE_CHECKING:  # annotations only: a parse worker loads this module without the HTTP client
    from palimpsest_pipeline.books.http import BookClient
    from palimpsest_pipeline.books.settings import BookSettings

T = TypeVar("T")
K = TypeVar("K")

#: The most pages of one sport's list read, events a count may announce for it, and tournaments listed one
#: request each: no number a book sends decides on its own how many requests are sent.
MAX_LIST_PAGES = 200
MAX_LIST_EVENTS = MAX_LIST_PAGES * 100
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

    def contains(self, kickoff: datetime) -> bool:
        return self.now <= kickoff <= self.now + self.horizon


@dataclass
class CatalogueParts:
    """What a book's catalogue flow collected, and whether it read everything it should have: only a
    ``complete`` scrape may withdraw an event missing from ``events``."""

    tournaments: list[Tournament] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[BookError] = field(default_factory=list)
    incomplete_reasons: list[str] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    #: sports nothing of which is withdrawn on this scrape, each with why
    held: dict[str, str] = field(default_factory=dict)
    #: why this scrape cannot be true (a count past what any list could hold): it is suspect as a whole
    implausible: list[str] = field(default_factory=list)

    @property
    def held_sports(self) -> dict[str, str]:
        """Sports nothing of which may be withdrawn, each with its first reason."""
        reasons: dict[str, str] = {}
        for row in self.bad_rows:
            reasons.setdefault(row.sport, f"unreadable list row: {row.reason}"[:300])
        for sport, reason in self.held.items():
            reasons.setdefault(sport, reason)
        return reasons

    def hold_sport(self, sport: str, reason: str) -> None:
        self.held.setdefault(sport, reason)

    def count_mismatch(self, sport: str, listed: int, announced: int, what: str) -> None:
        """The book's own count disagrees with its list: a warning, and when the list gave fewer, the
        sport's withdrawals wait (a short answer proves nothing about what it lacks)."""
        self.warnings.append(f"{sport}: {what}")
        if self.plausible(sport, announced, what) and listed < announced:
            self.hold_sport(sport, what)

    def plausible(self, sport: str, count: int, what: str, bound: int = MAX_LIST_EVENTS) -> bool:
        """Whether ``count`` (``what`` the book announces for ``sport``) is from 0 to ``bound``; past it the
        sport is held and the scrape suspect, and the caller uses no such count."""
        if 0 <= count <= bound:
            return True
        shown = f"{count:,}" if abs(count) < 10**15 else f"a {len(str(abs(count)))}-digit number"
        self.past_bound(sport, f"{what}: {shown} is past the {bound:,} any list could hold")
        return False

    def plausible_total(self, sport: str, counts: Sequence[int], what: str) -> int | None:
        """The sum of ``counts`` when each and the sum are ``plausible``; else None."""
        if all(self.plausible(sport, count, what) for count in counts) and self.plausible(
            sport, sum(counts), f"{what} summed"
        ):
            return sum(counts)
        return None

    def plausible_groups(self, groups: Sequence[Tournament], what: str) -> list[Tournament]:
        """The tournaments to list one request each, less every sport listing more than
        ``MAX_LIST_GROUPS`` (held, and the scrape suspect)."""
        sizes = Counter(group.sport for group in groups)
        past = {sport for sport, n in sizes.items() if not self.plausible(sport, n, what, MAX_LIST_GROUPS)}
        return [group for group in groups if group.sport not in past]

    def past_bound(self, sport: str, reason: str) -> None:
        """``sport``'s list reaches past what any list could hold: held, and the scrape suspect."""
        self.implausible.append(f"{sport}: {reason}")
        self.hold_sport(sport, reason)

    @property
    def complete(self) -> bool:
        return not self.failures and not self.incomplete_reasons and not self.implausible


@dataclass(frozen=True)
class BookAdapter:
    """One book's catalogue adapter: everything the generic scrape engine needs to know of it."""

    wire: Callable[[BookSettings], Wire]
    list_catalogue: Callable[[BookClient, Sequence[Sport], Window], Awaitable[CatalogueParts]]
    event_detail_request: Callable[[str], BookRequest]
    #: One event-detail answer (envelope included, or its data) as its event.
    parse_event_detail: Callable[[Any], Event]
    #: Whether the lists announce how many events they hold; without counts a short answer reads as whole,
    #: so each withdrawal is first confirmed by the event's own detail (``scrape.withdrawal_confirmation``).
    lists_give_counts: bool = True
    #: Path prefixes of the requests that read the tournament catalogue (the archive labels answers by them);
    #: every other request of a catalogue scrape reads event lists.
    catalogue_paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settled(Generic[K, T]):
    key: K
    value: T | None
    error: BookError | None


async def settle(keys: Iterable[K], run: Callable[[K], Awaitable[T]]) -> list[Settled[K, T]]:
    """``run(key)`` for every key concurrently (the client's limiter bounds it); a book error is kept per
    key instead of cancelling the others, anything else propagates."""

    async def one(key: K) -> Settled[K, T]:
        try:
            return Settled(key, await run(key), None)
        except BookError as error:
            return Settled(key, None, error)

    return list(await asyncio.gather(*(one(key) for key in keys)))


@dataclass
class Pages(Generic[T]):
    """Every page read, by number, and the errors met (any error makes the list incomplete)."""

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
    """A paged list: the ``expected`` pages concurrently, then one by one until enough empty pages (the
    books count roughly and their lists shift while paged). Never more than ``max_pages`` (then
    ``hit_page_limit``), nor ``MAX_LIST_PAGES``."""
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


def finish_catalogue(parts: CatalogueParts) -> CatalogueParts:
    """The last step of every catalogue flow: events de-duplicated by id, and a tournament for each one
    they name that no catalogue listed."""
    parts.events = first_of_each(parts.events, attrgetter("event_id"))
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
    return parts
