"""Countries' runs through one run queue, by ``benchmarks/cluster_day.py``: which run waits and how long,
which goes first, what a capture worker's chunk in hand costs an imminent request, and a day's runs counted
by hand before and after the capture queue."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime, timedelta

from palimpsest_pipeline_tests.benchmarks.cluster_day import (
    ClusterModel,
    CountryAsks,
    DueWindow,
    nearest_rank,
    simulate_cluster_day,
)

START = datetime(2026, 5, 4, tzinfo=UTC)
MODEL = ClusterModel(
    max_concurrent_runs=None,
    dequeue_interval_s=2,
    run_start_s=0.0,
    take_s=1.0,
    capture_s_per_event=1.0,
    chunk_events=25,
    worker_s=1200.0,
    live_run_s=1180.0,
    live_run_s_before=280.0,
    catalogue_run_s=10.0,
    worker_priority=3,
)


def at(seconds: int) -> datetime:
    return START + timedelta(seconds=seconds)


def imminent(window_s: int, events: int = 1) -> DueWindow:
    return DueWindow("imminent", 3, at(window_s), events)


def test_with_one_run_slot_the_second_countrys_run_waits_for_the_first_to_end() -> None:
    model = dataclasses.replace(MODEL, max_concurrent_runs=1, run_start_s=1.0)
    countries = [CountryAsks(cc, [], [], [at(0)]) for cc in ("a", "b")]
    day = simulate_cluster_day(countries, model, START, "before", span=timedelta(minutes=1))
    first, second = day.runs
    # a: launched at once, in flight 0 .. 0 + 1 (start) + 10; b: at the first dequeue pass after, 12 s
    assert (first.country, first.launched, second.country, second.launched) == ("a", 0, "b", 12)
    assert day.queue_waits("palimpsest_comparison") == [0, 12]
    assert day.peak_in_flight(model) == 1


def test_the_queue_launches_the_imminent_capture_before_an_older_catalogue_run() -> None:
    model = dataclasses.replace(MODEL, max_concurrent_runs=1, run_start_s=1.0)
    countries = [
        CountryAsks("a", [], [], [at(0), at(1)]),
        CountryAsks("b", [(at(1), [imminent(0)])], [], []),
    ]
    day = simulate_cluster_day(countries, model, START, "before", span=timedelta(minutes=1))
    launched = {(run.country, run.kind): run.launched for run in day.runs if run.asked == 1}
    # the slot frees at 11 (0 + 1 + 10): the pass at 12 takes the capture (priority 3), the catalogue run of
    # a waits for it (12 + 1 + 1 s of capture = 14)
    assert launched == {("b", "capture_odds"): 12, ("a", "palimpsest_comparison"): 14}
    assert day.imminent_delays == [("b", at(0), 13.0)]  # launched 12, its code working 1 s later


def test_an_imminent_request_waits_for_the_chunk_the_worker_has_in_hand() -> None:
    later = DueWindow("later", 1, at(0), 40)
    ticks = [(at(0), [imminent(0, events=3), later]), (at(15), [imminent(15, events=3)])]
    model = dataclasses.replace(MODEL, run_start_s=5.0, chunk_events=25)
    day = simulate_cluster_day(
        [CountryAsks("a", ticks, [], [])], model, START, "after", span=timedelta(minutes=2)
    )
    # the worker starts at 5 and takes the imminent request first (5 s after its window: 3 s of capture),
    # then a chunk of 25 of the later request (8 .. 33); the imminent window of 15 waits for that chunk
    assert day.imminent_delays == [("a", at(0), 5.0), ("a", at(15), 18.0)]
    assert day.runs_per_country() == {"a": Counter({"capture_worker": 1})}
    assert not day.not_begun


def test_a_dead_simple_hour_counted_by_hand_before_and_after() -> None:
    # an imminent window of one event at every minute, the sensor every 15 s; the live cron every 5 minutes
    # and the catalogue's every 15
    ticks = [(at(s), [imminent(s)] if s % 60 == 0 else []) for s in range(0, 3600, 15)]
    asks = CountryAsks("a", ticks, [at(s) for s in range(0, 3600, 300)], [at(s) for s in range(0, 3600, 900)])
    before = simulate_cluster_day([asks], MODEL, START, "before", span=timedelta(hours=1))
    assert before.runs_per_country()["a"] == {
        "capture_odds": 60,
        "watch_live": 12,
        "palimpsest_comparison": 4,
    }
    assert {delay for _, _, delay in before.imminent_delays} == {0.0}  # launched at its tick, no start
    after = simulate_cluster_day([asks], MODEL, START, "after", span=timedelta(hours=1))
    # workers: at 0 (to 1200); its end finds the window of 1200 waiting, the tick of 1215 asks for the next,
    # launched at the pass of 1216 (to 2416); at 2430 nothing waits, the window of 2460 asks for the third.
    # Watches at 0, 1200 and 2400 (each ends 20 s before the tick after its minutes).
    workers = sorted(run.launched or 0 for run in after.runs if run.kind == "capture_worker")
    assert workers == [0, 1216, 2460]
    assert after.runs_per_country()["a"] == {"capture_worker": 3, "watch_live": 3, "palimpsest_comparison": 4}
    delays = [delay for _, _, delay in after.imminent_delays]
    assert len(delays) == 60 and max(delays) == 16.0  # the window of 1200, taken when the second starts
    assert sorted(delays)[:59] == [1.0] * 59  # the rest a second after their tick: the worker's take
    assert nearest_rank(delays, 0.95) == 1.0


def test_a_newer_window_supersedes_a_request_no_worker_took() -> None:
    model = dataclasses.replace(MODEL, max_concurrent_runs=0)  # no run ever launches
    ticks = [(at(0), [imminent(0)]), (at(60), [imminent(60)])]
    day = simulate_cluster_day(
        [CountryAsks("a", ticks, [], [])], model, START, "after", span=timedelta(minutes=2)
    )
    assert day.not_begun == {"imminent": 2}  # the first replaced, the second never begun
    assert len(day.runs) == 1  # the worker asked for at 0 stays queued: none is asked for again
