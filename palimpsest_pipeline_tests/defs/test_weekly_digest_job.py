"""The weekly digest under the real Dagster machinery: each country's schedule asks, once a week, for the
digest of the ISO week before its tick, keyed by country and week; the job builds it and sends it to the
receivers of the alerting resource (a local apprise ``json://`` webhook), and a second run of the same week
sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import psycopg

from palimpsest_pipeline.definitions import defs
from palimpsest_pipeline.defs.digest.weekly import weekly_digest_job
from palimpsest_pipeline.defs.resources import AlertsResource, ClockResource, WarehouseResource
from palimpsest_pipeline_tests.alerts.receiver import Receiver, receiver
from palimpsest_pipeline_tests.report.digest_rows import BUILT_AT, WEEK, seed_digest_week

__all__ = ["receiver"]


def test_the_schedule_asks_for_the_week_before_its_tick_once_per_country_and_week() -> None:
    schedule = defs.get_repository_def().get_schedule_def("weekly_digest_schedule_ng")
    assert schedule.cron_schedule.split()[2:] == ["*", "*", "1"]  # Mondays (minute and hour staggered)
    for tick in (datetime(2026, 11, 30, 6, tzinfo=UTC), datetime(2026, 11, 30, 6, 30, tzinfo=UTC)):
        context = dg.build_schedule_context(scheduled_execution_time=tick)
        (request,) = schedule.evaluate_tick(context).run_requests or []
        assert request.run_key == f"digest:ng:{WEEK}"
        assert request.run_config == {
            "ops": {"build_and_send_digest": {"config": {"site_country": "ng", "week": WEEK}}}
        }
        assert request.tags["palimpsest/site_country"] == "ng"


def test_a_run_builds_and_sends_the_week_and_a_second_run_sends_nothing(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver, tmp_path: Path
) -> None:
    seed_digest_week(warehouse_conn)
    warehouse_conn.commit()
    resources = {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "alerting": AlertsResource(urls=receiver.url),
        "clock": ClockResource(fixed_utc=BUILT_AT.isoformat()),
    }
    config = {
        "ops": {"build_and_send_digest": {"config": {"site_country": "ng", "directory": str(tmp_path)}}}
    }
    first = weekly_digest_job.execute_in_process(run_config=config, resources=resources)
    second = weekly_digest_job.execute_in_process(run_config=config, resources=resources)
    assert first.success and second.success
    (body,) = receiver.bodies
    assert body["title"] == f"Palimpsest Nigeria: weekly digest {WEEK}"  # the week before the clock's
    assert (tmp_path / "digest.html").exists() and (tmp_path / "late_starts_ng.csv").exists()
    outputs = [
        event.event_specific_data.metadata["deliveries"].value  # type: ignore[union-attr]
        for run in (first, second)
        for event in run.all_events
        if event.event_type_value == "STEP_OUTPUT"
    ]
    assert outputs == [{"json#1": "sent"}, {"json#1": "already sent"}]
