"""Bet9ja's kit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palimpsest_pipeline.books.bet9ja.odds import parse_odds
from palimpsest_pipeline.books.kit import Answer, BookKit, Limits
from palimpsest_pipeline.records import Book, Event


def _recognises(answer: Answer) -> bool:
    keys = answer.keys()
    return ("R" in keys and "D" in keys) or ("O" in keys and ("DS" in keys or "EXTID" in keys))


def _error_envelope(answer: Answer) -> str | None:
    if "R" in answer and answer["R"] != "OK":
        detail = str(answer.get("D"))[:80]
        return f"error envelope R={answer['R']!r} (not found or throttled when saved; D: {detail})"
    return None


def _no_sr_id(event: Event, answer: Answer) -> str:
    inner = answer.get("D")
    body: Mapping[str, Any] = inner if isinstance(inner, Mapping) else answer
    return f"payload has no SportRadar id (EXTID {body.get('EXTID')!r}, event {event.event_id})"


KIT = BookKit(
    book=Book.BET9JA,
    name="Bet9ja",
    # the most rate-sensitive book: 15 in flight, and a pause after each request
    limits=Limits(max_in_flight=15, pause_s=0.025),
    colour="#f08c00",
    parse_odds=parse_odds,
    recognises=_recognises,
    error_envelope=_error_envelope,
    no_sr_id=_no_sr_id,
)
