"""What every book provides, as one typed kit: ``books/<book>/__init__.py`` exports ``KIT``, a ``BookKit``
declaring what is the book's own. Its adapters (``<package>.catalogue.ADAPTER``, ``<package>.live.ADAPTER``)
are imported on first use: a parse worker loads the kits for their parsers, never the HTTP client."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

from palimpsest_pipeline.records import Book, Event

if TYPE_CHECKING:  # annotations only: loading a kit loads neither adapter
    from palimpsest_pipeline.books.adapter import BookAdapter
    from palimpsest_pipeline.books.live_list import LiveAdapter
    from palimpsest_pipeline.books.odds_parse import EventOdds

#: A chart colour: ``#`` and six hexadecimal digits.
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")

#: A saved event-detail answer's top level (``palimpsest parse``).
Answer = Mapping[str, Any]


class OddsParser(Protocol):
    """A book's event-detail odds parser: the whole decoded answer (envelope included, or its data)."""

    def __call__(self, payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """A book's politeness by default (each edition may override them): requests in flight at once, and the
    pause each slot is held after its request."""

    max_in_flight: int
    pause_s: float = 0.0


def no_error_envelope(answer: Answer) -> None:
    """For a book whose errors never come as an event-detail answer's envelope."""
    return None


def event_without_sr_id(event: Event, answer: Answer) -> str:
    """The plain reason, for a book whose answers say nothing more of it."""
    return f"event {event.event_id!r} has no SportRadar id"


@dataclass(frozen=True, kw_only=True)
class BookKit:
    """Everything the pipeline knows of one book besides its editions (``editions.toml``) and the countries
    it competes in (``competitors.toml``)."""

    book: Book
    #: How the book's name reads for people (a page, an alert, an error).
    name: str
    #: Its colour on every chart of the report.
    colour: str
    parse_odds: OddsParser
    #: Whether a saved answer has the tell-tale top-level keys of the book's event details (loosely: a
    #: payload merely lacking a field is still recognised, and its parser names the field).
    recognises: Callable[[Answer], bool]
    #: Its politeness by default; without a documented limit, 20 in flight (below the 50 documented).
    limits: Limits = Limits(max_in_flight=20)
    #: The platform module it shares with other books (``books/<platform>.py``); None where it runs its own.
    platform: str | None = None
    #: Whether its tournament ids are SportRadar's, the crosswalk's canonical tournaments (one book only).
    keys_tournaments: bool = False
    #: What is wrong when the saved answer is the book's error envelope (``"error envelope ..."``), else None.
    error_envelope: Callable[[Answer], str | None] = no_error_envelope
    #: Why the event has no SportRadar id, in the book's own terms, after its name (odds are keyed by it).
    no_sr_id: Callable[[Event, Answer], str] = event_without_sr_id

    def __post_init__(self) -> None:
        where = f"the {self.book} kit"
        if not self.name.strip():
            raise ValueError(f"{where}: name must be non-empty")
        if not _COLOUR.match(self.colour):
            raise ValueError(f"{where}: colour must read #rrggbb in lower case, got {self.colour!r}")
        if self.limits.max_in_flight < 1 or self.limits.pause_s < 0:
            raise ValueError(f"{where}: limits must allow a request and pause for no negative time")

    def adapter(self) -> BookAdapter:
        """The catalogue and event-detail adapter (``catalogue.ADAPTER``)."""
        adapter: BookAdapter = import_module(f"palimpsest_pipeline.books.{self.book.value}.catalogue").ADAPTER
        return adapter

    def live_adapter(self) -> LiveAdapter:
        """The live-list adapter (``live.ADAPTER``)."""
        adapter: LiveAdapter = import_module(f"palimpsest_pipeline.books.{self.book.value}.live").ADAPTER
        return adapter
