"""A fresh warehouse gets its first catalogue run from the bootstrap sensor at once, and only once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import dagster as dg
import pytest

from palimpsest_pipeline.defs.automation import COUNTRY_TAG, RANGE_END_TAG, RANGE_START_TAG, TRIGGER_TAG
from palimpsest_pipeline.defs.catalogue.sensors import (
    RETRY_AFTER,
    bootstrap_skip_reason,
    catalogue_bootstrap_sensors,
)
from palimpsest_pipeline.defs.resources import ClockResource
from palimpsest_pipeline_tests.defs.conftest import resources_for
from palimpsest_sandbox import SandboxHandle

NOW = datetime(2026, 5, 6, 12, 0, tzinfo=UTC)
IN_PROGRESS = dg.DagsterRunStatus.STARTED
#: Nigeria alone: the environment the tests run in (PALIMPSEST_COUNTRIES unset).
(catalogue_bootstrap_sensor,) = catalogue_bootstrap_sensors


def evaluate(
    resources: dict[str, object], instance: dg.DagsterInstance, now: datetime, cursor: str | None = None
) -> dg.SensorResult:
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={**resources, "clock": ClockResource(fixed_utc=now.isoformat())},
    )
    result = catalogue_bootstrap_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def skip_message(result: dg.SensorResult) -> str:
    return result.skip_reason.skip_message or "" if result.skip_reason else ""


def test_decision_table() -> None:
    ask: dict[str, Any] = {"covered": False, "catalogue_run_active": False, "now": NOW, "last_request": None}
    assert bootstrap_skip_reason(**ask) is None
    assert bootstrap_skip_reason(**{**ask, "covered": True})
    assert bootstrap_skip_reason(**{**ask, "catalogue_run_active": True})
    assert bootstrap_skip_reason(**{**ask, "last_request": NOW - RETRY_AFTER + timedelta(seconds=1)})
    assert bootstrap_skip_reason(**{**ask, "last_request": NOW - RETRY_AFTER}) is None  # the last one failed


def test_an_empty_warehouse_gets_one_catalogue_run_for_the_horizon(
    pipeline_resources: dict[str, object], instance: dg.DagsterInstance
) -> None:
    first = evaluate(pipeline_resources, instance, NOW)
    assert first.run_requests is not None and len(first.run_requests) == 1
    request = first.run_requests[0]
    assert request.tags[RANGE_START_TAG] == "2026-05-06"
    assert request.tags[RANGE_END_TAG] == "2026-05-20"  # today + 14: the schedule's range
    assert request.tags[COUNTRY_TAG] == "ng"
    assert catalogue_bootstrap_sensor.job_name == "palimpsest_comparison_ng"
    assert request.tags[TRIGGER_TAG] == "bootstrap"
    # The next tick, a minute later, does not ask again ...
    again = evaluate(pipeline_resources, instance, NOW + timedelta(minutes=1), first.cursor)
    assert not again.run_requests
    # ... nor while the requested run is in progress, however long it takes.
    instance.add_run(
        dg.DagsterRun(
            job_name="palimpsest_comparison_ng",
            run_id=str(uuid.uuid4()),
            status=IN_PROGRESS,
            tags=request.tags,
        )
    )
    late = evaluate(pipeline_resources, instance, NOW + RETRY_AFTER * 3, first.cursor)
    assert not late.run_requests and "queued or in progress" in skip_message(late)


@pytest.mark.slow
def test_after_a_catalogue_run_it_only_skips(
    sandbox: SandboxHandle, day_warehouse_url: str, instance: dg.DagsterInstance
) -> None:
    resources = resources_for(sandbox, day_warehouse_url)  # a copy of a run of every asset, catalogue's too
    # The catalogue finished at real time; judged an hour later, it is recent.
    skipped = evaluate(resources, instance, datetime.now(UTC) + timedelta(hours=1))
    assert not skipped.run_requests and "finished within" in skip_message(skipped)
    # A day later without any catalogue, the sensor asks again.
    stale = evaluate(resources, instance, datetime.now(UTC) + timedelta(hours=25))
    assert stale.run_requests is not None and len(stale.run_requests) == 1
