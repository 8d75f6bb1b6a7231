"""BetPawa, the book the comparison is for: its catalogue and live lists (``catalogue``, ``live``) and its
odds parser (``odds``), as one kit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from palimpsest_pipeline.books.betpawa.odds import parse_odds
from palimpsest_pipeline.books.kit import Answer, BookKit, Limits, no_error_envelope
from palimpsest_pipeline.records import Book, Event

if TYPE_CHECKING:
    from palimpsest_pipeline.books.adapter import BookAdapter
    from palimpsest_pipeline.books.live_list import LiveAdapter

#: Keys of which an event-detail answer holds at least one, beside its ``markets``.
_EVENT_KEYS = frozenset({"participants", "category", "widgets", "competition", "startTime"})


def _adapter() -> BookAdapter:
    from palimpsest_pipeline.books.betpawa.catalogue import ADAPTER

    return ADAPTER


def _live_adapter() -> LiveAdapter:
    from palimpsest_pipeline.books.betpawa.live import LIVE_ADAPTER

    return LIVE_ADAPTER


def _recognises(answer: Answer) -> bool:
    keys = answer.keys()
    # another platform's body has markets and a category too, but names its event "eventId", not "id"
    return "markets" in keys and not _EVENT_KEYS.isdisjoint(keys) and "eventId" not in keys


def _no_sr_id(event: Event, answer: Answer) -> str:
    return f"payload has no SPORTRADAR widget (event {event.event_id})"


KIT = BookKit(
    book=Book.BETPAWA,
    name="BetPawa",
    platform=Book.BETPAWA,
    limits=Limits(max_in_flight=50, pause_s=0.0),
    colour="#2f9e44",
    keys_tournaments=False,
    parse_odds=parse_odds,
    adapter=_adapter,
    live_adapter=_live_adapter,
    recognises=_recognises,
    error_envelope=no_error_envelope,
    no_sr_id=_no_sr_id,
)
