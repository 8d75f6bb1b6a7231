"""Which adapter serves which book (catalogue and odds; live list: ``LIVE_ADAPTERS``).

Adding a fourth book (docs/adding-a-book.md): add it to ``records.Book``, write
``books/<book>/catalogue.py`` exposing ``ADAPTER``, add one entry to ``ADAPTERS`` and its default base URL
to ``settings.DEFAULT_BASE_URLS``.
"""

from __future__ import annotations

from palimpsest_pipeline.books.adapter import BookAdapter
from palimpsest_pipeline.books.bet9ja import catalogue as bet9ja
from palimpsest_pipeline.books.bet9ja import live as bet9ja_live
from palimpsest_pipeline.books.betpawa import catalogue as betpawa
from palimpsest_pipeline.books.betpawa import live as betpawa_live
from palimpsest_pipeline.books.live_list import LiveAdapter
from palimpsest_pipeline.books.sportybet import catalogue as sportybet
from palimpsest_pipeline.books.sportybet import live as sportybet_live
from palimpsest_pipeline.records import Book

ADAPTERS: dict[Book, BookAdapter] = {
    adapter.book: adapter for adapter in (betpawa.ADAPTER, sportybet.ADAPTER, bet9ja.ADAPTER)
}


def adapter_for(book: Book) -> BookAdapter:
    """The adapter of ``book``, with a clear error when a book has none yet."""
    try:
        return ADAPTERS[book]
    except KeyError:
        raise LookupError(f"no adapter registered for book {book!s}; known: {sorted(ADAPTERS)}") from None


LIVE_ADAPTERS: dict[Book, LiveAdapter] = {
    adapter.book: adapter
    for adapter in (betpawa_live.LIVE_ADAPTER, sportybet_live.LIVE_ADAPTER, bet9ja_live.LIVE_ADAPTER)
}
