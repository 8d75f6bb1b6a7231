"""Re-derive catalogues from the archive (see the package docstring)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import psycopg

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.requests import (
    MANIFEST_URL,
    ArchiveTransport,
    ScrapeManifest,
    replay_settings,
    volatile_params,
)
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline.scrape.catalogue_judgement import REFUSED, judge_scrape, store_judged
from palimpsest_pipeline.warehouse.archive.reader import iter_batch_bodies
from palimpsest_pipeline.warehouse.batches import record_scrape
from palimpsest_pipeline.warehouse.catalogue_store import StoreStats
from palimpsest_pipeline.warehouse.withdrawal import (
    DEFAULT_WITHDRAWAL,
    WithdrawalPolicy,
    at_risk_of_withdrawal,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArchivedScrape:
    """One archived catalogue scrape of a book: its batch and manifest."""

    batch_id: str
    manifest: ScrapeManifest


@dataclass
class CatalogueReplay:
    """What re-deriving one book's catalogue for some dates did."""

    scrapes: int = 0
    requests_served: int = 0
    requests_missing: int = 0
    incomplete: int = 0
    #: replayed scrapes judged failed or suspect, as the live run judged them: nothing of them was stored
    refused: int = 0
    stats: StoreStats = field(default_factory=StoreStats)
    dates_written: set[date] = field(default_factory=set)
    last_scrape: CatalogueScrape | None = None
    #: Events of the last replayed scrape on the dates it wrote, and how many of them lack an SR id.
    events_in_dates: int = 0
    events_without_sr_id: int = 0


def archived_scrapes(
    conn: psycopg.Connection, book: Book, dates: Sequence[date], *, site_country: str
) -> list[ArchivedScrape]:
    """The book's archived catalogue scrapes of its ``site_country`` site whose window reaches any of
    ``dates``, oldest first."""
    if not dates:
        return []
    first, last = min(dates), max(dates)
    rows = conn.execute(
        """
        SELECT DISTINCT batch_id, url FROM core.raw_archive
        WHERE book = %s AND kind = 'catalogue' AND starts_with(url, %s) AND site_country = %s
        """,
        (book.value, MANIFEST_URL + "?", site_country),
    ).fetchall()
    found = []
    for batch_id, url in rows:
        manifest = ScrapeManifest.from_url(book, url)
        start, end = manifest.window_dates()
        if start <= last and end >= first:
            found.append(ArchivedScrape(batch_id, manifest))
    return sorted(found, key=lambda s: (s.manifest.now, s.batch_id))


async def rebuild_catalogue_from_archive(
    conn: psycopg.Connection,
    book: Book,
    settings: BookSettings,
    dates: Sequence[date],
    *,
    batch_id: str,
    trigger: str = "archive",
    policy: WithdrawalPolicy = DEFAULT_WITHDRAWAL,
) -> CatalogueReplay:
    """Re-derive ``book``'s events on ``dates`` from every archived scrape of its country's site reaching
    them, oldest first, each judged and stored at its own "now" as the live run did; dates no archived scrape
    reaches are left as they are (``dates_written``)."""
    replay = CatalogueReplay()
    wanted = sorted(set(dates))
    country = settings.site_country
    quiet = replay_settings(settings)
    volatile = volatile_params(KITS[book].adapter().wire(quiet))
    for scrape in archived_scrapes(conn, book, wanted, site_country=country):
        manifest = scrape.manifest
        start, end = manifest.window_dates()
        in_window = [d for d in wanted if start <= d <= end]
        bodies = [
            b
            for b in iter_batch_bodies(conn, [scrape.batch_id], site_country=country)
            if b.book is book and b.url != manifest.url
        ]
        # as the live scrape's: a detail the live run never asked for is missing from the archive, and holds
        at_risk = at_risk_of_withdrawal(
            conn, book=book, site_country=country, dates=in_window, captured_at=manifest.now,
            withdraw_after=policy.withdraw_after,
        )  # fmt: skip
        # the book's own catalogue flow against the scrape's archived bodies, never the network
        transport = ArchiveTransport.from_bodies(
            bodies, archived_base_url=manifest.base_url, base_url=quiet.base_url, volatile=volatile
        )
        result = await scrape_catalogue(
            book,
            quiet,
            sports=manifest.sports,
            horizon=manifest.horizon,
            now=manifest.now,
            transport=transport,
            at_risk=at_risk,
        )
        replay.scrapes += 1
        replay.requests_served += transport.served
        replay.requests_missing += len(transport.missing)
        if not result.complete:
            replay.incomplete += 1
            log.warning(
                "%s archived scrape %s replays incomplete: %s",
                book.value,
                scrape.batch_id,
                "; ".join(result.error_messages[:3]),
            )
        sports, now = manifest.sports, manifest.now
        result = judge_scrape(conn, result, sports=sports, dates=in_window, captured_at=now, policy=policy)
        record_scrape(conn, batch_id=batch_id, scrape=result, trigger=trigger)
        replay.last_scrape = result
        if result.status in REFUSED:
            replay.refused += 1
            continue
        stats = store_judged(
            conn, result, sports=sports, dates=in_window, captured_at=now, policy=policy, batch_id=batch_id
        )
        replay.stats += stats
        replay.dates_written.update(in_window)
        date_set = set(in_window)
        in_dates = [e for e in result.events if e.kickoff.date() in date_set]
        replay.events_in_dates = len(in_dates)
        replay.events_without_sr_id = sum(1 for e in in_dates if e.sr_id is None)
    return replay
