"""Ops claiming one pool's slot at the same moment, on the shipped instance's Postgres storage: never two
hold it at once (Dagster's storage alone lets two simultaneous claims both take the one free slot)."""

from __future__ import annotations

import threading

import dagster as dg
import pytest

from palimpsest_pipeline.defs.runs.pool_turn import hold_pool, pool_holders
from palimpsest_pipeline.deploy.pools import odds_pool

pytestmark = pytest.mark.slow

POOL = odds_pool("ng")
OPS = 8
ROUNDS = 3  # each round a race of OPS claims: without the serialising lock, some rounds overlap


def test_simultaneous_claims_of_a_one_slot_pool_hold_it_one_at_a_time(
    deploy_instance: dg.DagsterInstance,
) -> None:
    deploy_instance.event_log_storage.set_concurrency_slots(POOL, 1)
    for round_ in range(ROUNDS):
        _race(deploy_instance, [f"run-{round_}-{n}" for n in range(OPS)])


def _race(instance: dg.DagsterInstance, run_ids: list[str]) -> None:
    """The ops ``run_ids`` claim the pool together, each holding it while it asks the storage who holds it."""
    start = threading.Barrier(len(run_ids))
    lock = threading.Lock()
    inside: list[str] = []
    overlaps: list[list[str]] = []
    seen_holders: list[tuple[str, ...]] = []
    errors: list[BaseException] = []

    def op(run_id: str) -> None:
        try:
            start.wait()
            with hold_pool(instance, run_id, "odds_snapshots", POOL, poll_s=0.01):
                with lock:
                    inside.append(run_id)
                    if len(inside) > 1:
                        overlaps.append(list(inside))
                # the storage's own account while this op holds the slot (a round trip other claims can race)
                seen_holders.append(pool_holders(instance, POOL).run_ids)
                with lock:
                    inside.remove(run_id)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=op, args=(run_id,)) for run_id in run_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert not overlaps, f"ops held the one slot at once: {overlaps}"
    assert len(seen_holders) == len(run_ids)  # every op had its turn
    assert all(len(holders) == 1 for holders in seen_holders), seen_holders
    assert pool_holders(instance, POOL).run_ids == ()  # and every slot was given back
