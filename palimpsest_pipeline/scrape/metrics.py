"""The per-book metrics rows (``core.scrape_metrics``) of a catalogue scrape and of an odds capture."""

from __future__ import annotations

import psycopg

from palimpsest_pipeline.books.limits import StatsSummary
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape
from palimpsest_pipeline.scrape.odds.model import BREAKER_SKIPPED, BookCaptureStats, OddsCapture
from palimpsest_pipeline.warehouse.connections import Connect
from palimpsest_pipeline.warehouse.metrics_store import (
    MetricsInputError,
    MetricStatus,
    ScrapeKind,
    ScrapeMetrics,
    store_scrape_metrics,
)

_CATALOGUE_STATUS: dict[str, MetricStatus] = {"ok": "ok", "partial": "partial"}


def catalogue_metrics(scrape: CatalogueScrape) -> ScrapeMetrics:
    """The metrics row of one book's catalogue scrape; a suspect or unknown status counts as failed."""
    status = _CATALOGUE_STATUS.get(scrape.status, "failed")
    return _metrics(
        scrape.book, scrape.site_country, "catalogue", status, scrape, scrape.stats, scrape.stats.failed
    )


def odds_metrics(capture: OddsCapture, site_country: str) -> list[ScrapeMetrics]:
    """One metrics row per book of an odds capture; an event skipped by the breaker counts in ``errors``,
    not ``failed_requests`` (never requested)."""
    rows = []
    for book, stats in sorted(capture.stats.items(), key=lambda item: item[0].value):
        failed = max(0, stats.failed - stats.errors.get(BREAKER_SKIPPED, 0))
        status: MetricStatus = "ok"
        if stats.failed:
            status = "partial" if stats.ok + stats.gone else "failed"
        rows.append(_metrics(book, site_country, "odds", status, capture, stats, failed))
    return rows


def _metrics(
    book: Book,
    site_country: str,
    kind: ScrapeKind,
    status: MetricStatus,
    run: CatalogueScrape | OddsCapture,
    stats: StatsSummary | BookCaptureStats,
    failed_requests: int,
) -> ScrapeMetrics:
    """The row both kinds share, timed by ``run``. A clock that stepped back during it gives a zero
    duration."""
    return ScrapeMetrics(
        book=book,
        kind=kind,
        status=status,
        started_at=run.started_at,
        finished_at=max(run.finished_at, run.started_at),
        requests=stats.requests,
        attempts=stats.attempts,
        failed_requests=failed_requests,
        throttled=stats.throttled,
        site_country=site_country,
        errors=dict(stats.errors),
        latency_p50_ms=stats.latency_p50_ms,
        latency_p95_ms=stats.latency_p95_ms,
        latency_p99_ms=stats.latency_p99_ms,
        bytes_received=stats.bytes_received,
    )


def record_metrics(connect: Connect, run_id: str, rows: list[ScrapeMetrics]) -> str | None:
    """Store a run's metrics rows; a warehouse or input error comes back as a warning, never raised: losing a
    metrics row must not lose the data it describes."""
    try:
        with connect() as conn:
            store_scrape_metrics(conn, run_id, rows)
    except (psycopg.Error, MetricsInputError) as error:
        return f"scrape metrics not stored ({len(rows)} rows): {error}"
    return None
