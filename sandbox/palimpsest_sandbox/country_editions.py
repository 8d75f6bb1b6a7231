"""Every country edition of every book over one world: which edition a request is for, and what it lists.

A request names its edition as the real site's client does (books/editions.toml): by a header, a parameter
or a path of the edition's own (each book's kit says which). An edition lists the shared world's matches (a
share of them: ``EditionConfig.coverage``) and its own country's domestic leagues (domestic.py), never
another country's; Nigeria's editions, at their defaults, serve the world unchanged.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book, Event
from palimpsest_sandbox.config import EditionConfig, default_edition, edition_key
from palimpsest_sandbox.domestic import DomesticLeagues
from palimpsest_sandbox.faults import FaultInjector
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.names import stable_hash, unit
from palimpsest_sandbox.world import World, WorldEvent, WorldTournament

#: The football tournaments of the shared world that are Nigeria's own: only Nigeria's editions list them.
NIGERIAN_COUNTRY = "Nigeria"
_CACHE_SIZE = 64


def site_country(book: Book, request: Request) -> str | None:
    """The country whose edition of ``book`` the request is for; None when it names none the book has. By
    the book's own rule (its kit's ``Serving.site_country``), else by the path's ``{cc}`` (none: the default
    site, a book's one site or its shared-world path)."""
    own = kit(book).serving.site_country
    if own is not None:
        return own(request)
    country = request.path_params.get("cc")
    if country is None:
        return DEFAULT_SITE_COUNTRY
    return country if (book, country) in EDITIONS else None


class EditionWorld:
    """The world as one country's editions list it: the shared world's matches each edition covers, listed
    its lag late, plus the country's domestic matches. The methods the handlers and tests call on a World."""

    def __init__(
        self, world: World, domestic: DomesticLeagues, country: str, config: Callable[[Book], EditionConfig]
    ) -> None:
        self.world = world
        self.country = country
        self._domestic = domestic
        self._config = config
        self._lock = threading.Lock()
        self._listings: OrderedDict[tuple[Book, datetime, float, int], tuple[WorldEvent, ...]] = OrderedDict()

    @property
    def tournaments(self) -> tuple[WorldTournament, ...]:
        return self.world.tournaments + self._domestic.tournaments(self.country)

    def covers(self, book: Book, event: WorldEvent) -> bool:
        """Whether this country's ``book`` edition lists ``event`` at all (its coverage of the world)."""
        if event.tournament in self._domestic.tournaments(self.country):
            return True
        if self.country != DEFAULT_SITE_COUNTRY and _nigerian(event):
            return False
        coverage = self._config(book).coverage
        return (
            coverage >= 1.0
            or unit(self.world.seed, "edition", event.uid, book.value, self.country) < coverage
        )

    def _lagged(self, book: Book, event: WorldEvent, at: datetime) -> bool:
        """Whether the edition has not picked the event up yet at ``at`` (its listing lag)."""
        lag = self._config(book).listing_lag_min
        return lag > 0 and at < event.listings[book].appear_at + timedelta(minutes=lag)

    def listed(self, book: Book, at: datetime, *, sport: str | None = None) -> list[Event]:
        """Every event the edition lists at ``at``, as the adapters should parse it (the tests' truth)."""
        return [event.record(book) for event in self.listed_events(book, at, sport=sport)]

    def listed_events(self, book: Book, at: datetime, *, sport: str | None = None) -> tuple[WorldEvent, ...]:
        minute = at.astimezone(UTC).replace(second=0, microsecond=0)
        config = self._config(book)
        key = (book, minute, config.coverage, config.listing_lag_min)
        with self._lock:
            cached = self._listings.get(key)
        if cached is None:
            shared = (e for e in self.world.listed_events(book, minute) if self.covers(book, e))
            domestic = (
                e
                for e in self._domestic_events(self._days(minute))
                if book in e.listings and e.listings[book].shown_at(minute, e.kickoff)
            )
            cached = tuple(
                sorted(
                    (e for e in (*shared, *domestic) if not self._lagged(book, e, minute)),
                    key=lambda e: (e.kickoff, e.uid),
                )
            )
            with self._lock:
                self._listings[key] = cached
                while len(self._listings) > _CACHE_SIZE:
                    self._listings.popitem(last=False)
        return cached if sport is None else tuple(e for e in cached if e.sport == sport)

    def find(self, book: Book, event_id: str, at: datetime) -> WorldEvent | None:
        event = self.world.find(book, event_id, at)
        if event is not None:
            return event if self.covers(book, event) and not self._lagged(book, event, at) else None
        return next((e for e in self.listed_events(book, at) if e.event_id(book) == event_id), None)

    def find_in_play(self, book: Book, event_id: str, at: datetime) -> WorldEvent | None:
        event = self.world.find_in_play(book, event_id, at)
        if event is not None:
            return event if self.covers(book, event) else None
        return next((e for e in self.in_play_events(book, at) if e.event_id(book) == event_id), None)

    def in_play_events(self, book: Book, at: datetime, *, sport: str | None = None) -> list[WorldEvent]:
        shared = [e for e in self.world.in_play_events(book, at, sport=sport) if self.covers(book, e)]
        own = self._domestic_events(_live_days(at))
        return _merged(shared, (e for e in own if e.in_play(book, at) and sport in (None, e.sport)))

    def live_events(self, book: Book, at: datetime) -> list[WorldEvent]:
        shared = [e for e in self.world.live_events(book, at) if self.covers(book, e)]
        return _merged(shared, (e for e in self._domestic_events(_live_days(at)) if e.live_on(book, at)))

    def _days(self, at: datetime) -> Iterable[date]:
        first, last = at.date(), (at + timedelta(days=self.world.days)).date()
        return (first + timedelta(days=offset) for offset in range((last - first).days + 1))

    def _domestic_events(self, days: Iterable[date]) -> list[WorldEvent]:
        return [event for day in days for event in self._domestic.day(self.country, day)]


