"""Observability in the Dagster layer: failed runs recorded in the warehouse, and per-book scrape metrics.

A failure recorded in ``core.run_failures`` sits next to the data it failed to produce and survives
Dagster's run retention.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import dagster as dg

from palimpsest_pipeline.defs.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG
from palimpsest_pipeline.defs.resources import WarehouseResource, sensor_status
from palimpsest_pipeline.warehouse.metrics_store import RunFailure, ScrapeMetrics, store_run_failure

#: How often the daemon may evaluate the failure sensor: a failure shows up in the warehouse within this.
FAILURE_SENSOR_INTERVAL_S = 30


def trigger_of(tags: Mapping[str, str]) -> str:
    """What started a run, in the vocabulary of ``core.scrape_batches.trigger``."""
    if "dagster/schedule_name" in tags:
        return f"schedule:{tags['dagster/schedule_name']}"
    if "dagster/sensor_name" in tags:
        return f"sensor:{tags['dagster/sensor_name']}"
    if "dagster/backfill" in tags:
        return f"backfill:{tags['dagster/backfill']}"
    return "manual"


def run_failure_record(
    run: dg.DagsterRun,
    failure_event: dg.DagsterEvent,
    step_failures: Sequence[dg.DagsterEvent],
    *,
    failed_at: datetime,
) -> RunFailure:
    """The ``core.run_failures`` row of a failed run, from the run and its failure events.

    A step's error is its Dagster error message (a ``dg.Failure``'s description, or the exception's text),
    without the stack trace: the trace stays in Dagster's event log, linked by the run id.
    """
    step_errors: dict[str, str] = {}
    for event in step_failures:
        if event.step_key is None:
            continue
        data = event.event_specific_data
        error = getattr(data, "error", None)
        message = getattr(error, "message", None) or event.message or "step failed"
        step_errors[event.step_key] = str(message).strip()
    tags = run.tags
    return RunFailure(
        run_id=run.run_id,
        job_name=run.job_name,
        failed_at=failed_at,
        error_message=(failure_event.message or "run failed").strip(),
        step_errors=step_errors,
        partition_start=tags.get(RANGE_START_TAG),
        partition_end=tags.get(RANGE_END_TAG),
        partition_key=tags.get(PARTITION_TAG),
        trigger=trigger_of(tags),
    )


@dg.run_failure_sensor(
    name="record_run_failures",
    description="Records every failed run of this code location in the warehouse (core.run_failures, view "
    "analytics.run_failures): job, time, message, failed steps and their errors, partition range.",
    minimum_interval_seconds=FAILURE_SENSOR_INTERVAL_S,
    default_status=sensor_status(),
)
def record_run_failures(context: dg.RunFailureSensorContext, warehouse: WarehouseResource) -> None:
    failure = run_failure_record(
        context.dagster_run,
        context.failure_event,
        context.get_step_failure_events(),
        failed_at=_failed_at(context.instance, context.dagster_run.run_id),
    )
    with warehouse.connect() as conn:
        store_run_failure(conn, failure)
    context.log.info(
        f"recorded failed run {failure.run_id} of {failure.job_name} (steps: {failure.step_keys or 'none'})"
    )


def scrape_metrics_metadata(
    context: dg.AssetExecutionContext, rows: Sequence[ScrapeMetrics], warning: str | None
) -> dict[str, dict[str, Any]]:
    """The ``scrape_metrics`` entry of a step's materializations: its per-book scrape metrics of one site
    country (stored by the scrape, ``scrape/metrics.py``), keyed ``<kind>/<book>``, for the step's results
    (``runs/by_country.py`` names each country's apart); a metrics row that could not be stored is a
    warning."""
    if warning is not None:
        context.log.warning(warning)
    summary = {f"{m.kind}/{m.book.value}": m.as_metadata() for m in rows}
    return {"scrape_metrics": summary}


def _failed_at(instance: dg.DagsterInstance, run_id: str) -> datetime:
    """When the run ended, from Dagster's run record (a DagsterEvent carries no timestamp of its own); the
    evaluation time if the record has none yet (the sensor runs within seconds of the failure)."""
    record = instance.get_run_record_by_id(run_id)
    if record is not None and record.end_time is not None:
        return datetime.fromtimestamp(record.end_time, UTC)
    return datetime.now(UTC)
