"""A multi-process run crossing step boundaries while the dead-run sweep ticks: the run must end SUCCESS and
never be failed (shared by test_dead_runs.py and the chaos benchmark's ``live_multiprocess_run`` cell)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg

from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs
from palimpsest_pipeline_tests.deployment import multistep_job


@dataclass
class SweptRun:
    status: dg.DagsterRunStatus
    sweeps: int
    swept: list[tuple[str, str]] = field(default_factory=list)

    @property
    def healthy_runs_failed(self) -> int:
        return int(bool(self.swept) or self.status != dg.DagsterRunStatus.SUCCESS)


def run_under_sweep(
    instance: dg.DagsterInstance, database_url: str, job: Callable[[], dg.JobDefinition], tick_s: float
) -> SweptRun:
    """Execute ``job`` (a multistep_job factory) on ``instance`` with the sweep evaluated every ``tick_s``
    seconds from another thread until the run ends; what the sweep failed and how the run ended."""
    os.environ[multistep_job.DATABASE_ENV] = database_url
    stop = threading.Event()
    result = SweptRun(dg.DagsterRunStatus.NOT_STARTED, 0)

    def sweep() -> None:
        while not stop.wait(tick_s):
            result.swept += sweep_dead_runs(instance)
            result.sweeps += 1

    sweeper = threading.Thread(target=sweep, daemon=True)
    sweeper.start()
    try:
        with dg.execute_job(dg.reconstructable(job), instance, raise_on_error=False) as executed:
            run = instance.get_run_by_id(executed.run_id)
            assert run is not None
            result.status = run.status
    finally:
        stop.set()
        sweeper.join()
    return result
