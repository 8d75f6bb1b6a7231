"""Benchmark: a simulated day of every site country of the competitors file through one Dagster run queue,
before and after the capture queue, time compressed and without pods.

Run by hand or ``make bench`` (not collected by pytest). Each country gets a sandbox world of its own (seed
7 plus its place, ``BENCH_SCALE_SIZE`` events per book) on its editions' books; its kick-off sensor's own
``decide`` runs every sensor interval, the cursor carried, and its schedules tick on their staggered crons.
``cluster_day.py`` plays the day through a run queue at the Helm values' limit, at three runs per country
and without a limit (what the day needs). A sample on a Postgres-backed Dagster instance
(``dagster_storage_sample.py``) gives the bytes per tick and per run; the comparison rows per captured event
are ``bench_comparison.py``'s logged figures. The last line is one JSON object; every assumed input is
named under ``inputs`` and in docs/scale.md.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from dagster._utils.schedules import schedule_execution_time_iterator

from palimpsest_pipeline.defs.automation import country_cron
from palimpsest_pipeline.defs.odds.worker import CaptureWorkerConfig
from palimpsest_pipeline.deploy.run_queue import runs_needed
from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY, decide
from palimpsest_pipeline.scrape.run_plan import live_run_seconds, tier_priority
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline_tests.benchmarks.cluster_day import (
    IMMINENT,
    ClusterDay,
    ClusterModel,
    CountryAsks,
    DueWindow,
    nearest_rank,
    simulate_cluster_day,
)
from palimpsest_pipeline_tests.benchmarks.dagster_storage_sample import sample
from palimpsest_sandbox.world import World

SIZE = int(os.environ.get("BENCH_SCALE_SIZE", "1000"))
DAY = datetime(2026, 11, 20, tzinfo=UTC)
SETTINGS = load_settings({})
COUNTRIES = tuple(sorted(SETTINGS.competitors().by_country))
ROOT = Path(__file__).resolve().parents[2]
#: The cluster's run queue limit (helm/values.yaml) and dequeue interval (deploy/dagster.yaml).
MAX_CONCURRENT_RUNS = int(
    yaml.safe_load((ROOT / "helm/values.yaml").read_text())["concurrency"]["runs"]["maxConcurrentRuns"]
)
DEQUEUE_S = int(
    yaml.safe_load((ROOT / "palimpsest_pipeline/deploy/dagster.yaml").read_text())["run_queue"][
        "dequeue_interval_seconds"
    ]
)

# Measured inputs, each with its source (docs/benchmarks/2026-11-29.md unless named).
#: From starting the code server and daemon to the first imminent capture of the sensor's worker run
#: (test_code_server_daemon.py, 06:35): an upper bound of a run's launch to its code working, no pod.
RUN_START_S = 11.9
#: A running worker takes a request about a second after the sensor queues it (bench_capture_worker.py).
TAKE_S = 1.0
#: An imminent request of 140 events took 12-17 s to capture, store and compare: the slowest per event.
CAPTURE_S_PER_EVENT = 17.0 / 140
#: Comparison rows written per captured event (bench_comparison.py at 300 events, five books): all of the
#: event's rows before 0048, the changed ones since when a capture re-prices 6 % of its markets.
ROWS_PER_EVENT_BEFORE = 9_484
ROWS_PER_EVENT_AT_6_PERCENT = 300.9
#: The share of an event's markets the sandbox re-prices between two captures of each tier, from its
#: documented rates per minute (docs/architecture.md: 6 % in the last 30 minutes, 1.6 % up to 2 h, 0.4 %
#: beyond) over the tier's interval (1, 5, 30 minutes).
REPRICED_SHARE = {"imminent": 0.06, "soon": 1 - (1 - 0.016) ** 5, "later": 1 - (1 - 0.004) ** 30}
# Assumed inputs (not measured here), named in the output.
#: A catalogue run's duration: not measured; it must end inside its fifteen-minute cron.
CATALOGUE_RUN_S = float(os.environ.get("BENCH_SCALE_CATALOGUE_S", "300"))
#: Before the capture queue the live watch was a five-minute run at every tick of its cron.
LIVE_MINUTES_BEFORE = 5.0


def country_asks(country: str, place: int) -> tuple[CountryAsks, Counter[str]]:
    """``country``'s sensor ticks (its own world, its editions' books) and schedule ticks through DAY; and
    its events captured per tier (an event once per due window)."""
    world = World(seed=7 + place, size=SIZE, days=15)
    books = SETTINGS.competitors().scraped_books(country)
    interval = SETTINGS.odds_sensor_interval_s
    cursor: str | None = None
    ticks: list[tuple[datetime, list[DueWindow]]] = []
    captured: Counter[str] = Counter()
    now = DAY + timedelta(seconds=place % interval)
    while now < DAY + timedelta(days=1):
        listing: dict[int, datetime] = {}
        for book in books:
            for event in world.listed_events(book, now):
                if event.kickoff - now <= DEFAULT_POLICY.horizon:
                    listing[event.sr_id] = min(event.kickoff, listing.get(event.sr_id, event.kickoff))
        decision = decide(listing.items(), now=now, policy=DEFAULT_POLICY, cursor=cursor)
        cursor = decision.cursor
        windows = [
            DueWindow(d.tier, tier_priority(DEFAULT_POLICY, d.tier), d.window_start, len(d.sr_ids))
            for d in decision.due
        ]
        for window in windows:
            captured[window.tier] += window.events
        ticks.append((now, windows))
        now += timedelta(seconds=interval)
    return (
        CountryAsks(
            country,
            ticks,
            cron_ticks(country_cron(SETTINGS.live_cron, country)),
            cron_ticks(country_cron(SETTINGS.catalogue_cron, country)),
        ),
        captured,
    )


def cron_ticks(cron: str) -> list[datetime]:
    ticks = []
    for tick in schedule_execution_time_iterator(DAY.timestamp(), cron, "UTC"):
        if tick >= DAY + timedelta(days=1):
            break
        ticks.append(tick.astimezone(UTC))
    return ticks


def delays(day: ClusterDay, hour: int | None) -> dict[str, Any]:
    values = [delay for _, window, delay in day.imminent_delays if hour is None or window.hour == hour]
    figures: dict[str, Any] = {"count": len(values)}
    for name, share in (("p50_s", 0.5), ("p95_s", 0.95), ("max_s", 1.0)):
        value = nearest_rank(values, share)
        figures[name] = None if value is None else round(value, 1)
    return figures


def shape_figures(day: ClusterDay, model: ClusterModel, peak_hour: int) -> dict[str, Any]:
    per_country = day.runs_per_country()
    total: Counter[str] = Counter()
    for runs in per_country.values():
        total.update(runs)
    waits = {kind: day.queue_waits(kind) for kind in total}
    return {
        "runs_per_day": dict(total),
        "runs_per_day_total": sum(total.values()),
        "peak_runs_launched_per_minute": day.peak_launched_per(60),
        "peak_runs_launched_per_hour": day.peak_launched_per(3600),
        "peak_runs_in_flight": day.peak_in_flight(model),
        "queue_wait_max_s": {kind: max(values, default=0) for kind, values in waits.items()},
        "imminent_start_delay_evening_peak": delays(day, peak_hour),
        "imminent_start_delay_day": delays(day, None),
        "not_begun": dict(day.not_begun),
        "runs_asked_not_launched": sum(1 for run in day.runs if run.launched is None),
    }


def main() -> dict[str, Any]:
    logging.getLogger("dagster").setLevel(logging.WARNING)
    began = time.monotonic()
    countries: list[CountryAsks] = []
    captured: dict[str, Counter[str]] = {}
    for place, country in enumerate(COUNTRIES):
        asks, events = country_asks(country, place)
        countries.append(asks)
        captured[country] = events
        elapsed = time.monotonic() - began
        print(
            f"{country}: {sum(events.values())} events captured by due window ({elapsed:.0f} s)", flush=True
        )
    limit = MAX_CONCURRENT_RUNS
    base = ClusterModel(
        max_concurrent_runs=limit,
        dequeue_interval_s=DEQUEUE_S,
        run_start_s=RUN_START_S,
        take_s=TAKE_S,
        capture_s_per_event=CAPTURE_S_PER_EVENT,
        chunk_events=CaptureWorkerConfig.model_fields["chunk_events"].default,
        worker_s=SETTINGS.capture_worker_minutes * 60,
        live_run_s=live_run_seconds(SETTINGS.live_run_minutes),
        live_run_s_before=live_run_seconds(LIVE_MINUTES_BEFORE),
        catalogue_run_s=CATALOGUE_RUN_S,
        worker_priority=len(DEFAULT_POLICY.tiers),
    )
    # the run queue sized by deploy/run_queue.py's rule for the countries run, beside the shipped limit
    scaled = runs_needed(len(COUNTRIES))
    models = {
        "helm": base,
        "scaled": dataclasses.replace(base, max_concurrent_runs=scaled),
        "unlimited": dataclasses.replace(base, max_concurrent_runs=None),
    }
    days = {
        (shape, name): simulate_cluster_day(countries, model, DAY, shape)
        for shape in ("before", "after")
        for name, model in models.items()
    }
    imminent_by_hour: Counter[int] = Counter()
    for asks in countries:
        for _, windows in asks.sensor_ticks:
            for window in windows:
                if window.tier == IMMINENT:
                    imminent_by_hour[window.window_start.hour] += window.events
    peak_hour = max(imminent_by_hour, key=lambda hour: imminent_by_hour[hour])
    figures = {
        f"{shape}_{name}": shape_figures(day, models[name], peak_hour) for (shape, name), day in days.items()
    }

    print(
        f"{'country':>7} {'books':>5} {'captured':>8} {'before runs':>11} {'after runs':>10}  after by kind"
    )
    before_runs = days[("before", "unlimited")].runs_per_country()
    after_runs = days[("after", "unlimited")].runs_per_country()
    for asks in countries:
        cc = asks.country
        print(
            f"{cc:>7} {len(SETTINGS.competitors().scraped_books(cc)):>5} {sum(captured[cc].values()):>8} "
            f"{sum(before_runs[cc].values()):>11} {sum(after_runs[cc].values()):>10}  {dict(after_runs[cc])}"
        )
    events_by_tier: Counter[str] = Counter()
    for events in captured.values():
        events_by_tier.update(events)
    rows_after_per_tier = {
        tier: ROWS_PER_EVENT_AT_6_PERCENT * REPRICED_SHARE[tier] / REPRICED_SHARE["imminent"]
        for tier in events_by_tier
    }
    rows_before = ROWS_PER_EVENT_BEFORE * sum(events_by_tier.values())
    rows_after = sum(events_by_tier[tier] * rows_after_per_tier[tier] for tier in events_by_tier)

    print("Dagster storage sample (Postgres) ...", flush=True)
    stored = sample()
    n = len(COUNTRIES)
    sensor_ticks = sum(len(asks.sensor_ticks) for asks in countries)
    schedule_ticks = sum(len(a.live_ticks) + len(a.catalogue_ticks) for a in countries)
    storage = {}
    for shape in ("before", "after"):
        runs = figures[f"{shape}_unlimited"]["runs_per_day_total"]
        storage[shape] = {
            "sensor_and_schedule_ticks": sensor_ticks + schedule_ticks,
            "runs": runs,
            "bytes_per_day": round(
                (sensor_ticks + schedule_ticks) * stored["tick_row_bytes"]
                + runs * stored["worker_run_row_bytes"]
            ),
        }
    after, before = figures["after_unlimited"], figures["before_unlimited"]

    def peak_delay(shape: str, figure: str) -> float | None:
        return figures[shape]["imminent_start_delay_evening_peak"][figure]

    result: dict[str, Any] = {
        "benchmark": "bench_scale_day",
        "countries": n,
        "size": SIZE,
        "max_concurrent_runs_helm": limit,
        "max_concurrent_runs_scaled": scaled,
        "runs_per_day_per_country": round(after["runs_per_day_total"] / n, 1),
        "runs_per_day_per_country_before": round(before["runs_per_day_total"] / n, 1),
        "peak_pods_per_hour": after["peak_runs_launched_per_hour"],
        "peak_pods_per_hour_before": before["peak_runs_launched_per_hour"],
        "peak_runs_per_minute": after["peak_runs_launched_per_minute"],
        "peak_runs_per_minute_before": before["peak_runs_launched_per_minute"],
        "max_concurrent_runs_needed": after["peak_runs_in_flight"],
        "max_concurrent_runs_needed_before": before["peak_runs_in_flight"],
        "evening_peak_hour_utc": peak_hour,
        "imminent_start_delay_max_s": peak_delay("after_scaled", "max_s"),
        "imminent_start_delay_p95_s": peak_delay("after_scaled", "p95_s"),
        "imminent_start_delay_max_s_before": peak_delay("before_scaled", "max_s"),
        "imminent_start_delay_max_s_helm_limit": peak_delay("after_helm", "max_s"),
        "imminent_not_begun_helm_limit": figures["after_helm"]["not_begun"].get(IMMINENT, 0),
        "imminent_start_delay_max_s_before_helm_limit": peak_delay("before_helm", "max_s"),
        "imminent_not_begun_before_helm_limit": figures["before_helm"]["not_begun"].get(IMMINENT, 0),
        "events_captured_per_day": dict(events_by_tier),
        "comparison_rows_per_day": round(rows_after),
        "comparison_rows_per_day_before": rows_before,
        "comparison_rows_per_event_after_by_tier": {t: round(v, 1) for t, v in rows_after_per_tier.items()},
        "dagster_storage_bytes_per_day": storage["after"]["bytes_per_day"],
        "dagster_storage_bytes_per_day_before": storage["before"]["bytes_per_day"],
        "dagster_storage": storage,
        "dagster_storage_sample": stored,
        "shapes": figures,
        "inputs": {
            "run_start_s": RUN_START_S,
            "take_s": TAKE_S,
            "capture_s_per_event": round(CAPTURE_S_PER_EVENT, 4),
            "chunk_events": base.chunk_events,
            "dequeue_interval_s": DEQUEUE_S,
            "worker_s": base.worker_s,
            "live_run_s": base.live_run_s,
            "live_run_s_before": base.live_run_s_before,
            "catalogue_run_s_assumed": CATALOGUE_RUN_S,
            "repriced_share_by_tier": {t: round(v, 4) for t, v in REPRICED_SHARE.items()},
        },
        "wall_s": round(time.monotonic() - began, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    return result


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    print(json.dumps(main()))
