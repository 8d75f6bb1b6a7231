"""The daily archive maintenance job, run by Dagster against a real warehouse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg

from palimpsest_pipeline.defs.definitions import build_definitions
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.partitions import day_partitions
from palimpsest_pipeline.warehouse.raw_archive import MIN_TRAINING_SAMPLES, RawResponse, archive_responses

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

    resources = {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "clock": ClockResource(fixed_utc=datetime(2026, 5, 20, 3, 17, tzinfo=UTC).isoformat()),
        # Maintenance never calls a book: point them where nothing listens.
        "books": BooksResource(betpawa_url=UNREACHABLE, sportybet_url=UNREACHABLE, bet9ja_url=UNREACHABLE),
    }
    job = build_definitions(resources).get_job_def("archive_maintenance")
    result = job.execute_in_process()
    assert result.success

    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        assert list(day_partitions(conn, "core.raw_archive")) == [recent]  # the 30-day-old day is gone
        dictionaries = conn.execute(
            "SELECT book, kind FROM core.archive_dictionaries ORDER BY book, kind"
        ).fetchall()
    assert dictionaries == [("bet9ja", "event")]  # only Bet9ja events had enough bodies to train on
