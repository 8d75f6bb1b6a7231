"""The daily archive maintenance job, run by Dagster against a real warehouse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.definitions import build_definitions
from palimpsest_pipeline.defs.resources import AlertsResource, BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse.archive.dictionaries import MIN_TRAINING_SAMPLES
from palimpsest_pipeline.warehouse.archive.records import RawResponse
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.daily_maintenance import HISTORY_RETENTION_VAR
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline_tests.archived import archive_responses
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.stored import day_partitions

TODAY = date(2026, 5, 20)
UNREACHABLE = "http://127.0.0.1:9/"


def test_maintenance_applies_retention_and_trains_dictionaries(warehouse_url: str) -> None:
    old, recent = TODAY - timedelta(days=30), TODAY - timedelta(days=1)
    bodies = [
        RawResponse(
            Book.BET9JA,
            "event",
            f"https://x/GetEvent?EVENTID={n}",
            200,
            b'{"R":"OK","D":{"ID":%d,"O":{"S_1X2_1":"2.40","S_1X2_X":"3.30","S_1X2_2":"3.00"}}}' % n,
            datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        )
        for n, day in enumerate([old] * 3 + [recent] * (MIN_TRAINING_SAMPLES + 5))
    ]
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        archive_responses(conn, batch_id="b", responses=bodies)
        for sr_id, day in ((1, old), (2, recent)):  # the capture log: 28 days kept by default
            conn.execute(
                "INSERT INTO core.odds_captures (sr_id, book, captured_at, batch_id, status, site_country) "
                "VALUES (%s, 'betpawa', %s, 'b', 'ok', 'ng')",
                (sr_id, datetime(day.year, day.month, day.day, 12, tzinfo=UTC)),
            )

    resources = {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "clock": ClockResource(fixed_utc=datetime(2026, 5, 20, 3, 17, tzinfo=UTC).isoformat()),
        # Maintenance never calls a book: point them where nothing listens.
        "books": BooksResource(
            base_urls=dict.fromkeys((f"ng/{book.value}" for book in NIGERIA_BOOKS), UNREACHABLE)
        ),
        "alerting": AlertsResource(),  # the weekly digest's job needs it to be defined; nothing is sent
    }
    job = build_definitions(resources).get_job_def("archive_maintenance")
    result = job.execute_in_process()
    assert result.success

    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        assert list(day_partitions(conn, "core.raw_archive")) == [recent]  # the 30-day-old day is gone
        dictionaries = conn.execute(
            "SELECT book, kind FROM core.archive_dictionaries ORDER BY book, kind"
        ).fetchall()
        assert conn.execute("SELECT sr_id FROM core.odds_captures").fetchall() == [(2,)]
    assert dictionaries == [("bet9ja", "event")]  # only Bet9ja events had enough bodies to train on
    [output] = [
        e
        for e in result.all_node_events
        if e.event_type_value == "STEP_OUTPUT" and e.node_name == "maintain_archive"
    ]
    captures = output.event_specific_data.metadata["table_retention"].value["core.odds_captures"]
    assert captures == {"cutoff": "2026-04-22", "deleted_rows": 1}
    assert output.event_specific_data.metadata["deferred_steps"].value == {}  # no reader held a lock


def _history_days(warehouse_url: str) -> list[date]:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        return sorted(day_partitions(conn, "core.odds_changes"))


def test_odds_history_is_kept_by_default_and_dropped_past_its_retention(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = [TODAY - timedelta(days=40), TODAY - timedelta(days=10), TODAY - timedelta(days=1)]
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        for day in days:
            at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            store_odds(conn, [OddsRow(5, Book.BETPAWA, 1, "", 1, 2.0 + day.day / 100, "open", at)],
                       captured={(5, Book.BETPAWA): at}, site_country="ng")  # fmt: skip
    resources = {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "clock": ClockResource(fixed_utc=datetime(2026, 5, 20, 3, 17, tzinfo=UTC).isoformat()),
        "books": BooksResource(
            base_urls=dict.fromkeys((f"ng/{book.value}" for book in NIGERIA_BOOKS), UNREACHABLE)
        ),
        "alerting": AlertsResource(),  # the weekly digest's job needs it to be defined; nothing is sent
    }
    job = build_definitions(resources).get_job_def("archive_maintenance")

    monkeypatch.delenv(HISTORY_RETENTION_VAR, raising=False)
    assert job.execute_in_process().success
    assert _history_days(warehouse_url) == days  # analysts query it: nothing dropped unless configured

    monkeypatch.setenv(HISTORY_RETENTION_VAR, "30")
    result = job.execute_in_process()
    assert result.success
    assert _history_days(warehouse_url) == days[1:]  # before 2026-04-20: the 40-day-old day only
    [output] = [
        e
        for e in result.all_node_events
        if e.event_type_value == "STEP_OUTPUT" and e.node_name == "maintain_archive"
    ]
    assert output.event_specific_data.metadata["history_cutoff"].value == "2026-04-20"
    with psycopg.connect(libpq_url(warehouse_url)) as conn:  # the current price is untouched
        assert conn.execute("SELECT count(*) FROM core.odds_current WHERE sr_id = 5").fetchone() == (1,)
