"""The daily maintenance racing a long reader on the real server: a concurrent detach that timed out waiting
for the reader is finished by its retry, and a partition whose locks never come costs that partition only,
never the rest of the day's retention or the dictionary training."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial

import psycopg
import pytest

from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse import daily_maintenance, partitions
from palimpsest_pipeline.warehouse.archive.dictionaries import MIN_TRAINING_SAMPLES
from palimpsest_pipeline.warehouse.archive.records import RawResponse
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.daily_maintenance import (
    HISTORY_RETENTION_VAR,
    MaintenanceResult,
    run_daily_maintenance,
)
from palimpsest_pipeline.warehouse.locks import briefly
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline_tests.archived import archive_responses
from palimpsest_pipeline_tests.warehouse.stored import day_partitions

TODAY = date(2026, 5, 20)
OLD = TODAY - timedelta(days=30)
OLDER = TODAY - timedelta(days=31)
#: the defaults: archive 14 days, bookkeeping tables 28 or more; odds history set to 14 days here
RETENTION = load_settings({HISTORY_RETENTION_VAR: "14"}).retention_days()


def _list_body(day: date, n: int) -> RawResponse:
    return RawResponse(
        Book.BET9JA,
        "list",
        f"https://x/GetEventsInGroupV2?GROUPID={n}",
        200,
        b'{"R":"OK","D":{"E":[{"ID":%d,"DS":"Team %d - Team %d"}]}}' % (n, n, n + 1),
        datetime(day.year, day.month, day.day, 12, n, tzinfo=UTC),
    )


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _seed(url: str) -> None:
    """Two old archive days, an old and a recent odds-history day, an old and a recent capture-log row, and
    enough recent Bet9ja list bodies to train a dictionary on."""
    with psycopg.connect(url, autocommit=True) as conn:
        archive_responses(conn, batch_id="older", responses=[_list_body(OLDER, 1)])
        archive_responses(conn, batch_id="old", responses=[_list_body(OLD, 1)])
        recent = [_list_body(TODAY, n) for n in range(MIN_TRAINING_SAMPLES + 5)]
        archive_responses(conn, batch_id="today", responses=recent)
        for day in (OLD, TODAY):
            at = _moment(day)
            store_odds(conn, [OddsRow(5, Book.BETPAWA, 1, "", 1, 2.0 + day.day / 100, "open", at)],
                       captured={(5, Book.BETPAWA): at}, site_country="ng")  # fmt: skip
            conn.execute(
                "INSERT INTO core.odds_captures (sr_id, book, captured_at, batch_id, status, site_country) "
                "VALUES (%s, 'betpawa', %s, 'b', 'ok', 'ng')",
                (day.day, at),
            )


def _pending_detach(spy: psycopg.Connection) -> list[str]:
    rows = spy.execute(
        "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid "
        "WHERE i.inhdetachpending ORDER BY 1"
    ).fetchall()
    return [name for (name,) in rows]


def _waiting(spy: psycopg.Connection, application_name: str) -> bool:
    row = spy.execute(
        "SELECT count(*) FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid "
        "WHERE NOT l.granted AND a.application_name = %s",
        (application_name,),
    ).fetchone()
    return bool(row and row[0])


def _wait_until(condition: Callable[[], bool], spy: psycopg.Connection, what: str, thread: threading.Thread):
    for _ in range(12_000):
        if condition():
            return
        assert thread.is_alive(), f"{what}: the maintenance ended first"
        spy.execute("SELECT pg_sleep(0.01)")
    raise AssertionError(f"{what}: never happened")


def _maintain(url: str, outcome: dict[str, object]) -> None:
    try:
        with psycopg.connect(url, autocommit=True, application_name="maintenance") as conn:
            outcome["result"] = run_daily_maintenance(conn, today=TODAY, retention=RETENTION)
    except Exception as err:  # reported by the test, not lost in the thread
        outcome["error"] = err


def _finished(outcome: dict[str, object]) -> MaintenanceResult:
    assert "error" not in outcome, f"the maintenance failed: {outcome['error']!r}"
    result = outcome["result"]
    assert isinstance(result, MaintenanceResult)
    return result


def _relations(conn: psycopg.Connection, pattern: str) -> list[str]:
    rows = conn.execute(
        "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relname LIKE %s ORDER BY 1", (pattern,)
    ).fetchall()
    return [name for (name,) in rows]


def test_a_detach_that_timed_out_waiting_for_a_reader_is_finished_by_its_retry(warehouse_url: str) -> None:
    """The reader holds the archive while the concurrent detach of the oldest day waits for it; the detach
    gives up at its lock timeout with the day marked pending detach. Released only then, the retry must finish
    that detach (FINALIZE) rather than send the first statement again, and the day's maintenance completes."""
    url = libpq_url(warehouse_url)
    _seed(url)
    outcome: dict[str, object] = {}
    with (
        psycopg.connect(url) as reader,
        psycopg.connect(url, autocommit=True) as spy,
    ):
        reader.execute("SELECT count(*) FROM core.raw_archive").fetchone()  # ACCESS SHARE until it ends
        maintenance = threading.Thread(target=_maintain, args=(url, outcome))
        maintenance.start()
        older = f"raw_archive_p{OLDER:%Y%m%d}"
        _wait_until(
            lambda: _pending_detach(spy) == [older] and _waiting(spy, "maintenance"),
            spy,
            "the detach waits for the reader",
            maintenance,
        )
        # still held: the only way the detach stops waiting is its lock timeout
        _wait_until(lambda: not _waiting(spy, "maintenance"), spy, "the detach gives up", maintenance)
        assert _pending_detach(spy) == [older]
        reader.rollback()
    maintenance.join(300)
    result = _finished(outcome)

    with psycopg.connect(url) as conn:
        assert _relations(conn, "raw_archive_p%") == [f"raw_archive_p{TODAY:%Y%m%d}"]
        assert _pending_detach(conn) == []
        assert sorted(day_partitions(conn, "core.odds_changes")) == [TODAY]
        assert conn.execute("SELECT sr_id FROM core.odds_captures").fetchall() == [(TODAY.day,)]
        dictionaries = conn.execute("SELECT book, kind FROM core.archive_dictionaries").fetchall()
    assert result.archive.dropped_partitions == (older, f"raw_archive_p{OLD:%Y%m%d}")
    assert result.deferred == ()
    assert dictionaries == [("bet9ja", "list")]
    assert result.trained["bet9ja/list"] is not None


