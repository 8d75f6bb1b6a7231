"""Each book's event-detail odds parser, apart from its HTTP adapters (``registry``): what a parse worker
loads, and nothing of the HTTP client. Adding a book adds its ``odds.parse_odds`` here
(docs/adding-a-book.md)."""

from __future__ import annotations

from collections.abc import Callable

from palimpsest_pipeline.books.bet9ja import odds as bet9ja_odds
from palimpsest_pipeline.books.betika import odds as betika_odds
from palimpsest_pipeline.books.betpawa import odds as betpawa_odds
from palimpsest_pipeline.books.betway import odds as betway_odds
from palimpsest_pipeline.books.msport import odds as msport_odds
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.sportybet import odds as sportybet_odds
from palimpsest_pipeline.records import Book

#: Each book's event-detail odds parser: ``parse_odds(payload, *, sr_id, captured_at) -> EventOdds``.
ODDS_PARSERS: dict[Book, Callable[..., EventOdds]] = {
    Book.BETPAWA: betpawa_odds.parse_odds,
    Book.SPORTYBET: sportybet_odds.parse_odds,
    Book.BET9JA: bet9ja_odds.parse_odds,
    Book.MSPORT: msport_odds.parse_odds,
    Book.BETWAY: betway_odds.parse_odds,
    Book.BETIKA: betika_odds.parse_odds,
}
