"""Benchmark: how soon after falling due the capture worker starts each capture, in real time.

Run by hand or ``make bench`` (not collected by pytest); ``BENCH_WORKER_MINUTES`` of wall time (default 10)
after a catalogue scrape. The sandbox runs in a process of its own at real depth with its books' default
latency (``BENCH_WORKER_SIZE`` events per book, default 1,000, seed 7). Nigeria's catalogue of today and
tomorrow is scraped and matched at the half hour of today's evening (16:00 to 22:00 UTC, where every tier's
window starts) after which the most matches kick off within the imminent tier's reach and the run; then the
sandbox's clock runs in real time from there, the pipeline's with it. As a running deployment does it, the
real kick-off sensor fills the capture queue from a thread, every ``PALIMPSEST_ODDS_SENSOR_INTERVAL_S``
(15 s) plus up to ``BENCH_WORKER_SENSOR_JITTER_S`` (2 s, seeded; the daemon's loop adds some), so the windows
meet its ticks at every phase (0: ticks on the windows' starts, the worker's own delay alone), while a
``capture_worker_ng`` run in process serves the queue for the same minutes: it captures each request in
chunks on every book, stores, compares each chunk again, and lets a waiting imminent request go before the
rest of a later one. The figures come from ``analytics.capture_requests``: per tier, the requests, how they
ended, and their start delay (from the window's start to the worker taking it) at the median, the 95th
percentile and the maximum; with the worker's own per-tier report and the CPU of the pipeline's process and
of the sandbox's. The worker runs in this process: a deployment's worker pays a run's launch once per
``PALIMPSEST_CAPTURE_WORKER_MINUTES``, not per capture (docs/operations.md). The capture engine stamps prices
with the real clock, hours from the shifted one, so the comparison's ``prices_fresh`` check fails here.

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import dagster as dg
import httpx
import psutil
import psycopg

from palimpsest_pipeline.defs.automation import odds_kickoff_window_sensors
from palimpsest_pipeline.defs.catalogue.assets import catalogue_assets
from palimpsest_pipeline.defs.coverage.assets import matched_events_asset
from palimpsest_pipeline.defs.odds.worker import worker_jobs
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.config import (
    WAREHOUSE_DRIVER,
    create_database,
    embedded_server_home,
    libpq_url,
    with_database,
    with_driver,
)
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.benchmarks.sandbox_process import free_port, start_sandbox
from palimpsest_pipeline_tests.fixtures_pg import drop_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxConfig, base_urls
from palimpsest_sandbox.world import World
from palimpsest_sandbox.world_event import Book as WorldBook

MINUTES = float(os.environ.get("BENCH_WORKER_MINUTES", "10"))
JITTER_S = float(os.environ.get("BENCH_WORKER_SENSOR_JITTER_S", "2"))
SIZE = int(os.environ.get("BENCH_WORKER_SIZE", "1000"))
SETTINGS = load_settings()
SENSOR_INTERVAL_S = SETTINGS.odds_sensor_interval_s
#: The imminent tier's cadence: its captures must start within it (the issue's one-minute freshness).
IMMINENT_EVERY_S = SETTINGS.odds_imminent_every_s


class ShiftedClock(ClockResource):
    """Real time moved by ``offset_s``: the sandbox's clock runs from its anchor, the pipeline's with it."""

    offset_s: float = 0.0

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_s)


def busiest_half_hour(size: int, days: int) -> datetime:
    """The half hour of today's evening after which the most matches BetPawa or SportyBet list kick off
    within the imminent tier's reach plus the run's minutes."""
    world = World(seed=7, size=size, days=days)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    reach = timedelta(minutes=SETTINGS.odds_imminent_minutes + MINUTES)
    counts = {}
    for anchor in (today + timedelta(hours=16, minutes=30 * n) for n in range(13)):
        kickoffs = {
            event.sr_id: event.kickoff
            for book in (WorldBook("betpawa"), WorldBook("sportybet"))
            for event in world.listed_events(book, anchor)
        }
        counts[anchor] = sum(1 for at in kickoffs.values() if anchor < at <= anchor + reach)
    return max(counts, key=lambda anchor: (counts[anchor], -anchor.timestamp()))


def nearest_rank(values: list[float], share: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 1) if ordered else None


def tier_figures(url: str) -> dict[str, dict[str, Any]]:
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT tier, outcome, start_delay_s, events, takes FROM analytics.capture_requests"
        ).fetchall()
    figures: dict[str, dict[str, Any]] = {}
    for tier in sorted({row[0] for row in rows}):
        mine = [row for row in rows if row[0] == tier]
        delays = [row[2] for row in mine if row[2] is not None]
        figures[tier] = {
            "requests": len(mine),
            "by_outcome": {
                str(o): sum(1 for row in mine if row[1] == o) for o in sorted({str(r[1]) for r in mine})
            },
            "events_mean": round(sum(row[3] for row in mine) / len(mine), 1),
            "taken_again": sum(1 for row in mine if row[4] > 1),
            "start_delay_s_p50": nearest_rank(delays, 0.5),
            "start_delay_s_p95": nearest_rank(delays, 0.95),
            "start_delay_s_max": round(max(delays), 1) if delays else None,
        }
    return figures


def main() -> dict[str, Any]:
    port = free_port()
    days = SandboxConfig().days
    anchor = busiest_half_hour(SIZE, days)
    config = SandboxConfig(seed=7, size=SIZE, days=days, port=port, frozen_at=anchor)
    print(f"starting the sandbox (size {SIZE}, real depth, default latency) on port {port}", flush=True)
    sandbox = start_sandbox(config)
    server = ensure_embedded_server(embedded_server_home(SETTINGS.home))
    name = f"palimpsest_bench_worker_{os.getpid()}"
    drop_database(server, name)
    create_database(server, name)
    url = with_driver(with_database(server, name), WAREHOUSE_DRIVER)
    try:
        migrate(url)
        urls = base_urls("127.0.0.1", port)
        resources: dict[str, object] = {
            "warehouse": WarehouseResource(database_url=url),
            "books": BooksResource(base_urls={f"ng/{book.value}": urls[book] for book in NIGERIA_BOOKS}),
            "clock": ClockResource(fixed_utc=anchor.isoformat()),
        }
        first: date = anchor.date()
        started = time.monotonic()
        scraped = dg.materialize(
            [*catalogue_assets, matched_events_asset("ng")],
            resources=resources,
            tags={
                "dagster/asset_partition_range_start": partition_key(first),
                "dagster/asset_partition_range_end": partition_key(first + timedelta(days=1)),
            },
        )
        assert scraped.success
        print(
            f"catalogue of {first} and the next day scraped in {time.monotonic() - started:.0f} s", flush=True
        )
        # from now on both clocks run from the anchor, where every tier's window starts
        httpx.post(
            f"http://127.0.0.1:{port}/_sandbox/clock", json={"at": anchor.isoformat(), "frozen": False}
        ).raise_for_status()
        clock = ShiftedClock(offset_s=(anchor - datetime.now(UTC)).total_seconds())
        resources["clock"] = clock

        (sensor,) = odds_kickoff_window_sensors
        (worker_job,) = worker_jobs
        stop = threading.Event()
        ticks = [0]
        with (
            dg.DagsterInstance.ephemeral() as instance
        ):  # the sensor sees the worker's run as the daemon does

            def tick_sensor() -> None:
                jitter = random.Random(20261129)
                cursor: str | None = None
                while not stop.is_set():
                    context = dg.build_sensor_context(
                        instance=instance,
                        cursor=cursor,
                        resources={"warehouse": resources["warehouse"], "clock": clock},
                    )
                    result = sensor(context)
                    assert isinstance(result, dg.SensorResult)
                    cursor = result.cursor
                    ticks[0] += 1
                    stop.wait(SENSOR_INTERVAL_S + jitter.uniform(0, JITTER_S))

            ticking = threading.Thread(target=tick_sensor, name="sensor", daemon=True)
            ticking.start()
            own_before = resource.getrusage(resource.RUSAGE_SELF)
            sandbox_before = psutil.Process(sandbox.pid).cpu_times()
            began = time.monotonic()
            run = worker_job.execute_in_process(
                run_config={"ops": {"ng__capture_worker": {"config": {"minutes": MINUTES}}}},
                resources=resources,
                instance=instance,
                tags=dict(worker_job.tags),  # as the daemon launches it: the sensor sees it going
            )
            wall = time.monotonic() - began
            stop.set()
            ticking.join()
            own_after = resource.getrusage(resource.RUSAGE_SELF)
            sandbox_after = psutil.Process(sandbox.pid).cpu_times()
        (output,) = [e for e in run.all_events if e.event_type_value == "STEP_OUTPUT"]
        assert output.step_output_data is not None
        report = {key: value.value for key, value in output.step_output_data.metadata.items()}
        tiers = tier_figures(url)
    finally:
        drop_database(server, name)
        sandbox.terminate()
    imminent_max = (tiers.get("imminent") or {}).get("start_delay_s_max")
    figures: dict[str, Any] = {
        "benchmark": "bench_capture_worker",
        "size": SIZE,
        "anchor": anchor.isoformat(),
        "minutes": MINUTES,
        "sensor_jitter_s": JITTER_S,
        "wall_s": round(wall, 1),
        "sensor_ticks": ticks[0],
        "worker_succeeded": run.success,
        "tiers": tiers,
        "worker_report": {
            key: report[key]
            for key in ("requests_by_tier", "start_delay_s_by_tier", "events_captured", "chunks")
        },
        "pipeline_cpu_s": round(
            own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime, 1
        ),
        "sandbox_cpu_s": round(sum(sandbox_after[:2]) - sum(sandbox_before[:2]), 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "imminent_every_s": IMMINENT_EVERY_S,
    }
    figures["ok"] = run.success and imminent_max is not None and imminent_max < IMMINENT_EVERY_S
    return figures


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    result = main()
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)
