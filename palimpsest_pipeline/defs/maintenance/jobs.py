"""Daily maintenance: apply the retention settings and refresh the compression dictionaries
(``warehouse/daily_maintenance.py``); keep Dagster's own runs and event logs to their window
(``run_retention.py``)."""

from datetime import timedelta

import dagster as dg

from palimpsest_pipeline.defs.maintenance.run_retention import purge_finished_runs
from palimpsest_pipeline.defs.resources import (
    LOCATION_SETTINGS,
    ClockResource,
    WarehouseResource,
    schedule_status,
)
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.daily_maintenance import run_daily_maintenance


@dg.op(
    description="Drop archive, odds history and bookkeeping rows past their retention; train each book's "
    "dictionaries on recent bodies."
)
def maintain_archive(
    context: dg.OpExecutionContext, warehouse: WarehouseResource, clock: ClockResource
) -> dg.Output[None]:
    with warehouse.connect(autocommit=True) as conn:
        done = run_daily_maintenance(
            conn, today=clock.now().date(), retention=load_settings().retention_days()
        )
    context.log.info(
        f"archive retention cut at {done.archive.cutoff}: dropped {done.archive.dropped_partitions}; "
        + ", ".join(f"{t.table} -{t.deleted_rows} rows before {t.cutoff}" for t in done.tables)
    )
    for step in done.deferred:  # a long reader held its locks: the next maintenance tries again
        context.log.warning(f"deferred to the next maintenance: {step.step}: {step.reason}")
    return dg.Output(
        None,
        metadata={
            "cutoff": done.archive.cutoff.isoformat(),
            "dropped_partitions": list(done.archive.dropped_partitions),
            "dropped_dictionaries": done.archive.dropped_dictionaries,
            "dropped_event_labels": done.archive.dropped_event_labels,
            # None: no history retention set (the default), every day of odds history is kept.
            "history_cutoff": None if done.history.cutoff is None else done.history.cutoff.isoformat(),
            "history_dropped_partitions": list(done.history.dropped_partitions),
            "table_retention": {
                t.table: {"cutoff": t.cutoff.isoformat(), "deleted_rows": t.deleted_rows} for t in done.tables
            },
            # None: too few bodies of that book and kind archived yet to train on.
            "trained_dictionaries": done.trained,
            "deferred_steps": {step.step: step.reason for step in done.deferred},
        },
    )


@dg.op(
    description="Delete the finished Dagster runs older than PALIMPSEST_DAGSTER_RUNS_RETENTION_DAYS with "
    "their event logs (not the run of an asset's latest materialization)."
)
def purge_dagster_runs(context: dg.OpExecutionContext, clock: ClockResource) -> dg.Output[None]:
    days = load_settings().dagster_runs_retention_days
    before = clock.now() - timedelta(days=days)
    done = purge_finished_runs(context.instance, before=before)
    context.log.info(f"Dagster runs created before {before.isoformat()}: {done.deleted} deleted")
    return dg.Output(
        None,
        metadata={
            "created_before": before.isoformat(),
            "deleted_runs": done.deleted,
            "kept_latest_materialization_runs": done.kept_latest,
        },
    )


@dg.job(description="Archive retention, compression dictionaries and Dagster's run retention (daily).")
def archive_maintenance() -> None:
    maintain_archive()
    purge_dagster_runs()


archive_maintenance_schedule = dg.ScheduleDefinition(
    name="archive_maintenance_schedule",
    job=archive_maintenance,
    cron_schedule=LOCATION_SETTINGS.maintenance_cron,
    execution_timezone="UTC",
    default_status=schedule_status(),
)
