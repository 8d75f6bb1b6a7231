"""MSport's kit (five of BetPawa's countries), on the facts-center platform (``books/facts_center.py``)."""

from __future__ import annotations

from functools import partial

from palimpsest_pipeline.books.facts_center import recognises_teams, saved_error_envelope
from palimpsest_pipeline.books.kit import BookKit
from palimpsest_pipeline.books.msport.odds import parse_odds
from palimpsest_pipeline.records import Book

KIT = BookKit(
    book=Book.MSPORT,
    name="MSport",
    platform="facts_center",
    colour="#ae3ec9",
    parse_odds=parse_odds,
    recognises=partial(recognises_teams, own=frozenset({"homeTeam", "awayTeam"})),
    error_envelope=saved_error_envelope,
)
