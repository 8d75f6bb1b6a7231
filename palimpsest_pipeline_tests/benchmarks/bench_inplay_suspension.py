"""What the in-play suspension adds to a live poll (``store_poll``): the live-starts benchmark's day
(``bench_live_starts.py``: one country, six books, ``BENCH_EVENTS`` prematch football events a book, default
1,000 and 5,000, kick-offs every quarter hour) with every match in play on every book's live list carrying
its score, its half and 20 live lines of 8 market families (a goal every 25 minutes, a line in ten
suspended); polls from 18:00 stored in turn with the in-play suspension (``with``) and without it
(``record_inplay_suspension`` replaced by nothing), ``BENCH_RUNS`` times each after 8 warming polls (so the
3-minute-old scores exist), in a scratch database of the embedded Postgres. Prints the medians (no assert:
figures go to docs/live.md).

``python palimpsest_pipeline_tests/benchmarks/bench_inplay_suspension.py``
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.records import Book, Event, LiveEvent
from palimpsest_pipeline.scrape import live
from palimpsest_pipeline.scrape.live import BookAnswer, store_poll
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.benchmarks.bench_live_starts import (
    BOOKS,
    COUNTRY,
    IN_PLAY,
    POLL_AT,
    _events,
    scratch,
    seed,
)

#: 20 live lines: (canonical market, specifier) of 8 families.
LINES = (
    (1, ""), (10, ""), (11, ""), (29, ""), (8, "goalnr=1"), (26, ""), (19, "total=0.5"), (20, "total=0.5"),
    *((18, f"total={n}.5") for n in range(6)), *((16, f"hcp={n}") for n in (-1, 0, 1)), (60, ""), (68, ""),
    (18, "total=6.5"),
)  # fmt: skip
WARMING = 8


def answers(events: list[Event], at: datetime) -> dict[Book, BookAnswer]:
    """Each book's live list at ``at``: every match kicked off within 110 minutes, with its lines."""
    rows: dict[Book, list[LiveEvent]] = {book: [] for book in BOOKS}
    for e in events:
        if e.kickoff <= at < e.kickoff + IN_PLAY:
            played = int((at - e.kickoff).total_seconds() // 60)
            goals = played // 25
            half = "first_half" if played < 47 else "half_time" if played < 62 else "second_half"
            lines = tuple(
                (market, spec, (index + played + (e.sr_id or 0)) % 10 == 0)
                for index, (market, spec) in enumerate(LINES)
            )
            rows[e.book].append(
                LiveEvent(event=e, markets=len(lines), suspended=sum(s for *_, s in lines), minute=played + 1,
                          score=(goals, 0), half=half, lines=lines)
            )  # fmt: skip
    return {book: BookAnswer(book, listed) for book, listed in rows.items()}


def measure(per_book: int, runs: int) -> dict[str, Any]:
    events = _events(per_book)
    with scratch(f"palimpsest_bench_inplay_{os.getpid()}") as url:
        seed(url, events)

        def connect() -> psycopg.Connection:
            return psycopg.connect(libpq_url(url))

        record = live.record_inplay_suspension
        kinds = ("with", "without")
        timings: dict[str, list[float]] = {kind: [] for kind in kinds}
        rows = 0
        for n in range(WARMING + len(kinds) * runs):
            at = POLL_AT + timedelta(seconds=30 * n)
            kind = "with" if n < WARMING else kinds[n % len(kinds)]
            live.record_inplay_suspension = record if kind == "with" else _nothing  # type: ignore[assignment]
            polled = answers(events, at)
            rows = sum(len(a.events or ()) for a in polled.values())
            started = time.perf_counter()
            store_poll(connect, polled, at, COUNTRY)
            if n >= WARMING:
                timings[kind].append(time.perf_counter() - started)
        live.record_inplay_suspension = record  # type: ignore[assignment]
        with psycopg.connect(libpq_url(url)) as conn:
            stored = conn.execute("SELECT count(*), sum(lines_observed) FROM analytics.inplay_suspension")
            counted = stored.fetchone() or (0, 0)
    medians = {kind: statistics.median(values) * 1_000 for kind, values in timings.items()}
    return {
        "events_per_book": per_book,
        "live_rows_per_poll": rows,
        "lines_per_poll": rows * len(LINES),
        "suspension_rows": counted[0],
        "lines_counted": int(counted[1] or 0),
        **{f"poll_ms_{kind}": round(ms, 1) for kind, ms in medians.items()},
        "added_ms": round(medians["with"] - medians["without"], 1),
        "runs": runs,
    }


def _nothing(*_args: Any, **_kwargs: Any) -> None:
    return None


def main() -> int:
    sizes = [int(s) for s in os.environ.get("BENCH_EVENTS", "1000,5000").split(",")]
    runs = int(os.environ.get("BENCH_RUNS", "7"))
    for per_book in sizes:
        print(json.dumps(measure(per_book, runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
