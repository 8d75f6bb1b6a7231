"""When each run's op held its pool's slot, read back from Dagster's own events. The executor claims the slot
of the pool an op declares before the op's STEP_START and gives it back after its STEP_SUCCESS (or
STEP_FAILURE), so the step's span lies inside the slot's; an op that found its pool full says so first, in
Dagster's engine event "Step blocked by limit for pool ..." (a run may start and wait for the slot)."""

from __future__ import annotations

import itertools
import math

import dagster as dg

_SPAN_EVENTS = {
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
}


def step_spans(instance: dg.DagsterInstance, step_key: str) -> list[tuple[float, float]]:
    """Every (started, ended) span of step ``step_key`` over the instance's runs, in order; a step still
    running ends at infinity."""
    spans: list[tuple[float, float]] = []
    for run in instance.get_runs():
        started: list[float] = []
        ended: list[float] = []
        for record in instance.all_logs(run.run_id, of_type=_SPAN_EVENTS):
            event = record.dagster_event
            if event is None or event.step_key != step_key:
                continue
            (started if event.event_type is dg.DagsterEventType.STEP_START else ended).append(
                record.timestamp
            )
        spans += itertools.zip_longest(started, ended, fillvalue=math.inf)
    return sorted(spans)


def held_at_once(spans: list[tuple[float, float]]) -> bool:
    """Whether two of the spans overlap."""
    return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))


def blocked_steps(instance: dg.DagsterInstance, run_id: str, pool: str) -> list[str]:
    """The steps of run ``run_id`` that Dagster's executor held back because ``pool`` had no free slot."""
    return [
        record.step_key
        for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
        if record.step_key is not None
        and record.user_message.startswith("Step blocked by limit for pool ")
        and record.user_message.removeprefix("Step blocked by limit for pool ") == pool
    ]
