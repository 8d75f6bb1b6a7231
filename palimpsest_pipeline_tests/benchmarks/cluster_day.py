"""A simulated day of many site countries' runs through one Dagster run queue, time compressed, no Dagster.

Each country brings what its automation asks for through the day (``CountryAsks``: the kick-off sensor's due
windows at each of its ticks, its schedules' ticks). ``simulate_cluster_day`` plays them second by second
against a queue that launches the highest ``dagster/priority`` first, every dequeue interval, while fewer than
``max_concurrent_runs`` are in flight, in one of two shapes: ``before`` (a one-shot capture run per due tier,
a live watch run at every tick of its five-minute cron) and ``after`` (the capture queue served by one capture
worker run per country, asked for by ``run_plan.worker_wanted`` only when requests wait and none is queued or
running; ``run_plan.live_watch_wanted`` at each live tick). The imminent tier's start delay is measured from
its window's start to the moment its capture begins, so it holds the sensor's phase, the run's queue wait
and start, the worker's take of a request and the chunk a worker has in hand."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from palimpsest_pipeline.scrape.run_plan import live_watch_wanted, worker_wanted

Shape = Literal["before", "after"]
IMMINENT = "imminent"
#: The run kinds, as their jobs are named without the country (``capture_odds_<cc>`` and so on).
CAPTURE_RUN, WORKER_RUN, WATCH_RUN, CATALOGUE_RUN = (
    "capture_odds",
    "capture_worker",
    "watch_live",
    "palimpsest_comparison",
)


@dataclass(frozen=True)
class DueWindow:
    """One tier's window the sensor found due at a tick: a capture queue request (after) or a run (before)."""

    tier: str
    priority: int
    window_start: datetime
    events: int


@dataclass(frozen=True)
class CountryAsks:
    """What one country's automation asks for in the day, whatever the run queue does: every sensor tick
    with the windows it found due, and its schedules' ticks."""

    country: str
    sensor_ticks: Sequence[tuple[datetime, Sequence[DueWindow]]]
    live_ticks: Sequence[datetime]
    catalogue_ticks: Sequence[datetime]


@dataclass(frozen=True)
class ClusterModel:
    """The run queue and the runs' durations (seconds). ``run_start_s`` runs from a run's launch (a dequeue
    pass) to its code working; a capture worker takes a request ``take_s`` after it is queued, a chunk of
    ``chunk_events`` at a time, ``capture_s_per_event`` each, the highest priority first between chunks."""

    max_concurrent_runs: int | None
    dequeue_interval_s: int
    run_start_s: float
    take_s: float
    capture_s_per_event: float
    chunk_events: int
    worker_s: float
    live_run_s: float
    live_run_s_before: float
    catalogue_run_s: float
    worker_priority: int
    live_priority: int = 0
    catalogue_priority: int = 0


@dataclass
class Run:
    """One run asked of the queue; ``launched`` is the dequeue pass that launched it (None: still queued)."""

    country: str
    kind: str
    priority: int
    asked: int
    duration_s: float
    order: int
    launched: int | None = None

    def started(self, model: ClusterModel) -> float | None:
        """When its code works: launch plus the run's start."""
        return None if self.launched is None else self.launched + model.run_start_s

    def ends(self, model: ClusterModel) -> float | None:
        return None if self.launched is None else self.launched + model.run_start_s + self.duration_s

    def in_flight(self, at: int, model: ClusterModel) -> bool:
        end = self.ends(model)
        return self.launched is not None and self.launched <= at and end is not None and at < end

    def active(self, at: int, model: ClusterModel) -> bool:
        """Queued or in flight: what ``country_run_active`` finds."""
        return self.launched is None or self.in_flight(at, model)


@dataclass
class _Request:
    window: DueWindow
    queued: int  # the sensor tick that put it in the queue
    left: int  # events not captured yet
    taken: bool = False


@dataclass
class _Worker:
    run: Run
    busy_until: float = 0.0
    current: _Request | None = None


