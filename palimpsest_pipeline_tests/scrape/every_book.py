"""Every book's catalogue scraped concurrently, as the pipeline's per-book catalogue assets do, and the odds
capture's targets their events give."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline.scrape.odds.model import CaptureTarget

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


def targets_from_events(events: Iterable[Event]) -> list[CaptureTarget]:
    """One target per SportRadar id of the books' catalogue events (those without one cannot be matched):
    kick-off the earliest any book announces; a book listing an SR id twice keeps its first event id."""
    kickoffs: dict[int, datetime] = {}
    listings: dict[int, dict[Book, str]] = {}
    for event in events:
        if event.sr_id is None:
            continue
        listings.setdefault(event.sr_id, {}).setdefault(event.book, event.event_id)
        known = kickoffs.get(event.sr_id)
        kickoffs[event.sr_id] = event.kickoff if known is None else min(known, event.kickoff)
    return [CaptureTarget(sr_id, kickoffs[sr_id], books) for sr_id, books in listings.items()]
