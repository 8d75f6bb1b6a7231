"""One match of the sandbox's world and its tournament: every book's ids and spellings (each book's kit names
them), and when each lists it.

Split from world.py (which generates them): these are the values the payload modules render and the tests
read as ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from palimpsest_pipeline.records import Book, Event
from palimpsest_sandbox import live_coverage
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.live_timeline import in_play_duration
from palimpsest_sandbox.markets.book_lags import book_lag
from palimpsest_sandbox.markets.moves import price_version
from palimpsest_sandbox.prominence import book_depth
from palimpsest_sandbox.start_cases import Reschedule


@dataclass(frozen=True, slots=True)
class WorldTournament:
    """One tournament with every book's id and spelling for it and for its country."""

    key: int  # the SportRadar tournament number
    sport: str
    country: str
    country_key: int  # the SportRadar category number
    name: str
    utc_offset: int
    teams: tuple[tuple[int, str], ...]  # (team key, canonical name)
    number: int  # the world's index of the tournament: the books number theirs from it
    spellings: dict[Book, str] = field(hash=False, compare=False)
    country_spellings: dict[Book, str] = field(hash=False, compare=False)
    #: How much the books make of this competition, 0..1 (prominence.py): top leagues deep, youth shallow.
    weight: float = field(default=0.5, hash=False, compare=False)

    def tournament_id(self, book: Book) -> str:
        return kit(book).ids.tournament(self)

    def country_id(self, book: Book) -> str:
        """The book's own id of this tournament's country."""
        return kit(book).ids.country(self)


@dataclass(frozen=True, slots=True)
class Listing:
    """When one book shows one match: from ``appear_at`` until kick-off or ``withdrawn_at``."""

    appear_at: datetime
    withdrawn_at: datetime | None

    def shown_at(self, at: datetime, kickoff: datetime) -> bool:
        end = kickoff if self.withdrawn_at is None else min(kickoff, self.withdrawn_at)
        return self.appear_at <= at < end


@dataclass(frozen=True, slots=True)
class WorldEvent:
    """One match in the world, with every book's ids and spellings for it."""

    uid: int
    sr_id: int
    match_seed: int
    sport: str
    tournament: WorldTournament
    home_key: int
    away_key: int
    home: dict[Book, str] = field(hash=False, compare=False)
    away: dict[Book, str] = field(hash=False, compare=False)
    kickoff: datetime = field(hash=False, compare=False)
    listings: dict[Book, Listing] = field(hash=False, compare=False)
    genius_id: int | None = None
    genius_sourced: bool = False  # a book's feed of the match is Genius's, not SportRadar's
    sr_id_hidden: frozenset[Book] = frozenset()  # the books that show no SportRadar id for the match
    bare_rows: frozenset[Book] = frozenset()  # the books whose list row of the match omits its provider ids
    #: How big the match is, 0..1 (prominence.py): sets how many markets every book lists for it.
    prominence: float = 0.5
    #: The kick-off's move, when the match was rescheduled (``kickoff`` is then the new one; start_cases.py).
    rescheduled: Reschedule | None = field(default=None, hash=False, compare=False)
    #: How long after ``kickoff`` the match really starts (a delayed match; start_cases.py).
    play_delay: timedelta = field(default=timedelta(0), hash=False, compare=False)

    @property
    def played_from(self) -> datetime:
        """When the match really kicks off: the listed kick-off, later for a delayed match."""
        return self.kickoff + self.play_delay

    def as_listed(self, at: datetime) -> WorldEvent:
        """The match as the prematch lists show it at ``at``: with its old kick-off before a reschedule's
        move."""
        moved = self.rescheduled
        if moved is None or at >= moved.moved_at:
            return self
        return replace(self, kickoff=moved.listed_before)

    def visible_sr_id(self, book: Book) -> int | None:
        """The SportRadar id ``book`` shows for this match (None where it shows none)."""
        return None if book in self.sr_id_hidden else self.sr_id

    def visible_genius_id(self, book: Book) -> int | None:
        """The Genius Sports id ``book`` shows: always, or where its feed of the match is Genius's."""
        shown = kit(book).ids.genius
        return (
            self.genius_id if shown == "always" or (shown == "when_sourced" and self.genius_sourced) else None
        )

    def event_id(self, book: Book) -> str:
        return kit(book).ids.event(self)

    def price_version(self, book: Book, at: datetime, reprice_scale: float = 1.0) -> int:
        """The match's price version on ``book`` at ``at`` (markets/moves.py): it steps whenever one of its
        market groups re-prices, faster as kick-off nears; each book sees the feed its own lag behind
        (markets/book_lags.py), the same for every request."""
        return price_version(
            self.match_seed, self.kickoff, at - book_lag(book, self.match_seed), reprice_scale
        )

    def depth(self, book: Book) -> float:
        """How deep ``book`` lists this match, 0..1 (the market renderers' ``depth``)."""
        return book_depth(self.prominence, book, self.match_seed)

    @property
    def in_play_until(self) -> datetime:
        """When the match is over and leaves the live pages (whole minutes after the real kick-off)."""
        return self.played_from + in_play_duration(self.sport, self.match_seed)

    def in_play(self, book: Book, at: datetime) -> bool:
        """Whether ``book`` shows this match live at ``at``: it listed it until kick-off (a withdrawn match
        never goes live there) and the match has really kicked off and is not over yet."""
        listing = self.listings.get(book)
        if listing is None or (listing.withdrawn_at is not None and listing.withdrawn_at < self.kickoff):
            return False
        return self.played_from <= at < self.in_play_until

    def live_on(self, book: Book, at: datetime) -> bool:
        """Whether ``book``'s live list shows this match at ``at`` (live_coverage.py: a book goes live some
        time after kick-off or never, and may drop the match for a spell mid-match)."""
        return live_coverage.live_on(self, book, at)

    def live_gap_intervals(self, book: Book) -> tuple[tuple[datetime, datetime], ...]:
        """The [start, end) spells of the match in play that ``book``'s live list lacks it."""
        return live_coverage.live_gap_intervals(self, book)

    def record(self, book: Book) -> Event:
        """This match as ``book`` lists it, in the canonical record the adapters produce."""
        return Event(
            book=book,
            event_id=self.event_id(book),
            sr_id=self.visible_sr_id(book),
            home=self.home[book],
            away=self.away[book],
            kickoff=self.kickoff,
            tournament_id=self.tournament.tournament_id(book),
            tournament_name=self.tournament.spellings[book],
            country=self.tournament.country_spellings[book],
            sport=self.sport,
            genius_id=self.visible_genius_id(book),
            country_id=self.tournament.country_id(book),
        )