def test_a_partition_whose_locks_never_come_costs_only_its_own_days(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader holds the archive through every attempt: the archive's old days stay (the first pending
    detach, the second waiting behind it), each named with its reason, while the odds history's old day, the
    capture log's old row and the dictionary training are done. The next maintenance, the reader gone,
    finishes the archive's days."""
    url = libpq_url(warehouse_url)
    _seed(url)
    # the same behaviour with less patience, so that giving up takes a fraction of a second
    monkeypatch.setattr(
        partitions, "briefly", partial(briefly, lock_timeout_ms=200, attempts=2, first_pause_s=0)
    )
    outcome: dict[str, object] = {}
    older, old = f"raw_archive_p{OLDER:%Y%m%d}", f"raw_archive_p{OLD:%Y%m%d}"
    with psycopg.connect(url) as reader:
        reader.execute("SELECT count(*) FROM core.raw_archive").fetchone()
        _maintain(url, outcome)
        result = _finished(outcome)
        with psycopg.connect(url, autocommit=True) as conn:
            assert _pending_detach(conn) == [older]
            assert _relations(conn, "raw_archive_p%") == sorted([older, old, f"raw_archive_p{TODAY:%Y%m%d}"])
            assert sorted(day_partitions(conn, "core.odds_changes")) == [TODAY]
            assert conn.execute("SELECT sr_id FROM core.odds_captures").fetchall() == [(TODAY.day,)]
            assert conn.execute("SELECT book, kind FROM core.archive_dictionaries").fetchall() == [
                ("bet9ja", "list")
            ]
        reader.rollback()
    assert result.archive.dropped_partitions == ()
    assert [step.step for step in result.deferred] == [f"dropping core.{older}", f"dropping core.{old}"]
    assert "not granted" in result.deferred[0].reason
    assert f"core.{older} is still pending detach" in result.deferred[1].reason
    assert result.history.dropped_partitions == (f"odds_changes_p{OLD:%Y%m%d}",)
    assert result.trained["bet9ja/list"] is not None

    again: dict[str, object] = {}
    _maintain(url, again)
    assert _finished(again).archive.dropped_partitions == (older, old)
    with psycopg.connect(url) as conn:
        assert _relations(conn, "raw_archive_p%") == [f"raw_archive_p{TODAY:%Y%m%d}"]
        assert _pending_detach(conn) == []


def test_a_bookkeeping_table_whose_locks_never_come_costs_only_that_table(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session holding the quarantine against writers defers the quarantine's retention, named with its
    reason; the capture log's retention, the partition drops and the training still happen."""
    url = libpq_url(warehouse_url)
    _seed(url)
    monkeypatch.setattr(daily_maintenance, "briefly", partial(briefly, lock_timeout_ms=200, attempts=2))
    outcome: dict[str, object] = {}
    with psycopg.connect(url) as holder:
        holder.execute("LOCK TABLE core.quarantine IN SHARE MODE")  # no DELETE until it ends
        _maintain(url, outcome)
        holder.rollback()
    result = _finished(outcome)
    [quarantine] = [t for t in result.tables if t.table == "core.quarantine"]
    assert quarantine.deferred is not None and "not granted" in quarantine.deferred.reason
    assert [step.step for step in result.deferred] == ["retention of core.quarantine"]
    assert all(t.deferred is None for t in result.tables if t.table != "core.quarantine")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT sr_id FROM core.odds_captures").fetchall() == [(TODAY.day,)]
        assert _relations(conn, "raw_archive_p%") == [f"raw_archive_p{TODAY:%Y%m%d}"]
    assert result.trained["bet9ja/list"] is not None
