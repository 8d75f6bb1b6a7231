"""Which adapter serves which book (catalogue and odds; live list: ``LIVE_ADAPTERS``).

Adding a book (docs/adding-a-book.md): add it to ``records.Book``, write ``books/<book>/catalogue.py``
exposing ``ADAPTER``, ``live.py`` exposing ``LIVE_ADAPTER`` and ``odds.py`` exposing ``parse_odds``, add one
entry to each dict below and to ``odds_parsers.ODDS_PARSERS`` (the parsers apart, for the parse workers), its
limits to ``settings`` and its country editions to ``editions.toml``. Every book read has an adapter; the
pipeline scrapes only ``records.SCRAPED_BOOKS`` (Betika is read, not yet scraped).
"""

from __future__ import annotations

from palimpsest_pipeline.books.adapter import BookAdapter
from palimpsest_pipeline.books.bet9ja import catalogue as bet9ja
from palimpsest_pipeline.books.bet9ja import live as bet9ja_live
from palimpsest_pipeline.books.betika import catalogue as betika
from palimpsest_pipeline.books.betika import live as betika_live
from palimpsest_pipeline.books.betpawa import catalogue as betpawa
from palimpsest_pipeline.books.betpawa import live as betpawa_live
from palimpsest_pipeline.books.betway import catalogue as betway
from palimpsest_pipeline.books.betway import live as betway_live
from palimpsest_pipeline.books.live_list import LiveAdapter
from palimpsest_pipeline.books.msport import catalogue as msport
from palimpsest_pipeline.books.msport import live as msport_live
from palimpsest_pipeline.books.sportybet import catalogue as sportybet
from palimpsest_pipeline.books.sportybet import live as sportybet_live
from palimpsest_pipeline.records import Book

#: How each book is written in messages meant for people.
ADAPTERS: dict[Book, BookAdapter] = {
    adapter.book: adapter
    for adapter in (
        betpawa.ADAPTER,
        sportybet.ADAPTER,
        bet9ja.ADAPTER,
        msport.ADAPTER,
        betway.ADAPTER,
        betika.ADAPTER,
    )
}


def adapter_for(book: Book) -> BookAdapter:
    """The adapter of ``book``, with a clear error when a book has none yet."""
    try:
        return ADAPTERS[book]
    except KeyError:
        raise LookupError(f"no adapter registered for book {book!s}; known: {sorted(ADAPTERS)}") from None


LIVE_ADAPTERS: dict[Book, LiveAdapter] = {
    adapter.book: adapter
    for adapter in (
        betpawa_live.LIVE_ADAPTER,
        sportybet_live.LIVE_ADAPTER,
        bet9ja_live.LIVE_ADAPTER,
        msport_live.LIVE_ADAPTER,
        betway_live.LIVE_ADAPTER,
        betika_live.LIVE_ADAPTER,
    )
}