def _nigerian(event: WorldEvent) -> bool:
    return event.sport == "football" and event.tournament.country == NIGERIAN_COUNTRY


def _live_days(at: datetime) -> tuple[date, date]:
    today = at.astimezone(UTC).date()
    return (today - timedelta(days=1), today)


def _merged(first: list[WorldEvent], more: Iterable[WorldEvent]) -> list[WorldEvent]:
    return sorted((*first, *more), key=lambda e: (e.kickoff, e.uid))


class Editions:
    """Every edition's configuration, world and fault draws. Thread-safe; changed at run time through
    ``PUT /_sandbox/editions`` or :meth:`SandboxHandle.set_edition`."""

    def __init__(self, seed: int, world: World, configured: dict[str, EditionConfig]) -> None:
        self.seed = seed
        self.world = world
        self.domestic = DomesticLeagues(world)
        self._lock = threading.Lock()
        self._configs: dict[tuple[Book, str], EditionConfig] = {
            edition_key(name): config for name, config in configured.items()
        }
        self._injectors: dict[tuple[Book, str], FaultInjector] = {}
        self._views: dict[str, EditionWorld] = {}

    def config(self, book: Book, country: str) -> EditionConfig:
        with self._lock:
            return self._configs.get((book, country), default_edition(country))

    def set_config(self, book: Book, country: str, config: EditionConfig) -> EditionConfig:
        """Replace one edition's configuration; returns the previous one (to restore it)."""
        edition_key(f"{book.value}.{country}")
        with self._lock:
            previous = self._configs.get((book, country), default_edition(country))
            self._configs[(book, country)] = config
            self._injectors.pop((book, country), None)
        return previous

    def configured(self) -> dict[str, EditionConfig]:
        with self._lock:
            return {f"{book.value}.{country}": config for (book, country), config in self._configs.items()}

    def is_plain(self, book: Book, country: str) -> bool:
        """Whether the edition serves the shared world as it is (Nigeria's, at its defaults)."""
        config = self.config(book, country)
        return country == DEFAULT_SITE_COUNTRY and config.coverage >= 1.0 and config.listing_lag_min == 0

    def world_of(self, country: str) -> EditionWorld:
        """The world as ``country``'s editions list it: the tests' ground truth for that country."""
        with self._lock:
            view = self._views.get(country)
            if view is None:
                view = EditionWorld(
                    self.world, self.domestic, country, lambda book: self.config(book, country)
                )
                self._views[country] = view
        return view

    def injector(self, book: Book, country: str) -> FaultInjector | None:
        """The edition's own fault draws, or None when it shares the book's (no behaviour of its own)."""
        behaviour = self.config(book, country).behaviour
        if behaviour is None:
            return None
        with self._lock:
            injector = self._injectors.get((book, country))
            if injector is None:
                seed = stable_hash(self.seed, "edition", country) % 2**31
                injector = FaultInjector(seed, {book: behaviour})
                self._injectors[(book, country)] = injector
        return injector
