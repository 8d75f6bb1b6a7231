"""A run's turn in its pool, for runs the run queue did not launch.

The run queue launches a run only when every pool it uses has a free slot, and counts every active run of
the instance as holding its pools, the CLI's in-process runs (``palimpsest refresh``, ``demo``, ``backfill``)
included: a daemon's run waits for them. The reverse needs this: an in-process run starts at once, so each
pooled op first waits while runs created before its own hold every slot of its pool. Ordering by creation
breaks ties the same way on both sides (the later run waits), so two runs never wait on each other.
A run the queue launched finds nothing to wait for. A full pool is swept for dead runs before the op waits
(a killed run stays STARTED, and nothing else may sweep: no daemon beside ``palimpsest refresh``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg

from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs

#: The statuses in which the run queue counts a run as holding its pools.
HOLDING = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
#: How often a waiting op looks again; the queue itself dequeues every 2 s.
POLL_S = 1.0


@dataclass(frozen=True)
class PoolHolders:
    """The pool's limit and the earlier active runs holding it (when they fill it, the op waits)."""

    pool: str
    limit: int | None
    run_ids: tuple[str, ...]

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.run_ids) >= self.limit


def pool_holders(instance: dg.DagsterInstance, run_id: str, pool: str) -> PoolHolders:
    """The active runs created before ``run_id`` that use ``pool``, and the pool's limit (None: none set)."""
    limits = {limit.name: limit.limit for limit in instance.event_log_storage.get_pool_limits()}
    limit = limits.get(pool, instance.global_op_concurrency_default_limit)
    own = instance.get_run_record_by_id(run_id)
    if own is None:
        raise dg.DagsterInvariantViolationError(f"run {run_id} is not in the instance's run storage")
    earlier = [
        record.dagster_run.run_id
        for record in instance.get_run_records(filters=dg.RunsFilter(statuses=HOLDING))
        if record.dagster_run.run_id != run_id
        and (record.create_timestamp, record.dagster_run.run_id) < (own.create_timestamp, run_id)
        and record.dagster_run.run_op_concurrency is not None
        and pool in (record.dagster_run.run_op_concurrency.all_pools or ())
    ]
    return PoolHolders(pool, limit, tuple(sorted(earlier)))


def wait_for_pool_turn(
    instance: dg.DagsterInstance,
    run_id: str,
    pool: str,
    *,
    on_wait: Callable[[PoolHolders], None] = lambda holders: None,
    poll_s: float = POLL_S,
) -> None:
    """Return once the live runs created before ``run_id`` leave a slot of ``pool`` free; ``on_wait`` is
    told once, when the op has to wait, which runs it waits for."""
    told = False
    while (holders := pool_holders(instance, run_id, pool)).full:
        if sweep_dead_runs(instance):
            continue  # a dead holder was failed: it holds nothing now
        if not told:
            on_wait(holders)
            told = True
        time.sleep(poll_s)


def take_pool_turn(context: dg.AssetExecutionContext, pool: str) -> None:
    """``wait_for_pool_turn`` for the running op, saying in its log what it waits for."""
    wait_for_pool_turn(
        context.instance,
        context.run.run_id,
        pool,
        on_wait=lambda holders: context.log.info(
            f"waiting for pool {pool} (limit {holders.limit}): held by earlier run(s) "
            f"{', '.join(holders.run_ids)}"
        ),
    )
