"""Betika (five of BetPawa's countries; ../shared/PLATFORMS.md, "Betika"): its catalogue and live lists
(``catalogue``, ``live``) and its odds parser (``odds``), as one kit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from palimpsest_pipeline.books.betika.odds import parse_odds
from palimpsest_pipeline.books.kit import Answer, BookKit, Limits, event_without_sr_id, no_error_envelope
from palimpsest_pipeline.records import Book

if TYPE_CHECKING:
    from palimpsest_pipeline.books.adapter import BookAdapter
    from palimpsest_pipeline.books.live_list import LiveAdapter


def _adapter() -> BookAdapter:
    from palimpsest_pipeline.books.betika.catalogue import ADAPTER

    return ADAPTER


def _live_adapter() -> LiveAdapter:
    from palimpsest_pipeline.books.betika.live import LIVE_ADAPTER

    return LIVE_ADAPTER


def _recognises(answer: Answer) -> bool:
    return isinstance(answer.get("data"), list)


KIT = BookKit(
    book=Book.BETIKA,
    name="Betika",
    platform=Book.BETIKA,
    # no documented limit: 20 in flight is a guess, kept below the others' 50
    limits=Limits(max_in_flight=20, pause_s=0.0),
    colour="#e8590c",
    keys_tournaments=False,
    parse_odds=parse_odds,
    adapter=_adapter,
    live_adapter=_live_adapter,
    recognises=_recognises,
    error_envelope=no_error_envelope,
    no_sr_id=event_without_sr_id,
)
