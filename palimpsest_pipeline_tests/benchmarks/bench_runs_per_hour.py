"""Benchmark: the capture runs the kick-off-window sensor asks for in one site country's day, hour by hour.

Run by hand or ``make bench`` (not collected by pytest); about a minute. The sandbox's world
(``BENCH_RUNS_SIZE`` events listed per book over its fortnight, default 1,000, seed 7) lists Nigeria's books'
events; the sensor's own decision (``scrape.cadence.decide``, the default tier policy) is evaluated every
``odds_sensor_interval_s`` seconds (the setting's default) through one UTC day, the cursor carried from tick
to tick as the sensor carries it. Each due tier is one run, so one pod under Kubernetes' run launcher.
Printed per hour and for the day: runs by tier, events captured (an event once per run) and book-event
captures (an event on each book listing it: what parsing and storing cost scales with).

The last line printed is one JSON object with the figures; docs/scale.md builds on them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import UTC, datetime, timedelta

from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY, decide
from palimpsest_pipeline.settings import load_settings
from palimpsest_sandbox.world import World
from palimpsest_sandbox.world_event import Book as WorldBook

SIZE = int(os.environ.get("BENCH_RUNS_SIZE", "1000"))
#: Nigeria's scraped books (nigeria.NIGERIA_BOOKS), as the sandbox names them.
BOOKS = ("betpawa", "sportybet", "bet9ja", "msport", "betway")
#: A day the world is settled on: its events were announced days before.
DAY = datetime(2026, 11, 20, tzinfo=UTC)
#: The kick-off-window sensor's interval by default (``PALIMPSEST_ODDS_SENSOR_INTERVAL_S`` unset).
SENSOR_INTERVAL_S = load_settings({}).odds_sensor_interval_s


def main() -> None:
    world = World(seed=7, size=SIZE, days=15)
    books = [WorldBook(book) for book in BOOKS]
    step = timedelta(seconds=SENSOR_INTERVAL_S)
    runs: Counter[tuple[int, str]] = Counter()
    events: Counter[tuple[int, str]] = Counter()
    book_events: Counter[tuple[int, str]] = Counter()
    kicking_off: set[int] = set()
    cursor: str | None = None
    now = DAY
    while now < DAY + timedelta(days=1):
        listing: dict[int, tuple[datetime, int]] = {}
        for book in books:
            for event in world.listed_events(book, now):
                if event.kickoff < DAY + timedelta(days=1):
                    kicking_off.add(event.sr_id)
                if event.kickoff - now <= DEFAULT_POLICY.horizon:
                    kickoff, count = listing.get(event.sr_id, (event.kickoff, 0))
                    listing[event.sr_id] = (min(kickoff, event.kickoff), count + 1)
        decision = decide(
            ((sr_id, kickoff) for sr_id, (kickoff, _) in listing.items()), now=now, cursor=cursor
        )
        cursor = decision.cursor
        for due in decision.due:
            key = (now.hour, due.tier)
            runs[key] += 1
            events[key] += len(due.sr_ids)
            book_events[key] += sum(listing[sr_id][1] for sr_id in due.sr_ids)
        now += step

    tiers = [tier.name for tier in DEFAULT_POLICY.tiers]
    print(f"{'hour':>4} " + " ".join(f"{t + ' runs':>14} {t + ' events':>16}" for t in tiers))
    for hour in range(24):
        cells = " ".join(f"{runs[(hour, t)]:>14} {events[(hour, t)]:>16}" for t in tiers)
        print(f"{hour:>4} {cells}")
    per_hour = [sum(runs[(hour, t)] for t in tiers) for hour in range(24)]
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
        "capture_runs_per_hour_mean": round(sum(per_hour) / 24, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