@dataclass
class ClusterDay:
    """A simulated day's runs and the imminent tier's start delays (seconds after the window's start)."""

    start: datetime
    shape: Shape
    runs: list[Run] = field(default_factory=list)
    imminent_delays: list[tuple[str, datetime, float]] = field(default_factory=list)
    #: Requests (after) or runs (before) of a tier whose capture never began that day or that a newer window
    #: replaced untaken.
    not_begun: Counter[str] = field(default_factory=Counter)

    def runs_per_country(self) -> dict[str, Counter[str]]:
        """Runs launched per country and kind."""
        out: dict[str, Counter[str]] = {}
        for run in self.runs:
            if run.launched is not None:
                out.setdefault(run.country, Counter())[run.kind] += 1
        return out

    def launched_per(self, seconds: int) -> Counter[int]:
        """Runs launched in each ``seconds``-long bucket of the day (bucket number)."""
        return Counter(run.launched // seconds for run in self.runs if run.launched is not None)

    def peak_launched_per(self, seconds: int) -> int:
        return max(self.launched_per(seconds).values(), default=0)

    def peak_in_flight(self, model: ClusterModel) -> int:
        """The most runs in flight at once: the ``max_concurrent_runs`` the day needs for no run to wait."""
        edges: list[tuple[float, int]] = []
        for run in self.runs:
            if run.launched is not None:
                edges += [(run.launched, 1), (run.ends(model) or 0.0, -1)]
        peak = level = 0
        for _, step in sorted(edges, key=lambda edge: (edge[0], edge[1])):
            level += step
            peak = max(peak, level)
        return peak

    def queue_waits(self, kind: str) -> list[int]:
        return [
            run.launched - run.asked for run in self.runs if run.kind == kind and run.launched is not None
        ]


def nearest_rank(values: Iterable[float], share: float) -> float | None:
    """The nearest-rank ``share`` quantile of ``values`` (None when empty)."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _seconds(at: datetime, start: datetime) -> int:
    return int((at - start).total_seconds())


def simulate_cluster_day(
    countries: Sequence[CountryAsks],
    model: ClusterModel,
    start: datetime,
    shape: Shape,
    *,
    span: timedelta = timedelta(days=1),
) -> ClusterDay:
    """``countries``' day from ``start`` for ``span`` through one run queue, in ``shape``, second by second
    (a worker's chunk ends on the next whole second)."""
    day = ClusterDay(start, shape)
    #: Per second of the day, what ticks: (country, "sensor" | "live" | "catalogue", the sensor's windows).
    asks: dict[int, list[tuple[str, str, Sequence[DueWindow]]]] = {}
    for asked in countries:
        for at, windows in asked.sensor_ticks:
            asks.setdefault(_seconds(at, start), []).append((asked.country, "sensor", windows))
        for at in asked.live_ticks:
            asks.setdefault(_seconds(at, start), []).append((asked.country, "live", ()))
        for at in asked.catalogue_ticks:
            asks.setdefault(_seconds(at, start), []).append((asked.country, "catalogue", ()))
    queue: list[Run] = []
    in_flight: list[Run] = []
    requests: dict[str, dict[str, _Request]] = {c.country: {} for c in countries}
    workers: dict[str, _Worker] = {}
    watches: dict[str, Run] = {}
    begun_before: list[tuple[Run, DueWindow]] = []

    def ask(country: str, kind: str, priority: int, at: int, duration: float) -> Run:
        run = Run(country, kind, priority, at, duration, len(day.runs))
        day.runs.append(run)
        queue.append(run)
        return run

    end = int(span.total_seconds())
    for now in range(end):
        for country, what, windows in asks.get(now, ()):
            if what == "sensor":
                if shape == "before":
                    for due in windows:
                        run = ask(
                            country, CAPTURE_RUN, due.priority, now, due.events * model.capture_s_per_event
                        )
                        begun_before.append((run, due))
                    continue
                waiting = requests[country]
                for due in windows:
                    for key, replaced in list(waiting.items()):  # a newer window supersedes one not taken
                        if replaced.window.tier == due.tier and not replaced.taken:
                            day.not_begun[due.tier] += 1
                            del waiting[key]
                    waiting[f"{due.tier}@{now}"] = _Request(due, now, due.events)
                # a worker counts until its run ends and its chunk in hand is done
                if worker_wanted(undone_requests=len(waiting), worker_active=country in workers):
                    workers[country] = _Worker(
                        ask(country, WORKER_RUN, model.worker_priority, now, model.worker_s)
                    )
            elif what == "live":
                if shape == "before":
                    ask(country, WATCH_RUN, model.live_priority, now, model.live_run_s_before)
                    continue
                watch = watches.get(country)
                if live_watch_wanted(watch_active=watch is not None and watch.active(now, model)):
                    watches[country] = ask(country, WATCH_RUN, model.live_priority, now, model.live_run_s)
            else:
                ask(country, CATALOGUE_RUN, model.catalogue_priority, now, model.catalogue_run_s)
        if now % model.dequeue_interval_s == 0 and queue:
            in_flight = [run for run in in_flight if run.in_flight(now, model)]
            free = (
                len(queue)
                if model.max_concurrent_runs is None
                else model.max_concurrent_runs - len(in_flight)
            )
            if free > 0:
                queue.sort(key=lambda run: (-run.priority, run.order))
                for run in queue[:free]:
                    run.launched = now
                    in_flight.append(run)
                del queue[:free]
        if shape == "after":
            for country, worker in list(workers.items()):
                _serve(country, worker, requests[country], now, model, day)
                if (
                    worker.run.launched is not None
                    and now >= (worker.run.ends(model) or 0)
                    and (worker.current is None or now >= worker.busy_until)
                ):
                    _finish_chunk(worker, requests[country])
                    if worker.current is not None:  # a request partly captured goes back to the queue
                        worker.current.taken = False
                    del workers[country]
    for run, due in begun_before:
        began = run.started(model)
        if began is None or began >= end:
            day.not_begun[due.tier] += 1
        elif due.tier == IMMINENT:
            day.imminent_delays.append(
                (run.country, due.window_start, began - (due.window_start - start).total_seconds())
            )
    for waiting in requests.values():
        for request in waiting.values():
            if not request.taken:
                day.not_begun[request.window.tier] += 1
    return day


def _serve(
    country: str,
    worker: _Worker,
    waiting: dict[str, _Request],
    now: int,
    model: ClusterModel,
    day: ClusterDay,
) -> None:
    """One second of ``country``'s worker: between chunks it takes the highest priority request it can see
    (queued ``take_s`` ago or more, or the one it has in hand), the oldest first, and captures a chunk."""
    began = worker.run.started(model)
    ends = worker.run.ends(model)
    if began is None or ends is None or now < began or now < worker.busy_until or now >= ends:
        return
    _finish_chunk(worker, waiting)
    visible = [r for r in waiting.values() if r is worker.current or now >= r.queued + model.take_s]
    if not visible:
        return
    chosen = min(visible, key=lambda r: (-r.window.priority, r.queued))
    if not chosen.taken:
        chosen.taken = True
        if chosen.window.tier == IMMINENT and chosen.left == chosen.window.events:
            since = now - (chosen.window.window_start - day.start).total_seconds()
            day.imminent_delays.append((country, chosen.window.window_start, since))
    worker.current = chosen
    chunk = min(model.chunk_events, chosen.left)
    chosen.left -= chunk
    worker.busy_until = now + chunk * model.capture_s_per_event


def _finish_chunk(worker: _Worker, waiting: dict[str, _Request]) -> None:
    """The request in hand leaves the queue once its last chunk is captured."""
    if worker.current is not None and worker.current.left == 0:
        for key, request in list(waiting.items()):
            if request is worker.current:
                del waiting[key]
        worker.current = None
