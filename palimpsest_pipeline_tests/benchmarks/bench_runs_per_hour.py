"""Benchmark: the runs one site country's automation asks for in a day, hour by hour, before and after the
capture queue.

Run by hand or ``make bench`` (not collected by pytest); about a minute. The sandbox's world
(``BENCH_RUNS_SIZE`` events listed per book over its fortnight, default 1,000, seed 7) lists Nigeria's books'
events; the sensor's own decision (``scrape.cadence.decide``, the default tier policy) is evaluated every
``odds_sensor_interval_s`` seconds (the setting's default) through one UTC day, the cursor carried from tick
to tick as the sensor carries it, and the schedules tick on Nigeria's staggered crons (``country_day.py``).
Before the queue each due tier was one capture run (one pod under Kubernetes' run launcher) and the live
watch a run every five minutes; after it, a capture worker run serves the queue for
``PALIMPSEST_CAPTURE_WORKER_MINUTES`` and a live watch polls for ``PALIMPSEST_LIVE_RUN_MINUTES``. Printed per
hour and for the day: the capture runs by tier before, events captured (an event once per due tier) and
book-event captures (an event on each book listing it: what parsing and storing cost scales with), and the
capture workers after; the runs per day of every kind, before and after.

The last line printed is one JSON object with the figures; docs/scale.md builds on them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY, CadenceDecision
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline_tests.benchmarks.country_day import simulate_country_day
from palimpsest_sandbox.world import World
from palimpsest_sandbox.world_event import Book as WorldBook

SIZE = int(os.environ.get("BENCH_RUNS_SIZE", "1000"))
#: Nigeria's scraped books (nigeria.NIGERIA_BOOKS), as the sandbox names them.
BOOKS = ("betpawa", "sportybet", "bet9ja", "msport", "betway")
#: A day the world is settled on: its events were announced days before.
DAY = datetime(2026, 11, 20, tzinfo=UTC)
SETTINGS = load_settings({})
#: The kick-off-window sensor's interval by default (``PALIMPSEST_ODDS_SENSOR_INTERVAL_S`` unset).
SENSOR_INTERVAL_S = SETTINGS.odds_sensor_interval_s
#: Nigeria's place among the competitors file's countries, sorted: its schedules' minute offset.
PLACE = sorted(SETTINGS.competitors().by_country).index("ng")


def main() -> None:
    world = World(seed=7, size=SIZE, days=15)
    books = [WorldBook(book) for book in BOOKS]
    runs: Counter[tuple[int, str]] = Counter()
    events: Counter[tuple[int, str]] = Counter()
    book_events: Counter[tuple[int, str]] = Counter()
    kicking_off: set[int] = set()
    listing: dict[int, tuple[datetime, int]] = {}

    def upcoming(now: datetime) -> Iterator[tuple[int, datetime]]:
        listing.clear()
        for book in books:
            for event in world.listed_events(book, now):
                if event.kickoff < DAY + timedelta(days=1):
                    kicking_off.add(event.sr_id)
                if event.kickoff - now <= DEFAULT_POLICY.horizon:
                    kickoff, count = listing.get(event.sr_id, (event.kickoff, 0))
                    listing[event.sr_id] = (min(kickoff, event.kickoff), count + 1)
        return ((sr_id, kickoff) for sr_id, (kickoff, _) in listing.items())

    def count(now: datetime, decision: CadenceDecision) -> None:
        for due in decision.due:
            key = (now.hour, due.tier)
            runs[key] += 1
            events[key] += len(due.sr_ids)
            book_events[key] += sum(listing[sr_id][1] for sr_id in due.sr_ids)

    day = simulate_country_day(
        upcoming,
        DAY,
        sensor_interval=timedelta(seconds=SENSOR_INTERVAL_S),
        worker_minutes=SETTINGS.capture_worker_minutes,
        live_run_minutes=SETTINGS.live_run_minutes,
        live_offset=timedelta(minutes=PLACE % 5),
        catalogue_offset=timedelta(minutes=PLACE % 15),
        on_decision=count,
    )

    tiers = [tier.name for tier in DEFAULT_POLICY.tiers]
    workers = day.per_hour("capture_worker")
    print(
        f"{'hour':>4} "
        + " ".join(f"{t + ' runs':>14} {t + ' events':>16}" for t in tiers)
        + "  workers after"
    )
    for hour in range(24):
        cells = " ".join(f"{runs[(hour, t)]:>14} {events[(hour, t)]:>16}" for t in tiers)
        print(f"{hour:>4} {cells} {workers[hour]:>14}")
    per_hour = [sum(runs[(hour, t)] for t in tiers) for hour in range(24)]
    capture_before = sum(per_hour)
    before = {
        "capture_odds": capture_before,
        "watch_live": day.watch_runs_before,
        "palimpsest_comparison": day.per_day()["palimpsest_comparison"],
    }
    after = day.per_day()
    figures = {
        "benchmark": "bench_runs_per_hour",
        "size": SIZE,
        "books": list(BOOKS),
        "sensor_interval_s": SENSOR_INTERVAL_S,
        "events_kicking_off_that_day": len(kicking_off),
        "runs_per_day": {t: sum(runs[(h, t)] for h in range(24)) for t in tiers},
        "events_captured_per_day": {t: sum(events[(h, t)] for h in range(24)) for t in tiers},
        "book_event_captures_per_day": sum(book_events.values()),
        "capture_runs_per_hour_max": max(per_hour),
        "capture_runs_per_hour_mean": round(capture_before / 24, 1),
        "country_runs_per_day_before": {**before, "total": sum(before.values())},
        "country_runs_per_day_after": {**after, "total": sum(after.values())},
        "capture_worker_runs_per_hour_max": max(workers),
        "capture_worker_minutes": SETTINGS.capture_worker_minutes,
        "live_run_minutes": SETTINGS.live_run_minutes,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
