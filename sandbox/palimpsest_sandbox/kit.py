"""One book as the sandbox serves it: the typed kit each folder under ``books/`` exports as ``BOOK``.

The shared modules (the app, the world, prices, live coverage, the fault machinery) keep no table of books:
each asks :func:`kit` for the book's part. A kit lacking a part does not load; a part with a default is what
most books do (SportRadar's names, a site per ``{cc}`` path).
"""

from __future__ import annotations

import functools
import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import orjson

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.names import Spelling

if TYPE_CHECKING:
    from starlette.requests import Request

    from palimpsest_sandbox.app_state import Answer, Handler
    from palimpsest_sandbox.rendering import Rendered
    from palimpsest_sandbox.world_event import WorldEvent, WorldTournament

#: What a route answers, for the answer faults that rewrite some answers only (answer_faults.py): a list of
#: events, one event's detail, events in named wrappers, a list that says how long it is.
AnswerKind = Literal["list", "detail", "wrapper", "count"]


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: its path below the book's prefixes (or below ``mount``), its handler, what it answers,
    and the name its answers are counted under (``endpoint``; by default its path)."""

    path: str
    handler: Handler
    answers: Set[AnswerKind] = frozenset()
    endpoint: str = ""
    methods: tuple[str, ...] = ("GET",)
    mount: str | None = None

    @property
    def name(self) -> str:
        return self.endpoint or self.path


@dataclass(frozen=True, slots=True)
class Serving:
    """Where the book answers: its default site's prefix and routes, each country edition's prefix (``{cc}``
    the country; None: the default's), other bases it announces (``extra_paths``); which edition a request is
    for (None: the ``{cc}`` of the path) and what a request naming no edition of the book gets (None: 404)."""

    base_path: str
    routes: tuple[Route, ...]
    edition_path: str | None = None
    extra_paths: Mapping[str, str] = field(default_factory=dict)
    site_country: Callable[[Request], str | None] | None = None
    unknown_edition: Callable[[Request], Answer] | None = None


@dataclass(frozen=True, slots=True)
class Stream:
    """Where the book's listings come from: the world's day stream (drawn in ``day_order``) or a stream of its
    own (``salt``, listing ``listed_share`` of the matches), each match ``lead_offset_days`` earlier or later;
    on the day stream, the shares of matches it shows without the SportRadar id or without provider ids in
    list rows."""

    lead_offset_days: float
    day_order: int | None = None
    salt: int = 0
    listed_share: float = 0.0
    no_sr_id_share: float = 0.0
    bare_row_share: float = 0.0


@dataclass(frozen=True, slots=True)
class Ids:
    """How the book names a match, its tournament and that one's country; whether it shows the Genius id, and
    the shares of matches (Genius-fed, others) whose SportRadar id it hides, drawn from hashes of a match."""

    event: Callable[[WorldEvent], str]
    tournament: Callable[[WorldTournament], str]
    country: Callable[[WorldTournament], str]
    genius: Literal["always", "when_sourced", "never"] = "never"
    sr_widget_hidden: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Pricing:
    """How the book prices: its margin on main markets, salt for noise; how far behind the feed it re-prices
    (seconds, drawn per match; ``slow_lag_s`` on ``slow_share`` of them), how deep it lists a match; the lines
    (total, handicap; None: UOF's) and markets (per sport; None: every one) it offers, the (market, outcome)
    pairs it can express, its odds ladder (None: two decimals), whether a suspended outcome keeps its odds."""

    margin: float
    salt: int
    lag_s: tuple[int, int]
    lag_salt: int
    depth_salt: int
    depth_floor: float = 0.0
    lines: Callable[[int, float], bool] | None = None
    families: Mapping[str, frozenset[int]] | None = None
    expressible: Mapping[str, frozenset[tuple[int, int]]] | None = None
    ladder: Callable[[float], float] | None = None
    keeps_suspended_odds: bool = True
    slow_share: float = 0.0
    slow_lag_s: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class LiveHabits:
    """How the book goes live: the share of in-play matches it covers (``base + slope * weight``), seconds
    after kick-off it goes live, the share of matches it drops once mid-match, the share of live lines it
    shows suspended, its in-play margin and the market families it never lists live; after each goal it
    suspends the markets of ``goal_markets`` (every market when empty) for a spell of ``goal_suspension_s``
    seconds (none when (0, 0))."""

    coverage: tuple[float, float]
    start_delay_s: tuple[int, int]
    drop_share: float
    suspended_share: float
    margin: float
    not_live: frozenset[int] = frozenset()
    goal_suspension_s: tuple[int, int] = (0, 0)
    goal_markets: frozenset[int] = frozenset()


class BookFaults(ABC):
    """Where the fault machinery finds things in the book's answers (answer_faults.py, hostile.py,
    payload_drift.py): its empty list, its rows and wrappers, a row's names and kick-off, its markets."""

    def error_envelope(self) -> bytes:
        """The body of the ``error_envelope`` fault: the book's own error answer with status 200 (a book
        without an envelope of its own: a JSON error object, the closest real shape)."""
        return orjson.dumps(
            {"errorCode": "SERVICE_UNAVAILABLE", "message": "Service temporarily unavailable"}
        )

    @abstractmethod
    def empty(self) -> bytes:
        """A list answer with no event, in the book's own shape (maintenance windows, geo-blocks)."""

    @abstractmethod
    def rows(self, payload: Any) -> list[Any] | None:
        """The answer's event rows as one mutable list."""

    @abstractmethod
    def unname_wrapper(self, payload: Any) -> None:
        """The first wrapper holding events loses its name."""

    @abstractmethod
    def announce(self, payload: Any, count: int) -> None:
        """The list announces ``count`` events, where its answer says how long it is."""

    @abstractmethod
    def break_names(self, row: dict[str, Any]) -> None:
        """The row loses its team names."""

    @abstractmethod
    def move_a_day(self, row: dict[str, Any]) -> None:
        """The row's kick-off moves a day later."""

    @abstractmethod
    def duplicate(self, payload: Any) -> bool:
        """The first priced outcome given a second time at another price (False: no place for it)."""

    @abstractmethod
    def unknown_market(self, payload: Any) -> bool:
        """A market no catalogue knows, priced like the first one (False: no place for it)."""

    @abstractmethod
    def drift(self, document: Any) -> None:
        """An event detail in the ``bare_quarter_lines`` shape (payload_drift.py), changed in place."""


#: A book's markets of one match version: (match seed, version, sport, depth, teams, SportRadar id).
MarketRenderer = Callable[[int, int, str, float, tuple[str, str], int], Any]


@dataclass(frozen=True, slots=True)
class SandboxBook:
    """Everything the sandbox knows of one book: how it serves, lists, names, prices, goes live, renders an
    event (``markets``, then ``render``: the detail body and the part a list row carries) and where its
    answers can be corrupted."""

    book: Book
    serving: Serving
    stream: Stream
    ids: Ids
    pricing: Pricing
    live: LiveHabits
    markets: MarketRenderer
    render: Callable[[WorldEvent, Any, int], Rendered]
    faults: BookFaults
    spelling: Spelling = field(default_factory=Spelling)


@functools.cache
def kits() -> dict[Book, SandboxBook]:
    """Every book's kit, in ``Book`` order. Found on first use: the book folders import the shared modules,
    which reach the kits through here."""
    found: dict[Book, SandboxBook] = importlib.import_module("palimpsest_sandbox.books").KITS
    return found


def kit(book: Book) -> SandboxBook:
    """``book``'s kit; ValueError naming it when the sandbox has no such book."""
    found = kits().get(book)
    if found is None:
        raise ValueError(f"the sandbox serves no book {book!r}")
    return found
