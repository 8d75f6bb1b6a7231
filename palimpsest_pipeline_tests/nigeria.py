"""The books the pipeline scrapes in Nigeria, the default site country: what most tests run against the
sandbox's Nigerian editions (a book without a Nigerian edition, Betika, is scraped elsewhere)."""

from __future__ import annotations

from palimpsest_pipeline.books.competitors import packaged_competitors
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book

#: BetPawa and its competitors in Nigeria (``books/competitors.toml``), in ``records.Book`` order.
NIGERIA_BOOKS: tuple[Book, ...] = packaged_competitors().scraped_books(DEFAULT_SITE_COUNTRY)
