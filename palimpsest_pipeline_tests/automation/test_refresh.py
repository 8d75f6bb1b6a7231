"""On-demand refresh and sensor-requested captures, run for real against the sandbox and a fresh warehouse."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.cli.refresh import refresh_now
from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import (
    COUNTRY_TAG,
    TIER_TAG,
    capture_job,
    catalogue_job,
    odds_kickoff_window_sensors,
)
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.automation.conftest import Seed, event
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

pytestmark = pytest.mark.slow

TODAY = SANDBOX_TEST_INSTANT.date()
TOMORROW = TODAY + timedelta(days=1)

#: Nigeria alone: the environment the tests run in (PALIMPSEST_COUNTRIES unset).
(odds_kickoff_window_sensor,) = odds_kickoff_window_sensors


def query(warehouse_url: str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        return conn.execute(sql, params).fetchall()


def listed_by(warehouse_url: str, books: int) -> list[int]:
    rows = query(
        warehouse_url,
        "SELECT sr_id FROM core.events WHERE deleted_at IS NULL AND sr_id IS NOT NULL AND kickoff_date = %s "
        "AND kickoff > %s GROUP BY sr_id HAVING count(*) = %s ORDER BY sr_id",
        TOMORROW,
        SANDBOX_TEST_INSTANT,
        books,
    )
    return [r[0] for r in rows]


@pytest.mark.parametrize(
    ("country", "job_name"),
    [(None, "capture_odds"), ("ng", "capture_odds_ng")],  # every country's captures in one run, or ng's job
)
def test_refresh_captures_the_named_events_and_reports_per_book(
    catalogued: dict[str, object], catalogued_url: str, country: str | None, job_name: str
) -> None:
    books = len(NIGERIA_BOOKS)
    everywhere, partly = listed_by(catalogued_url, books)[0], listed_by(catalogued_url, books - 1)[0]
    lines: list[str] = []
    with dg.DagsterInstance.ephemeral() as instance:
        code = refresh_now(
            [everywhere, partly], resources=catalogued, instance=instance, echo=lines.append, country=country
        )
        [run] = instance.get_runs()
    assert code == 0, lines
    assert (run.job_name, run.tags["palimpsest/trigger"]) == (job_name, "refresh")
    assert run.tags.get(COUNTRY_TAG) == country  # a run over every country names none
    captured = query(catalogued_url, "SELECT DISTINCT sr_id FROM core.odds_captures ORDER BY sr_id")
    assert [r[0] for r in captured] == sorted([everywhere, partly])
    report = "\n".join(lines)
    block = report.split(f"sr:{everywhere} ")[1].split("sr:")[0]
    assert block.count(" ok (") == books
    partly_block = report.split(f"sr:{partly} ")[1].split("sr:")[0]
    assert partly_block.count(" ok (") == books - 1 and partly_block.count("not listed") == 1
    # The comparison tables of the events' date were rebuilt from the new prices.
    compared = query(
        catalogued_url, "SELECT count(*) FROM analytics.odds_comparison WHERE sr_id = %s", everywhere
    )
    assert compared[0][0] > 0
    runs = query(catalogued_url, "SELECT count(DISTINCT batch_id) FROM core.odds_captures")
    assert runs[0][0] == 1


def test_unknown_sr_id_is_reported_and_fails(catalogued: dict[str, object], catalogued_url: str) -> None:
    lines: list[str] = []
    assert refresh_now([999_999_999], resources=catalogued, echo=lines.append) == 1
    assert lines == [
        "sr:999999999: unknown: no book lists this SportRadar id (check the id, or run the catalogue)"
    ]
    assert query(catalogued_url, "SELECT count(*) FROM core.odds_captures")[0][0] == 0


def test_known_ids_are_still_captured_next_to_an_unknown_one(
    catalogued: dict[str, object], catalogued_url: str
) -> None:
    known = listed_by(catalogued_url, 3)[0]
    lines: list[str] = []
    assert refresh_now([known, 999_999_999], resources=catalogued, echo=lines.append) == 1
    assert any(line.startswith("sr:999999999: unknown") for line in lines)
    assert [r[0] for r in query(catalogued_url, "SELECT DISTINCT sr_id FROM core.odds_captures")] == [known]


def test_kicked_off_event_is_not_captured(
    pipeline_resources: dict[str, object], seed: Seed, warehouse_url: str
) -> None:
    seed([event(4242, SANDBOX_TEST_INSTANT - timedelta(minutes=5))])
    lines: list[str] = []
    assert refresh_now([4242], resources=pipeline_resources, echo=lines.append) == 1
    assert lines == [
        f"sr:4242: not captured: kicked off at {(SANDBOX_TEST_INSTANT - timedelta(minutes=5)).isoformat()}"
    ]


def test_bad_ids_are_refused_before_anything_runs(pipeline_resources: dict[str, object]) -> None:
    lines: list[str] = []
    assert refresh_now([], resources=pipeline_resources, echo=lines.append) == 2
    assert refresh_now([0, 5], resources=pipeline_resources, echo=lines.append) == 2
    assert lines == [
        "refresh: name at least one SportRadar id",
        "refresh: SportRadar ids are positive integers, got [0, 5]",
    ]


def test_a_sensor_request_runs_as_a_capture_of_exactly_its_events(
    catalogued: dict[str, object], catalogued_url: str
) -> None:
    """Sensor decision -> capture_odds_ng run with the request's config and tags -> rows of those SR ids."""
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(
            instance=instance,
            resources={"warehouse": catalogued["warehouse"], "clock": catalogued["clock"]},
        )
        result = odds_kickoff_window_sensor(context)
        assert isinstance(result, dg.SensorResult)
        requests = {r.tags[TIER_TAG]: r for r in result.run_requests or []}
        assert "later" in requests
        request = requests.get("imminent") or requests.get("soon") or requests["later"]
        assert odds_kickoff_window_sensor.job_name == "capture_odds_ng"
        job = dg.Definitions(
            assets=ALL_ASSETS, jobs=[catalogue_job("ng"), capture_job("ng")], resources=catalogued
        ).resolve_job_def("capture_odds_ng")
        run = job.execute_in_process(
            run_config=request.run_config, tags=request.tags, instance=instance, raise_on_error=False
        )
    assert run.success
    wanted = request.run_config["ops"]["ng__odds_snapshots"]["config"]["sr_ids"]
    captured = query(
        catalogued_url, "SELECT DISTINCT sr_id FROM core.odds_captures WHERE batch_id = %s", run.run_id
    )
    assert sorted(r[0] for r in captured) == sorted(wanted)
    statuses = query(catalogued_url, "SELECT DISTINCT status FROM core.odds_captures")
    assert {r[0] for r in statuses} <= {"ok", "not_listed"}
