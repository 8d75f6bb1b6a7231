"""An odds capture of some kick-off dates as one unit of work: targets planned from the stored listings, every
book asked, each batch of complete events stored as the capture goes (archive first, then capture log and
prices in one transaction: a crash keeps every stored batch), the metrics rows after."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from palimpsest_pipeline.books.settings import BookSettings, settings_country
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.hooks import odds_archive_hook
from palimpsest_pipeline.scrape.metrics import odds_metrics, record_metrics
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import (
    CaptureOptions,
    CaptureProgress,
    CaptureTarget,
    GeniusReach,
    OddsCapture,
    genius_reach,
    targets_from_frame,
)
from palimpsest_pipeline.warehouse.archive.writer import ArchiveStats, RawArchiveWriter
from palimpsest_pipeline.warehouse.capture_listings import read_capture_listings
from palimpsest_pipeline.warehouse.capture_stream import (
    CaptureBatchStore,
    StreamStats,
    read_event_rosters,
    stored_sr_ids,
)
from palimpsest_pipeline.warehouse.connections import Connect
from palimpsest_pipeline.warehouse.metrics_store import ScrapeMetrics


@dataclass(frozen=True)
class CapturePlan:
    """The events a capture will ask for, how many the Genius id reached, and how many an interrupted run
    had already stored (left out)."""

    targets: list[CaptureTarget]
    reach: GeniusReach
    resumed: int


@dataclass(frozen=True)
class CaptureRefresh:
    """What a capture did and stored; ``metrics_warning`` says why its metrics rows were not stored."""

    capture: OddsCapture
    stored: StreamStats
    archived: ArchiveStats
    metrics: list[ScrapeMetrics]
    metrics_warning: str | None


def plan_capture(
    connect: Connect,
    dates: Sequence[date],
    *,
    site_country: str,
    now: datetime,
    sr_ids: Sequence[int] = (),
    done_by_runs: Sequence[str] = (),
    within: timedelta | None = None,
) -> CapturePlan:
    """The targets of ``site_country``'s listings kicking off on ``dates`` (``targets_from_frame``), less the
    events the interrupted runs ``done_by_runs`` stored."""
    with connect() as conn:
        listings = read_capture_listings(conn, min(dates), max(dates), now=now, site_country=site_country)
        done = stored_sr_ids(conn, done_by_runs) if done_by_runs else set()
    targets = [
        t for t in targets_from_frame(listings, now=now, sr_ids=sr_ids, within=within) if t.sr_id not in done
    ]
    return CapturePlan(targets, genius_reach(listings, targets), len(done))


async def capture_and_store(
    connect: Connect,
    targets: Sequence[CaptureTarget],
    settings: Mapping[Book, BookSettings],
    *,
    now: datetime,
    batch_id: str,
    batch_events: int,
    parse_workers: int | None = None,
    on_progress: Callable[[CaptureProgress], None] | None = None,
    stamp_at: datetime | None = None,
) -> CaptureRefresh:
    """Capture ``targets``, archiving each answer and storing complete events in batches of ``batch_events``
    (``capture_odds``); every row stored says the settings' country; ``stamp_at``: every result stamped at
    that instant (``CaptureOptions.stamp_at``)."""
    country = settings_country(settings)
    with connect(autocommit=True) as archive_conn, connect(autocommit=True) as store_conn:
        stored = read_event_rosters(store_conn, [target.sr_id for target in targets], site_country=country)
        known = {sr_id: frozenset(p.player for p in players) for sr_id, players in stored.items()}
        writer = RawArchiveWriter(archive_conn, batch_id=batch_id, site_country=country)
        # cycle_at stamps what was never sent (not listed, skipped): the real moment, not the pinned clock
        store = CaptureBatchStore(
            store_conn, batch_id=batch_id, site_country=country, cycle_at=datetime.now(UTC), archive=writer
        )
        capture = await capture_odds(
            targets,
            settings,
            now=now,
            store=store,
            on_response=odds_archive_hook(writer, targets, settings),
            on_progress=on_progress,
            known_rosters=known,
            options=CaptureOptions(batch_events=batch_events, parse_workers=parse_workers, stamp_at=stamp_at),
        )
        writer.flush()
    metrics = odds_metrics(capture, country)
    warning = record_metrics(connect, batch_id, metrics)
    return CaptureRefresh(capture, store.stats, writer.stats, metrics, warning)
