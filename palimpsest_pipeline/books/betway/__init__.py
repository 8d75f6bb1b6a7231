"""Betway's kit (eight of BetPawa's countries)."""

from __future__ import annotations

from palimpsest_pipeline.books.betway.odds import parse_odds
from palimpsest_pipeline.books.kit import Answer, BookKit
from palimpsest_pipeline.records import Book


def _recognises(answer: Answer) -> bool:
    return "sportEvent" in answer or "marketsInGroup" in answer


KIT = BookKit(
    book=Book.BETWAY,
    name="Betway",
    colour="#495057",
    parse_odds=parse_odds,
    recognises=_recognises,
)
