"""BetPawa's kit: the book the comparison is for."""

from __future__ import annotations

from palimpsest_pipeline.books.betpawa.odds import parse_odds
from palimpsest_pipeline.books.kit import Answer, BookKit, Limits
from palimpsest_pipeline.records import Book, Event

#: Keys of which an event-detail answer holds at least one, beside its ``markets``.
_EVENT_KEYS = frozenset({"participants", "category", "widgets", "competition", "startTime"})


def _recognises(answer: Answer) -> bool:
    keys = answer.keys()
    # another platform's body has markets and a category too, but names its event "eventId", not "id"
    return "markets" in keys and not _EVENT_KEYS.isdisjoint(keys) and "eventId" not in keys


def _no_sr_id(event: Event, answer: Answer) -> str:
    return f"payload has no SPORTRADAR widget (event {event.event_id})"


KIT = BookKit(
    book=Book.BETPAWA,
    name="BetPawa",
    limits=Limits(max_in_flight=50),
    colour="#2f9e44",
    parse_odds=parse_odds,
    recognises=_recognises,
    no_sr_id=_no_sr_id,
)
