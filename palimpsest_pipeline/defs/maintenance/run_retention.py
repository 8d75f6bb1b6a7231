"""Dagster's own storage kept to a window: finished runs older than ``PALIMPSEST_DAGSTER_RUNS_RETENTION_DAYS``
deleted with their event logs (Dagster keeps both for ever), through the instance's public API. A run still
queued or going is never touched, nor the run of an asset's latest materialization (the UI's "last
materialized" and the freshness checks read it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import dagster as dg

#: Runs read per page while purging: a day's runs at twenty-two countries fit in a few pages.
PAGE_RUNS = 500
#: The statuses of a run that ended.
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


@dataclass(frozen=True)
class RunPurge:
    """What a purge did: the runs deleted (with their event logs) and the old ones kept on purpose."""

    deleted: int
    kept_latest: int


def latest_materialization_runs(instance: dg.DagsterInstance) -> set[str]:
    """The run of each asset's latest materialization."""
    runs = set()
    for key in instance.get_asset_keys():
        event = instance.get_latest_materialization_event(key)
        if event is not None:
            runs.add(event.run_id)
    return runs


def purge_finished_runs(instance: dg.DagsterInstance, *, before: datetime) -> RunPurge:
    """Delete the runs that finished and were created before ``before``, oldest first, each with its event
    log, but those :func:`latest_materialization_runs` names. Idempotent: a second purge deletes nothing."""
    keep = latest_materialization_runs(instance)
    deleted = kept = 0
    cursor = None  # the last run kept: a deleted run cannot be a cursor, and what it passed is gone
    while True:
        page = instance.get_run_records(
            dg.RunsFilter(statuses=FINISHED, created_before=before),
            limit=PAGE_RUNS,
            ascending=True,
            cursor=cursor,
        )
        if not page:
            return RunPurge(deleted, kept)
        for record in page:
            run_id = record.dagster_run.run_id
            if run_id in keep:
                kept += 1
                cursor = run_id
                continue
            instance.delete_run(run_id)
            deleted += 1
