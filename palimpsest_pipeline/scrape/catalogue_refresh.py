"""One book's catalogue refreshed as one unit of work: scraped, archived, judged, recorded and stored (a
refused scrape stores nothing: the last good catalogue stays); its metrics row is stored first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.wire import OnResponse
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.hooks import catalogue_archive_hook
from palimpsest_pipeline.scrape.archive.requests import ScrapeManifest
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline.scrape.catalogue_judgement import REFUSED, judge_scrape, store_judged
from palimpsest_pipeline.scrape.metrics import catalogue_metrics, record_metrics
from palimpsest_pipeline.warehouse import catalogue_store, withdrawal
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter
from palimpsest_pipeline.warehouse.batches import record_scrape
from palimpsest_pipeline.warehouse.connections import Connect
from palimpsest_pipeline.warehouse.metrics_store import ScrapeMetrics


@dataclass(frozen=True)
class CatalogueRefresh:
    """What one live refresh of a book's catalogue did: its scrape, what was stored, and its metrics row
    (``metrics_warning`` says why that row was not stored, if it was not)."""

    scrape: CatalogueScrape
    stats: catalogue_store.StoreStats
    events_in_dates: int
    dates_written: int
    events_without_sr_id: int
    metrics: ScrapeMetrics
    metrics_warning: str | None

    @property
    def refreshed(self) -> bool:
        return self.scrape.status not in REFUSED


async def refresh_catalogue(
    connect: Connect,
    book: Book,
    settings: BookSettings,
    *,
    sports: Sequence[str],
    horizon: timedelta,
    now: datetime,
    dates: Sequence[date],
    batch_id: str,
    trigger: str,
    on_response: Callable[[], None] = lambda: None,
    policy: withdrawal.WithdrawalPolicy = withdrawal.DEFAULT_WITHDRAWAL,
) -> CatalogueRefresh:
    """Scrape ``book``, archive its answers, and store its catalogue for the ``dates`` a live scrape speaks
    for. ``on_response`` is told of every answer (a caller's progress); ``policy``: when to withdraw."""
    first, last = now.date(), (now + horizon).date()
    dates = [d for d in dates if first <= d <= last]  # past events have left the lists
    manifest = ScrapeManifest(book, now, horizon, tuple(sports), settings.base_url)
    with connect() as conn:
        at_risk = withdrawal.at_risk_of_withdrawal(
            conn, book=book, site_country=settings.site_country, dates=dates, captured_at=now,
            withdraw_after=policy.withdraw_after,
        )  # fmt: skip
    with connect() as archive_conn:
        writer = RawArchiveWriter(archive_conn, batch_id=batch_id, site_country=settings.site_country)
        writer.add(manifest.response(datetime.now(UTC)))
        scrape = await scrape_catalogue(
            book,
            settings,
            sports=sports,
            horizon=horizon,
            now=now,
            on_response=_told(catalogue_archive_hook(writer, book, settings.base_url), on_response),
            at_risk=at_risk,
        )
        writer.flush()
    with connect() as conn:
        scrape = judge_scrape(conn, scrape, sports=sports, dates=dates, captured_at=now, policy=policy)
        record_scrape(conn, batch_id=batch_id, scrape=scrape, trigger=trigger)
    metrics = catalogue_metrics(scrape)
    warning = record_metrics(connect, batch_id, [metrics])
    if scrape.status in REFUSED:
        return CatalogueRefresh(scrape, catalogue_store.StoreStats(), 0, 0, 0, metrics, warning)
    with connect() as conn:
        stats = store_judged(
            conn, scrape, sports=sports, dates=dates, captured_at=now, policy=policy, batch_id=batch_id
        )
    wanted = set(dates)
    in_dates = [e for e in scrape.events if e.kickoff.date() in wanted]
    without_sr_id = sum(1 for e in in_dates if e.sr_id is None)
    return CatalogueRefresh(scrape, stats, len(in_dates), len(dates), without_sr_id, metrics, warning)


def _told(hook: OnResponse, tell: Callable[[], None]) -> OnResponse:
    def on_response(book: Book, url: str, status: int, body: bytes, at: datetime) -> Awaitable[None] | None:
        tell()
        return hook(book, url, status, body, at)

    return on_response
