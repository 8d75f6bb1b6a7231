"""The live runs' archive hooks: every body a scrape or capture receives goes into the raw archive, labelled
so a replay can find it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import httpx

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.wire import OnResponse
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.requests import catalogue_kind, request_key, volatile_params
from palimpsest_pipeline.scrape.odds.http_hooks import attempt_sent_at
from palimpsest_pipeline.scrape.odds.model import CaptureTarget
from palimpsest_pipeline.warehouse.archive.records import ArchiveLabels
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter


def catalogue_archive_hook(writer: RawArchiveWriter, book: Book, base_url: str) -> OnResponse:
    """An ``on_response`` hook archiving a catalogue scrape's bodies as ``catalogue`` or ``list`` (its detail
    lookups too: ``event`` is the odds captures' kind, which an odds replay selects on)."""

    def label(_: Book, url: str) -> ArchiveLabels:
        return ArchiveLabels(catalogue_kind(book, url, base_url))

    return writer.on_response(label)


def odds_archive_hook(
    writer: RawArchiveWriter, targets: Iterable[CaptureTarget], settings: Mapping[Book, BookSettings]
) -> OnResponse:
    """An ``on_response`` hook for ``capture_odds`` archiving each detail body as kind ``event`` with its
    SR id, event id and kick-off date, stamped with the attempt's send instant (the prices' capture time)."""
    index: dict[tuple[Book, str], ArchiveLabels] = {}
    volatile = {book: volatile_params(KITS[book].adapter().wire(s)) for book, s in settings.items()}
    for target in targets:
        for book, event_id in target.listings.items():
            if book not in settings:
                continue
            url = _request_url(book, settings[book], event_id)
            key = request_key(url, settings[book].base_url, volatile[book])
            index[(book, key)] = ArchiveLabels(
                "event", sr_id=target.sr_id, event_id=event_id, kickoff_date=target.kickoff.date()
            )

    def label(book: Book, url: str) -> ArchiveLabels:
        book_settings = settings.get(book)
        if book_settings is None:
            return ArchiveLabels("event")
        key = request_key(url, book_settings.base_url, volatile[book])
        return index.get((book, key), ArchiveLabels("event"))

    return writer.on_response(label, captured_at=attempt_sent_at)


def _request_url(book: Book, settings: BookSettings, event_id: str) -> str:
    wire = KITS[book].adapter().wire(settings)
    request = KITS[book].adapter().event_detail_request(event_id)
    return str(httpx.URL(settings.base_url + request.path, params={**wire.common_params, **request.params}))
