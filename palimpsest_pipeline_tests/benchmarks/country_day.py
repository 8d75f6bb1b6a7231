"""A simulated day of one site country's Dagster runs, decided as its automation decides them, without
Dagster (``scrape/cadence.py``, ``scrape/run_plan.py``): the kick-off sensor's ticks fill the capture queue
and start a capture worker when work waits and none runs; the live schedule's ticks start a watch when none
runs; each catalogue tick starts a run. Beside them, the capture runs the sensor asked for before the queue
(one per due tier). A run starts the moment it is asked for and a worker takes what is queued at once, so
the counts leave out the restarts of dead runs and a worker's minutes of overrun (fewer runs, not more)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY, CadenceDecision, CadencePolicy, decide
from palimpsest_pipeline.scrape.run_plan import live_run_seconds, live_watch_wanted, worker_wanted

#: The run kinds counted, as their jobs are named (``<kind>_<cc>``; the live watch's is ``watch_live``).
KINDS = ("capture_worker", "watch_live", "palimpsest_comparison")


@dataclass
class DayRuns:
    """One simulated day's runs: each kind's start instants, and the run-per-tier captures of before."""

    start: datetime
    started: dict[str, list[datetime]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    #: Before the queue: a ``capture_odds_<cc>`` run per due tier, by tier.
    capture_runs_before: Counter[str] = field(default_factory=Counter)
    #: Before the queue, the live watch's five-minute runs (one per tick of its cron).
    watch_runs_before: int = 0

    def per_day(self) -> dict[str, int]:
        return {kind: len(starts) for kind, starts in self.started.items()}

    @property
    def total(self) -> int:
        return sum(self.per_day().values())

    @property
    def total_before(self) -> int:
        return (
            sum(self.capture_runs_before.values())
            + self.watch_runs_before
            + len(self.started["palimpsest_comparison"])
        )

    def per_hour(self, kind: str) -> list[int]:
        hours = [0] * 24
        for at in self.started[kind]:
            hours[int((at - self.start).total_seconds() // 3600) % 24] += 1
        return hours


def simulate_country_day(
    upcoming: Callable[[datetime], Iterable[tuple[int, datetime]]],
    start: datetime,
    *,
    policy: CadencePolicy = DEFAULT_POLICY,
    sensor_interval: timedelta = timedelta(seconds=15),
    worker_minutes: float = 20.0,
    live_run_minutes: float = 20.0,
    live_every: timedelta = timedelta(minutes=5),
    live_offset: timedelta = timedelta(0),
    catalogue_every: timedelta = timedelta(minutes=15),
    catalogue_offset: timedelta = timedelta(0),
    span: timedelta = timedelta(days=1),
    on_decision: Callable[[datetime, CadenceDecision], None] = lambda at, decision: None,
) -> DayRuns:
    """The runs one country's automation starts from ``start`` for ``span``, ``upcoming(now)`` giving its
    listed events (SR id, kick-off) at each sensor tick. Schedules tick at their offset plus multiples of
    their period, which must be multiples of ``sensor_interval`` (the simulation's step)."""
    step = sensor_interval.total_seconds()
    for name, value in (("live_every", live_every), ("live_offset", live_offset)):
        if value.total_seconds() % step:
            raise ValueError(f"{name} {value} is not a multiple of the sensor interval {sensor_interval}")
    for name, value in (("catalogue_every", catalogue_every), ("catalogue_offset", catalogue_offset)):
        if value.total_seconds() % step:
            raise ValueError(f"{name} {value} is not a multiple of the sensor interval {sensor_interval}")
    runs = DayRuns(start)
    cursor: str | None = None
    undone: dict[str, datetime] = {}  # tier -> the window waiting (a newer one supersedes it)
    worker_until: datetime | None = None
    watch_until: datetime | None = None
    now = start
    while now < start + span:
        elapsed = now - start
        decision = decide(upcoming(now), now=now, policy=policy, cursor=cursor)
        cursor = decision.cursor
        on_decision(now, decision)
        for due in decision.due:
            undone[due.tier] = due.window_start
            runs.capture_runs_before[due.tier] += 1
        active = worker_until is not None and now < worker_until
        if worker_wanted(undone_requests=len(undone), worker_active=active):
            runs.started["capture_worker"].append(now)
            worker_until, active = now + timedelta(minutes=worker_minutes), True
        if active:
            undone.clear()  # the worker takes them
        if elapsed >= live_offset and (elapsed - live_offset) % live_every == timedelta(0):
            runs.watch_runs_before += 1
            watching = watch_until is not None and now < watch_until
            if live_watch_wanted(watch_active=watching):
                runs.started["watch_live"].append(now)
                watch_until = now + timedelta(seconds=live_run_seconds(live_run_minutes))
        if elapsed >= catalogue_offset and (elapsed - catalogue_offset) % catalogue_every == timedelta(0):
            runs.started["palimpsest_comparison"].append(now)
        now += sensor_interval
    return runs
