"""SportyBet's kit, on the facts-center platform it owns (``books/facts_center.py``)."""

from __future__ import annotations

from functools import partial

from palimpsest_pipeline.books.facts_center import recognises_teams, saved_error_envelope
from palimpsest_pipeline.books.kit import Answer, BookKit, Limits
from palimpsest_pipeline.books.sportybet.odds import parse_odds
from palimpsest_pipeline.records import Book, Event


def _no_sr_id(event: Event, answer: Answer) -> str:
    return f"event id {event.event_id!r} is not a SportRadar match id (Genius Sports event?)"


KIT = BookKit(
    book=Book.SPORTYBET,
    name="SportyBet",
    platform="facts_center",
    limits=Limits(max_in_flight=50),
    colour="#1c7ed6",
    keys_tournaments=True,
    parse_odds=parse_odds,
    recognises=partial(recognises_teams, own=frozenset({"homeTeamName", "awayTeamName"})),
    error_envelope=saved_error_envelope,
    no_sr_id=_no_sr_id,
)
