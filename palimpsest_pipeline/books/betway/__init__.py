"""Betway (eight of BetPawa's countries): its catalogue and live lists (``catalogue``, ``live``) and its odds
parser (``odds``, with ``lines``), as one kit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from palimpsest_pipeline.books.betway.odds import parse_odds
from palimpsest_pipeline.books.kit import Answer, BookKit, Limits, event_without_sr_id, no_error_envelope
from palimpsest_pipeline.records import Book

if TYPE_CHECKING:
    from palimpsest_pipeline.books.adapter import BookAdapter
    from palimpsest_pipeline.books.live_list import LiveAdapter


def _adapter() -> BookAdapter:
    from palimpsest_pipeline.books.betway.catalogue import ADAPTER

    return ADAPTER


def _live_adapter() -> LiveAdapter:
    from palimpsest_pipeline.books.betway.live import LIVE_ADAPTER

    return LIVE_ADAPTER


def _recognises(answer: Answer) -> bool:
    return "sportEvent" in answer or "marketsInGroup" in answer


KIT = BookKit(
    book=Book.BETWAY,
    name="Betway",
    platform=Book.BETWAY,
    # no documented limit: 20 in flight is a guess, kept below the others' 50
    limits=Limits(max_in_flight=20, pause_s=0.0),
    colour="#495057",
    keys_tournaments=False,
    parse_odds=parse_odds,
    adapter=_adapter,
    live_adapter=_live_adapter,
    recognises=_recognises,
    error_envelope=no_error_envelope,
    no_sr_id=event_without_sr_id,
)
