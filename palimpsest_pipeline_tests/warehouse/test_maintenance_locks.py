"""Maintenance beside the captures, against a real Postgres: retention never queues a capture's writes behind
it, gives way to a long reader and finishes what an interrupted run left."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.records import RawResponse
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.daily_maintenance import apply_archive_retention
from palimpsest_pipeline.warehouse.locks import MaintenanceLockError, briefly
from palimpsest_pipeline.warehouse.partitions import drop_day_partitions_before
from palimpsest_pipeline_tests.archived import archive_responses
from palimpsest_pipeline_tests.warehouse.stored import day_partitions

TODAY = date(2026, 5, 20)
OLD = TODAY - timedelta(days=30)


def _body(day: date, n: int) -> RawResponse:
    return RawResponse(
        Book.BET9JA,
        "list",
        f"https://x/GetEventsInGroupV2?GROUPID={n}",
        200,
        b'{"R":"OK","D":{"E":[%d]}}' % n,
        datetime(day.year, day.month, day.day, 12, n, tzinfo=UTC),
    )


def _backends_waiting(spy: psycopg.Connection, application_name: str) -> int:
    row = spy.execute(
        """
        SELECT count(*) FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
        WHERE NOT l.granted AND a.application_name = %s
        """,
        (application_name,),
    ).fetchone()
    return int(row[0]) if row else 0


def _wait_until(condition: object, spy: psycopg.Connection, what: str, thread: threading.Thread) -> None:
    assert callable(condition)
    for _ in range(6000):
        if condition():
            return
        assert thread.is_alive(), f"{what}: the thread ended first"
        spy.execute("SELECT pg_sleep(0.01)")
    raise AssertionError(f"{what}: never happened")


def test_a_capture_writes_while_retention_waits_for_a_long_reader(warehouse_url: str) -> None:
    """An analyst's long read of the archive holds its lock; retention must wait for it, and the capture
    writing today's bodies meanwhile must not queue behind retention (a plain DROP would make it wait for
    the analyst too)."""
    url = libpq_url(warehouse_url)
    with psycopg.connect(url, autocommit=True) as conn:
        archive_responses(conn, batch_id="old", responses=[_body(OLD, 1)])
        archive_responses(conn, batch_id="today", responses=[_body(TODAY, 1)])
    outcome: dict[str, object] = {}

    def retention() -> None:
        with psycopg.connect(url, autocommit=True, application_name="maintenance") as conn:
            outcome["retention"] = apply_archive_retention(conn, today=TODAY, retention_days=14)

    def capture() -> None:
        with psycopg.connect(url, autocommit=True, application_name="capture") as conn:
            archive_responses(conn, batch_id="during", responses=[_body(TODAY, 2)])
        outcome["captured"] = True

    with (
        psycopg.connect(url) as analyst,
        psycopg.connect(url, autocommit=True) as spy,
    ):
        analyst.execute("SELECT count(*) FROM core.raw_archive").fetchone()  # holds ACCESS SHARE until commit
        maintenance = threading.Thread(target=retention)
        maintenance.start()
        _wait_until(lambda: _backends_waiting(spy, "maintenance") > 0, spy, "retention waits", maintenance)
        writer = threading.Thread(target=capture)
        writer.start()
        writer.join(120)
        assert outcome.get("captured"), "the capture's write queued behind retention"
        assert "retention" not in outcome  # still waiting for the analyst, who is still reading
        analyst.rollback()
    maintenance.join(120)
    result = outcome["retention"]
    with psycopg.connect(url) as conn:
        assert list(day_partitions(conn, "core.raw_archive")) == [TODAY]
        assert conn.execute("SELECT count(*) FROM core.raw_archive").fetchone() == (2,)
    assert result.dropped_partitions == (f"raw_archive_p{OLD:%Y%m%d}",)  # type: ignore[attr-defined]


def test_a_partition_left_detached_by_an_interrupted_run_is_dropped_next_time(warehouse_conn) -> None:
    archive_responses(warehouse_conn, batch_id="old", responses=[_body(OLD, 1)])
    name = f"raw_archive_p{OLD:%Y%m%d}"
    warehouse_conn.execute(f"ALTER TABLE core.raw_archive DETACH PARTITION core.{name}")
    assert OLD not in day_partitions(warehouse_conn, "core.raw_archive")

    assert drop_day_partitions_before(warehouse_conn, "core.raw_archive", TODAY).dropped_partitions == (name,)
    assert warehouse_conn.execute("SELECT to_regclass(%s)", (f"core.{name}",)).fetchone() == (None,)


def test_a_step_whose_locks_stay_taken_gives_way_and_then_fails_naming_itself(warehouse_conn, warehouse_url):
    """A statement that cannot get its lock is cancelled after the timeout (others go on), retried, and
    finally fails with a message naming the step; nothing it would have changed is changed."""
    with psycopg.connect(libpq_url(warehouse_url)) as holder:
        holder.execute("LOCK TABLE core.quarantine IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(MaintenanceLockError, match=r"emptying the quarantine.*3 attempts"):
            briefly(
                warehouse_conn,
                "emptying the quarantine",
                lambda: warehouse_conn.execute("DELETE FROM core.quarantine"),
                lock_timeout_ms=50,
                attempts=3,
                first_pause_s=0.01,
            )
        holder.rollback()
    # the lock is free again: the same step now succeeds on its first attempt
    assert briefly(warehouse_conn, "counting", lambda: warehouse_conn.execute("SELECT 1").fetchone()) == (1,)


def test_maintenance_refuses_a_connection_inside_a_transaction(warehouse_url: str) -> None:
    with (
        psycopg.connect(libpq_url(warehouse_url)) as conn,
        pytest.raises(MaintenanceLockError, match="autocommit"),
    ):
        drop_day_partitions_before(conn, "core.raw_archive", TODAY)
