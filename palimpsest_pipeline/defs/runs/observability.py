"""Failed runs recorded in the warehouse (``core.run_failures``, beside the data they failed to produce and
past Dagster's run retention), dead runs swept out of the pools, and per-book scrape metrics as metadata."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import dagster as dg

from palimpsest_pipeline.defs.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG
from palimpsest_pipeline.defs.resources import WarehouseResource, sensor_status
from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs
from palimpsest_pipeline.warehouse.metrics_store import RunFailure, ScrapeMetrics, store_run_failure


def trigger_of(tags: Mapping[str, str]) -> str:
    """What started a run, in the vocabulary of ``core.scrape_batches.trigger``."""
    for kind, tag in (("schedule", "schedule_name"), ("sensor", "sensor_name"), ("backfill", "backfill")):
        if f"dagster/{tag}" in tags:
            return f"{kind}:{tags[f'dagster/{tag}']}"
    return "manual"


def run_failure_record(
    run: dg.DagsterRun,
    failure_event: dg.DagsterEvent,
    step_failures: Sequence[dg.DagsterEvent],
    *,
    failed_at: datetime,
) -> RunFailure:
    """The ``core.run_failures`` row of a failed run: each step's Dagster error message, without the stack
    trace (which stays in Dagster's event log, linked by the run id)."""
    step_errors: dict[str, str] = {}
    for event in step_failures:
        if event.step_key is not None:
            error = getattr(event.event_specific_data, "error", None)
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
    minimum_interval_seconds=30,  # a failure shows up in the warehouse within this
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


@dg.sensor(
    name="dead_run_sensor",
    minimum_interval_seconds=30,
    default_status=sensor_status(),
    description="Fails runs whose process died without a word (SIGKILL, OOM kill, container stop), so they "
    "stop holding the pools later captures need (deploy/run_liveness.py).",
)
def dead_run_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    swept = sweep_dead_runs(context.instance)
    for run_id, reason in swept:
        context.log.warning(f"failed dead run {run_id}: {reason}")
    return dg.SkipReason(f"failed {len(swept)} dead run(s)" if swept else "no dead run")


def scrape_metrics_metadata(
    context: dg.AssetExecutionContext, rows: Sequence[ScrapeMetrics], warning: str | None
) -> dict[str, dict[str, Any]]:
    """The ``scrape_metrics`` metadata entry of one site country's scrape metrics, keyed ``<kind>/<book>``;
    a metrics row that could not be stored is logged as a warning."""
    if warning is not None:
        context.log.warning(warning)
    summary = {f"{m.kind}/{m.book.value}": m.as_metadata() for m in rows}
    return {"scrape_metrics": summary}


def _failed_at(instance: dg.DagsterInstance, run_id: str) -> datetime:
    """When the run ended, from Dagster's run record (events carry no timestamp); else now."""
    record = instance.get_run_record_by_id(run_id)
    if record is not None and record.end_time is not None:
        return datetime.fromtimestamp(record.end_time, UTC)
    return datetime.now(UTC)
