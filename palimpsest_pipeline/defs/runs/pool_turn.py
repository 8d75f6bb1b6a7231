"""A run's turn in a book edition's pool (``book_betpawa_gh``) or a country's capture pool
(``odds_capture_gh``): an op's Dagster pool is fixed at load but its edition follows the run's partitions, so
the op claims the instance concurrency slot itself; the sweep frees dead holders' slots."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import dagster as dg
from dagster_postgres import PostgresEventLogStorage

from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs

#: How often a waiting op asks again; the run queue itself dequeues every 2 s.
POLL_S = 1.0


@dataclass(frozen=True)
class PoolHolders:
    """The pool's limit and the runs holding its slots (when they fill it, the op waits)."""

    limit: int | None
    run_ids: tuple[str, ...]


def pool_holders(instance: dg.DagsterInstance, pool: str) -> PoolHolders:
    """Who holds ``pool``'s slots now, and its limit (None: no limit set, nothing to wait for)."""
    storage = instance.event_log_storage
    limits = {limit.name: limit.limit for limit in storage.get_pool_limits()}
    info = storage.get_concurrency_info(pool)
    return PoolHolders(limits.get(pool), tuple(sorted({slot.run_id for slot in info.claimed_slots})))


def _limited(instance: dg.DagsterInstance, pool: str) -> bool:
    """Whether ``pool`` has a limit, giving it the instance's default limit the first time it is used."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return False
    if pool not in {limit.name for limit in storage.get_pool_limits()}:
        storage.initialize_concurrency_limit_to_default(pool)  # none when the instance sets no default
    return pool in {limit.name for limit in storage.get_pool_limits()}


@contextmanager
def hold_pool(
    instance: dg.DagsterInstance,
    run_id: str,
    step_key: str,
    pool: str,
    *,
    on_wait: Callable[[PoolHolders], None] = lambda holders: None,
    poll_s: float = POLL_S,
) -> Iterator[None]:
    """Hold a slot of ``pool`` for ``step_key`` of ``run_id`` while the block runs; ``on_wait`` is told once,
    when the slot is not free at once, which runs hold the pool. A pool without a limit is not waited for."""
    if not _limited(instance, pool):
        yield
        return
    storage = instance.event_log_storage
    slot_key = f"{step_key}[{pool}]"
    told = False
    try:
        while True:
            with _one_claim_at_a_time(storage, pool):
                if storage.claim_concurrency_slot(pool, run_id, slot_key).is_claimed:
                    break
            if sweep_dead_runs(instance):
                continue  # a dead holder was failed and its slots freed
            if not told:
                on_wait(pool_holders(instance, pool))
                told = True
            time.sleep(poll_s)
        yield
    finally:
        with _one_claim_at_a_time(storage, pool):
            storage.free_concurrency_slot_for_step(run_id, slot_key)


@contextmanager
def _one_claim_at_a_time(storage: object, pool: str) -> Iterator[None]:
    """One claim or release of ``pool``'s slots at a time across the instance's processes: Dagster's storage
    selects then updates in autocommit, so two ops could take one free slot (Postgres storage only)."""
    if not isinstance(storage, PostgresEventLogStorage):
        yield
        return
    name = f"palimpsest pool {pool}"
    with storage.index_connection() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (name,))
        try:
            yield
        finally:
            conn.exec_driver_sql("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (name,))


@contextmanager
def pool_turn(context: dg.AssetExecutionContext, pool: str) -> Iterator[None]:
    """``hold_pool`` for the running op, its log saying what it waits for and when it holds and releases."""
    with hold_pool(
        context.instance,
        context.run.run_id,
        context.op_def.name,
        pool,
        on_wait=lambda holders: context.log.info(
            f"waiting for pool {pool} (limit {holders.limit}): held by run(s) {', '.join(holders.run_ids)}"
        ),
    ):
        context.log.info(f"{HOLDING} {pool}")
        try:
            yield
        finally:
            context.log.info(f"{RELEASING} {pool}")


#: How a run's log says it took and gave back a pool's slot (``pool_turn``).
HOLDING = "holding a slot of pool"
RELEASING = "releasing its slot of pool"
