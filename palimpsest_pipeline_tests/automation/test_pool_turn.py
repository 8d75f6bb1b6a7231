"""The CLI's in-process runs take their turn in the pools the daemon's runs use: a ``palimpsest refresh``
started while an earlier run holds the odds capture pool waits for it (no request, nothing stored), then
captures; its own run record carries the pools the run queue counts."""

from __future__ import annotations

import socket
import subprocess
import threading
from datetime import UTC, datetime

import dagster as dg
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType

from palimpsest_pipeline.cli.refresh import refresh_now
from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import CAPTURE_JOB, capture_odds_job
from palimpsest_pipeline.defs.runs.pool_turn import pool_holders, wait_for_pool_turn
from palimpsest_pipeline.deploy.pools import ODDS_POOL
from palimpsest_pipeline.deploy.run_liveness import TAG_HEARTBEAT, TAG_HOST, TAG_PID, TAG_PID_STARTED
from palimpsest_pipeline_tests.automation.conftest import pipeline_resources
from palimpsest_pipeline_tests.automation.test_refresh import catalogued, listed_by, query

__all__ = ["catalogued", "pipeline_resources"]

pytestmark = pytest.mark.slow


def _start(instance: dg.DagsterInstance, run: dg.DagsterRun) -> None:
    instance.report_dagster_event(
        DagsterEvent(event_type_value=DagsterEventType.RUN_START.value, job_name=run.job_name), run.run_id
    )


def _other_runs(instance: dg.DagsterInstance, but: str) -> list[dg.DagsterRun]:
    return [run for run in instance.get_runs() if run.run_id != but]


def test_a_refresh_waits_for_the_run_holding_the_capture_pool(
    catalogued: dict[str, object], warehouse_url: str
) -> None:
    sr_id = listed_by(warehouse_url, 3)[0]
    with dg.instance_for_test() as instance:
        instance.event_log_storage.set_concurrency_slots(ODDS_POOL, 1)
        job = dg.Definitions(
            assets=ALL_ASSETS, jobs=[capture_odds_job], resources=catalogued
        ).resolve_job_def(CAPTURE_JOB)
        holder = instance.create_run_for_job(job_def=job)  # a daemon's capture, already running
        _start(instance, holder)
        lines: list[str] = []
        codes: list[int] = []
        refresh = threading.Thread(
            target=lambda: codes.append(
                refresh_now([sr_id], resources=catalogued, instance=instance, echo=lines.append)
            )
        )
        refresh.start()

        waiting = ""
        for _ in range(60_000):
            runs = _other_runs(instance, holder.run_id)
            logs = [e.user_message for run in runs for e in instance.all_logs(run.run_id)]
            waiting = next((m for m in logs if m.startswith(f"waiting for pool {ODDS_POOL}")), "")
            if waiting:
                break
            assert refresh.is_alive(), f"the refresh ran beside the pool's holder: {lines}"
            refresh.join(0.01)
        assert holder.run_id in waiting
        [refresh_run] = _other_runs(instance, holder.run_id)
        assert refresh_run.run_op_concurrency is not None
        assert ODDS_POOL in (refresh_run.run_op_concurrency.all_pools or ())  # what the run queue counts
        assert query(warehouse_url, "SELECT count(*) FROM core.odds_captures") == [(0,)]

        instance.report_run_canceled(holder, "the holder's capture ended")
        refresh.join(300)
        assert codes == [0], lines
    assert query(warehouse_url, "SELECT DISTINCT sr_id FROM core.odds_captures") == [(sr_id,)]


def test_of_two_runs_sharing_a_pool_only_the_later_waits(pipeline_resources: dict[str, object]) -> None:
    """Created one after the other and both running (the queue and an in-process run raced): the earlier
    goes on, the later waits for it, so neither waits on the other. A raised limit lets both go."""
    job = dg.Definitions(
        assets=ALL_ASSETS, jobs=[capture_odds_job], resources=pipeline_resources
    ).resolve_job_def(CAPTURE_JOB)
    with dg.instance_for_test() as instance:
        instance.event_log_storage.set_concurrency_slots(ODDS_POOL, 1)
        earlier, later = (instance.create_run_for_job(job_def=job) for _ in range(2))
        for run in (later, earlier):
            _start(instance, run)
        assert not pool_holders(instance, earlier.run_id, ODDS_POOL).full
        assert pool_holders(instance, later.run_id, ODDS_POOL).run_ids == (earlier.run_id,)
        assert pool_holders(instance, later.run_id, ODDS_POOL).full
        assert not pool_holders(
            instance, later.run_id, "book_betpawa"
        ).run_ids  # the refresh uses no book pool
        instance.event_log_storage.set_concurrency_slots(ODDS_POOL, 2)
        assert not pool_holders(instance, later.run_id, ODDS_POOL).full


def test_a_killed_run_holding_the_pool_is_swept_instead_of_waited_for(
    pipeline_resources: dict[str, object],
) -> None:
    """A capture killed with SIGKILL stays STARTED: without a daemon (``palimpsest refresh`` alone) nothing
    else would fail it, and the next capture would wait for it for ever."""
    job = dg.Definitions(
        assets=ALL_ASSETS, jobs=[capture_odds_job], resources=pipeline_resources
    ).resolve_job_def(CAPTURE_JOB)
    gone = subprocess.Popen(["true"])
    gone.wait()
    with dg.instance_for_test() as instance:
        instance.event_log_storage.set_concurrency_slots(ODDS_POOL, 1)
        killed, next_run = (instance.create_run_for_job(job_def=job) for _ in range(2))
        for run in (killed, next_run):
            _start(instance, run)
        instance.add_run_tags(
            killed.run_id,
            {
                TAG_HOST: socket.gethostname(),
                TAG_PID: str(gone.pid),
                TAG_PID_STARTED: "0",
                TAG_HEARTBEAT: datetime.now(UTC).isoformat(),
            },
        )
        assert pool_holders(instance, next_run.run_id, ODDS_POOL).full
        told: list[object] = []
        wait_for_pool_turn(instance, next_run.run_id, ODDS_POOL, on_wait=told.append)
        assert told == []  # it never waited
        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE  # type: ignore[union-attr]
