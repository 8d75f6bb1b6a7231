"""Every book's catalogue scraped concurrently, as the pipeline's per-book catalogue assets do."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue

#: MSport's and Betway's lists give no counts (PLATFORMS.md): their tournaments carry none, and a short
#: answer of theirs reads as complete (only the warehouse's judgement can hold it).
BOOKS_WITHOUT_COUNTS = frozenset({Book.MSPORT, Book.BETWAY})


async def scrape_every_book(
    settings: Mapping[Book, BookSettings], *, sports: Sequence[str], horizon: timedelta, now: datetime
) -> dict[Book, CatalogueScrape]:
    scrapes = await asyncio.gather(
        *(scrape_catalogue(book, s, sports=sports, horizon=horizon, now=now) for book, s in settings.items())
    )
    return dict(zip(settings, scrapes, strict=True))
