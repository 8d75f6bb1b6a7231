"""When each run held a pool's slot, read back from the runs' own logs: the op says when it takes and gives
back its slot (``pool_turn.HOLDING``, ``RELEASING``), which a run's start and end do not tell (a run may
start and wait in its op for the slot)."""

from __future__ import annotations

import itertools
import math

import dagster as dg

from palimpsest_pipeline.defs.runs.pool_turn import HOLDING, RELEASING


def pool_spans(instance: dg.DagsterInstance, pool: str) -> list[tuple[float, float]]:
    """Every (taken, given back) span of ``pool``'s slots over the instance's runs, in order; a slot still
    held ends at infinity."""
    spans: list[tuple[float, float]] = []
    for run in instance.get_runs():
        entries = instance.all_logs(run.run_id)
        taken = [e.timestamp for e in entries if e.user_message == f"{HOLDING} {pool}"]
        given = [e.timestamp for e in entries if e.user_message == f"{RELEASING} {pool}"]
        spans += itertools.zip_longest(taken, given, fillvalue=math.inf)
    return sorted(spans)


def held_at_once(spans: list[tuple[float, float]]) -> bool:
    """Whether two of the spans overlap."""
    return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))
