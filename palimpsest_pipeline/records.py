"""Canonical records shared by every layer: the adapters in ``books/`` translate each book's dialect to them.

Plain dataclasses or NamedTuples (thousands are built per scrape, validated while parsing). Every ``datetime``
is aware UTC; ``event_id`` / ``tournament_id`` / ``country_id`` are the book's own ids as text; ``sr_id``
(SportRadar match id) and ``genius_id`` (Genius Sports event id, linking a match where one lacks the SR id)
are ``int`` or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal, NamedTuple

# Limits on the text a book sends: the parsers set an over-long key aside, the stores quarantine it.
#: Ids and keys are B-tree indexed, and an index entry must stay well under a third of a page.
MAX_ID_CHARS = 200
#: Names: a longer "name" is an error page or a concatenation, and would break the indexes and the reports.
MAX_NAME_CHARS = 500
#: Specifiers are part of the odds key (B-tree); a combination of UOF outcomes runs to a few hundred.
MAX_SPECIFIER_CHARS = 1_000
#: Control characters no id, key or name holds (tab and line breaks aside, which names occasionally carry).
CONTROL_CHARACTERS = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r"}


class Book(StrEnum):
    """The books we compare, each with its kit ``books/<value>/``: the value is the key used in tables,
    partitions and config, the order the books' order in every table, page and precedence (BetPawa first)."""

    BETPAWA = "betpawa"
    SPORTYBET = "sportybet"
    BET9JA = "bet9ja"
    MSPORT = "msport"
    BETWAY = "betway"
    BETIKA = "betika"


#: The site country read when ``PALIMPSEST_COUNTRIES`` names none (its documented default), and the report's
#: first part. Not a settings rule: every edition's variables name their country
#: (``PALIMPSEST_<BOOK>_NG_URL``).
DEFAULT_SITE_COUNTRY = "ng"


@dataclass(frozen=True, slots=True)
class Tournament:
    """One tournament (competition) as a book lists it."""

    book: Book
    tournament_id: str
    name: str
    country: str | None
    sport: str  # canonical sport key, e.g. "football" (see books/sports.py)
    event_count: int | None = None  # what the book's catalogue claims, when it says
    country_id: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One upcoming event as a book lists it."""

    book: Book
    event_id: str
    sr_id: int | None
    home: str
    away: str
    kickoff: datetime
    tournament_id: str
    tournament_name: str
    country: str | None
    sport: str
    genius_id: int | None = None
    country_id: str | None = None


OddsState = Literal["open", "suspended"]


class OddsRow(NamedTuple):
    """One price for one outcome, keyed in the canonical (UOF) vocabulary of ../shared/MARKETS.md; a tuple, as
    parsers build one per outcome. ``specifier`` is normalised: ``key=value`` pairs sorted by key, joined by
    ``|``, numbers in their shortest form ("2.5", never "2.50"), empty when the market has none."""

    sr_id: int
    book: Book
    market: int
    specifier: str
    outcome: int
    price: float | None
    state: OddsState
    captured_at: datetime


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One match on a book's live list: the match as the book shows it (``event.kickoff`` is its start), how
    many live market lines its row carries and how many of those are suspended (no outcome available)."""

    event: Event
    markets: int
    suspended: int
    #: The match minute the row reports (None: the book's row carries none, or it could not be read).
    minute: int | None = None
    #: The score (home, away) the row shows (None: it carries none, or its two places disagree).
    score: tuple[int, int] | None = None
    #: The football half the row gives: first_half, half_time or second_half (None: none, or unreadable).
    half: str | None = None
    #: Each live line the row carries: (canonical market id, specifier, suspended); empty where the book's
    #: row lines are not read one by one.
    lines: tuple[tuple[int, str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class Gap:
    """One gap episode as the warehouse keeps it; ``gap_id`` None until stored."""

    sr_id: int
    side: str
    sport: str
    country: str | None
    tournament: str
    home: str
    away: str
    live_on: tuple[str, ...]
    missing_on: tuple[str, ...]
    since: datetime
    last_seen_at: datetime
    gap_id: int | None = None


@dataclass(frozen=True)
class GapChanges:
    """What one poll does to the episodes: new ones, open ones seen again (updated), ones that ended."""

    opened: list[Gap]
    continued: list[Gap]
    closed: list[Gap]
    unlinked: int  # live rows that carry no SportRadar id (nor a Genius id another book links)


@dataclass(frozen=True, slots=True)
class Suspension:
    """One book's live list in one poll: matches, market lines, suspended lines (None unless usable)."""

    book: Book
    status: str
    live_events: int | None
    markets: int | None
    suspended: int | None
    error: str | None
    #: Rows of the answer that could not be read (each cost only itself).
    bad_rows: int = 0

    @property
    def suspended_share(self) -> float | None:
        if not self.markets or self.suspended is None:
            return None
        return self.suspended / self.markets
