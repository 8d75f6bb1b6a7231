"""Scrape metrics and run failures in the warehouse: conversions from the scrape results, upserts, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.books.limits import StatsSummary
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape
from palimpsest_pipeline.scrape.metrics import catalogue_metrics, odds_metrics
from palimpsest_pipeline.scrape.odds.model import BookCaptureStats, OddsCapture
from palimpsest_pipeline.warehouse.metrics_store import (
    MetricsInputError,
    RunFailure,
    ScrapeMetrics,
    store_run_failure,
    store_scrape_metrics,
)
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.stored import read_run_failures, read_scrape_metrics

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def catalogue_scrape(book: Book, status: str = "partial", **stats: Any) -> CatalogueScrape:
    summary = {
        "requests": 40,
        "attempts": 47,
        "succeeded": 38,
        "failed": 2,
        "throttled": 3,
        "errors": {"status_503": 4, "timeout": 3},
        "latency_p50_ms": 81.5,
        "latency_p95_ms": 240.0,
        "latency_p99_ms": 410.0,
        "bytes_received": 98_765,
        **stats,
    }
    return CatalogueScrape(
        book=book,
        status=status,  # type: ignore[arg-type]
        complete=status == "ok",
        tournaments=[],
        events=[],
        started_at=T0,
        finished_at=T0 + timedelta(seconds=12),
        stats=StatsSummary(**summary),
        site_country="ng",
    )


def book_capture_stats(book: Book, **fields: Any) -> BookCaptureStats:
    values: dict[str, Any] = {
        "book": book,
        "requests": 10,
        "attempts": 12,
        "ok": 8,
        "gone": 1,
        "failed": 1,
        "not_listed": 0,
        "throttled": 2,
        "errors": {"status_429": 2},
        "latency_p50_ms": 50.0,
        "latency_p95_ms": 90.0,
        "latency_p99_ms": 120.0,
        "bytes_received": 123_456,
        "rows": 900,
        "parse_cpu_s": 0.2,
        "peak_in_flight": 5,
        "max_in_flight": 50,
        **fields,
    }
    return BookCaptureStats(**values)


def capture(stats: dict[Book, BookCaptureStats]) -> OddsCapture:
    return OddsCapture(started_at=T0, finished_at=T0 + timedelta(seconds=3), results={}, stats=stats)


def test_catalogue_metrics_carry_the_clients_summary() -> None:
    metrics = catalogue_metrics(catalogue_scrape(Book.BET9JA))
    assert metrics.book is Book.BET9JA and metrics.kind == "catalogue" and metrics.status == "partial"
    assert (metrics.requests, metrics.attempts, metrics.failed_requests, metrics.throttled) == (40, 47, 2, 3)
    assert metrics.errors == {"status_503": 4, "timeout": 3}
    assert (metrics.latency_p50_ms, metrics.latency_p95_ms) == (81.5, 240.0)
    assert (metrics.latency_p99_ms, metrics.bytes_received) == (410.0, 98_765)
    assert metrics.as_metadata()["duration_s"] == 12.0


def test_odds_metrics_status_per_book_and_breaker_skips_are_not_requests() -> None:
    rows = odds_metrics(
        capture(
            {
                Book.SPORTYBET: book_capture_stats(Book.SPORTYBET, failed=0, errors={}),
                Book.BETPAWA: book_capture_stats(Book.BETPAWA),
                Book.BET9JA: book_capture_stats(
                    Book.BET9JA, ok=0, gone=0, failed=7, errors={"status_503": 9, "breaker_skipped": 5}
                ),
            }
        ),
        site_country="ng",
    )
    by_book = {m.book: m for m in rows}
    assert [m.book for m in rows] == [Book.BET9JA, Book.BETPAWA, Book.SPORTYBET]  # stable order
    assert {b: m.status for b, m in by_book.items()} == {
        Book.SPORTYBET: "ok",
        Book.BETPAWA: "partial",
        Book.BET9JA: "failed",
    }
    assert by_book[Book.BET9JA].failed_requests == 2  # 7 failed events, 5 of them never requested
    assert by_book[Book.BETPAWA].latency_p99_ms == 120.0
    assert by_book[Book.BETPAWA].bytes_received == 123_456
    assert all(m.kind == "odds" and m.finished_at - m.started_at == timedelta(seconds=3) for m in rows)


def test_store_and_upsert_scrape_metrics(warehouse_conn: psycopg.Connection) -> None:
    first = [catalogue_metrics(catalogue_scrape(book)) for book in NIGERIA_BOOKS]
    assert store_scrape_metrics(warehouse_conn, "run-1", first) == len(NIGERIA_BOOKS)
    # The same step re-executed in the same run rewrites its rows instead of adding to them.
    retried = catalogue_metrics(catalogue_scrape(Book.BETPAWA, status="ok", failed=0, errors={}))
    store_scrape_metrics(warehouse_conn, "run-1", [retried])
    rows = read_scrape_metrics(warehouse_conn, "run-1")
    assert [(r["kind"], r["book"]) for r in rows] == [
        ("catalogue", book) for book in sorted(book.value for book in NIGERIA_BOOKS)
    ]
    betpawa = next(r for r in rows if r["book"] == "betpawa")
    assert (betpawa["status"], betpawa["failed_requests"], betpawa["errors"]) == ("ok", 0, {})
    assert next(r for r in rows if r["book"] == "bet9ja")["errors"] == {"status_503": 4, "timeout": 3}
    view = warehouse_conn.execute(
        "SELECT duration_s, failure_rate, throttle_rate, retry_share FROM analytics.scrape_metrics "
        "WHERE run_id = 'run-1' AND book = 'bet9ja'"
    ).fetchone()
    assert view == (12.0, pytest.approx(2 / 40), pytest.approx(3 / 47), pytest.approx(7 / 47))


def test_metrics_input_errors_name_the_field(warehouse_conn: psycopg.Connection) -> None:
    good = catalogue_metrics(catalogue_scrape(Book.BETPAWA))
    with pytest.raises(MetricsInputError, match="betpawa/catalogue: finished_at is before started_at"):
        ScrapeMetrics(**{**good.__dict__, "finished_at": T0 - timedelta(seconds=1)})
    with pytest.raises(MetricsInputError, match="requests is negative"):
        ScrapeMetrics(**{**good.__dict__, "requests": -1})
    with pytest.raises(MetricsInputError, match="kind must be one of"):
        ScrapeMetrics(**{**good.__dict__, "kind": "prices"})
    with pytest.raises(MetricsInputError, match="appears twice"):
        store_scrape_metrics(warehouse_conn, "run-2", [good, good])
    assert read_scrape_metrics(warehouse_conn, "run-2") == []


def test_store_run_failure_is_an_upsert(warehouse_conn: psycopg.Connection) -> None:
    failure = RunFailure(
        run_id="run-9",
        job_name="capture_odds_ng",
        failed_at=T0,
        error_message='Execution of run for "capture_odds_ng" failed. '
        "Steps failed: ['ng__odds_snapshots'].",
        step_errors={"ng__odds_snapshots": "boom " * 2000},
        partition_start="2026-05-04",
        partition_end="2026-05-05",
        trigger="sensor:odds_kickoff_window_sensor",
    )
    store_run_failure(warehouse_conn, failure)
    store_run_failure(warehouse_conn, failure)
    (row,) = read_run_failures(warehouse_conn, job_name="capture_odds_ng")
    assert row["step_keys"] == ["ng__odds_snapshots"]
    assert row["step_errors"]["ng__odds_snapshots"].endswith("[truncated]")  # a trace belongs in Dagster
    assert len(row["step_errors"]["ng__odds_snapshots"]) <= 4000
    assert (row["partition_start"], row["partition_end"], row["trigger"]) == (
        "2026-05-04",
        "2026-05-05",
        "sensor:odds_kickoff_window_sensor",
    )
    assert read_run_failures(warehouse_conn, job_name="palimpsest_comparison_ng") == []
    with pytest.raises(MetricsInputError, match="failed_at must be timezone-aware"):
        RunFailure(run_id="r", job_name="j", failed_at=datetime(2026, 5, 4), error_message="x")
