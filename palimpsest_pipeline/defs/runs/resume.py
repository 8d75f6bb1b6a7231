"""A capture run after an interrupted one completes the rest instead of starting over.

A live capture of the same partitions within ``RESUME_WITHIN`` skips the events a dead run stored as done
(``core.odds_captures``); older interruptions are not resumed, their prices being stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import dagster as dg

from palimpsest_pipeline.defs.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG
from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs

#: How recent an interrupted capture must be for a rerun to trust what it stored (the imminent tier's
#: cadence is a few minutes; the later tiers' 15 to 30).
RESUME_WITHIN = timedelta(minutes=15)
_INTERRUPTED = [dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


def same_partitions(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """Pure: whether two runs' tags name the same partition or partition range."""
    return all(a.get(tag) == b.get(tag) for tag in (PARTITION_TAG, RANGE_START_TAG, RANGE_END_TAG))


def interrupted_runs(
    instance: dg.DagsterInstance, run: dg.DagsterRun, now: datetime, step_key: str
) -> list[str]:
    """Ids of the runs of ``run``'s job over the same partitions that ended interrupted since
    ``now - RESUME_WITHIN`` before their ``step_key`` step succeeded (dead runs are failed first, so a killed
    run counts; a run whose capture finished and a later step failed does not)."""
    sweep_dead_runs(instance, now)
    records = instance.get_run_records(
        filters=dg.RunsFilter(
            job_name=run.job_name, statuses=_INTERRUPTED, created_after=now - RESUME_WITHIN
        ),
        limit=20,
    )
    return [
        r.dagster_run.run_id
        for r in records
        if r.dagster_run.run_id != run.run_id
        and same_partitions(r.dagster_run.tags, run.tags)
        and not step_succeeded(instance, r.dagster_run.run_id, step_key)
    ]


def step_succeeded(instance: dg.DagsterInstance, run_id: str, step_key: str) -> bool:
    """Whether run ``run_id``'s step ``step_key`` succeeded."""
    successes = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
    return any(record.step_key == step_key for record in successes)
