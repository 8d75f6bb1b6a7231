"""Betika's kit (five of BetPawa's countries; ../shared/PLATFORMS.md, "Betika")."""

from __future__ import annotations

from palimpsest_pipeline.books.betika.odds import parse_odds
from palimpsest_pipeline.books.kit import Answer, BookKit
from palimpsest_pipeline.records import Book


def _recognises(answer: Answer) -> bool:
    return isinstance(answer.get("data"), list)


KIT = BookKit(
    book=Book.BETIKA,
    name="Betika",
    colour="#e8590c",
    parse_odds=parse_odds,
    recognises=_recognises,
)
