"""What the live starts add to a live poll (``store_poll``): one country's day of prematch events on six
books (``BENCH_EVENTS`` a book, default 1,000 and 5,000), a poll every 30 s since the morning, first sightings
of the matches under way; polls from 18:00 are stored in turn as they are (``with``), without the live-starts
refresh (``refresh_live_starts`` replaced by nothing: ``without_refresh``) and without it nor the first
sightings' write (``before``: the poll before issue 54), ``BENCH_RUNS`` times each, in a scratch database of
the embedded Postgres. Prints the medians and the ratios (no assert: figures go to docs/live.md).

``python palimpsest_pipeline_tests/benchmarks/bench_live_starts.py``
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.records import Book, Event, LiveEvent
from palimpsest_pipeline.scrape import live
from palimpsest_pipeline.scrape.live import BookAnswer, store_poll
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse import live_store
from palimpsest_pipeline.warehouse.config import (
    create_database,
    embedded_server_home,
    libpq_url,
    with_database,
)
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.fixtures_pg import drop_database

COUNTRY = "ng"
BOOKS = tuple(Book)  # six books, one country's lists
DAY = datetime(2026, 5, 4, tzinfo=UTC)
POLL_AT = DAY.replace(hour=18)
#: Kick-offs every quarter hour from 10:00 to 23:45; a poll every 30 s from 09:00.
FIRST_KICKOFF, LAST_KICKOFF = DAY.replace(hour=10), DAY.replace(hour=23, minute=45)
POLLS_FROM = DAY.replace(hour=9)
IN_PLAY = timedelta(minutes=110)


@contextmanager
def scratch(name: str) -> Iterator[str]:
    server = ensure_embedded_server(embedded_server_home(load_settings().home))
    drop_database(server, name)
    create_database(server, name)
    try:
        url = with_database(server, name)
        migrate(url)
        yield url
    finally:
        drop_database(server, name)


def _events(per_book: int) -> list[Event]:
    slots = int((LAST_KICKOFF - FIRST_KICKOFF) / timedelta(minutes=15)) + 1
    return [
        Event(
            book=book,
            event_id=f"{book.value}-{n}",
            sr_id=40_000_000 + n,
            home=f"Home {n}",
            away=f"Away {n}",
            kickoff=FIRST_KICKOFF + timedelta(minutes=15 * (n % slots)),
            tournament_id=f"t{n % 200}",
            tournament_name=f"Tournament {n % 200}",
            country="Country",
            sport="football",
        )
        for book in BOOKS
        for n in range(per_book)
    ]


def seed(url: str, events: list[Event]) -> None:
    """The catalogue, the polls since the morning (every book usable) and the sightings of the matches that
    kicked off (each book 1 to 7 minutes after kick-off)."""
    seen_at = DAY.replace(hour=8)
    polls = [
        POLLS_FROM + timedelta(seconds=30 * n)
        for n in range(int((POLL_AT - POLLS_FROM).total_seconds() // 30))
    ]
    with psycopg.connect(libpq_url(url)) as conn, conn.cursor() as cursor:
        cursor.executemany(
            """
            INSERT INTO core.events
                (book, event_id, sr_id, home, away, kickoff, tournament_id, tournament_name, country, sport,
                 first_seen_at, last_seen_at, site_country)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            [
                (e.book.value, e.event_id, e.sr_id, e.home, e.away, e.kickoff, e.tournament_id,
                 e.tournament_name, e.country, e.sport, seen_at, seen_at, COUNTRY)
                for e in events
            ],
        )  # fmt: skip
        cursor.executemany(
            """
            INSERT INTO analytics.live_suspension (polled_at, site_country, book, status, live_events,
                                                   markets, suspended, suspended_share, error, bad_rows)
            VALUES (%s, %s, %s, 'ok', 10, 100, 5, 0.05, NULL, 0)
            """,
            [(at, COUNTRY, book.value) for at in polls for book in BOOKS],
        )
        cursor.executemany(
            """
            INSERT INTO core.live_sightings
                (site_country, book, sr_id, first_live_at, match_minute, live_kickoff)
            VALUES (%s, %s, %s, %s, %s, %s)
            """,
            [
                (COUNTRY, e.book.value, e.sr_id, e.kickoff + timedelta(minutes=1 + (e.sr_id or 0) % 7),
                 2 + (e.sr_id or 0) % 7, e.kickoff)
                for e in events
                if e.kickoff + timedelta(minutes=8) < POLL_AT
            ],
        )  # fmt: skip


def answers(events: list[Event], at: datetime) -> dict[Book, BookAnswer]:
    """Each book's live list at ``at``: every match of its kicked off within the last 110 minutes."""
    rows: dict[Book, list[LiveEvent]] = {book: [] for book in BOOKS}
    for e in events:
        if e.kickoff <= at < e.kickoff + IN_PLAY:
            minute = int((at - e.kickoff).total_seconds() // 60) + 1
            rows[e.book].append(LiveEvent(event=e, markets=20, suspended=2, minute=minute))
    return {book: BookAnswer(book, listed) for book, listed in rows.items()}


def measure(per_book: int, runs: int) -> dict[str, Any]:
    events = _events(per_book)
    with scratch(f"palimpsest_bench_live_starts_{os.getpid()}") as url:
        seed(url, events)

        def connect() -> psycopg.Connection:
            return psycopg.connect(libpq_url(url))

        refresh, sightings = live.refresh_live_starts, live_store.record_sightings
        kinds = ("with", "without_refresh", "before")
        timings: dict[str, list[float]] = {kind: [] for kind in kinds}
        for n in range(len(kinds) * (runs + 1)):  # the first round warms the caches and is not counted
            at = POLL_AT + timedelta(seconds=30 * n)
            kind = kinds[n % len(kinds)]
            live.refresh_live_starts = refresh if kind == "with" else _nothing  # type: ignore[assignment]
            live_store.record_sightings = sightings if kind != "before" else _nothing  # type: ignore[assignment]
            polled = answers(events, at)
            started = time.perf_counter()
            store_poll(connect, polled, at, COUNTRY)
            if n >= len(kinds):
                timings[kind].append(time.perf_counter() - started)
        live.refresh_live_starts, live_store.record_sightings = refresh, sightings  # type: ignore[assignment]
        with psycopg.connect(libpq_url(url)) as conn:
            row = conn.execute("SELECT count(*) FROM analytics.live_starts").fetchone()
            judged = 0 if row is None else row[0]
    medians = {kind: statistics.median(values) * 1_000 for kind, values in timings.items()}
    return {
        "events_per_book": per_book,
        "books": len(BOOKS),
        "live_starts_rows": judged,
        **{f"poll_ms_{kind}": round(ms, 1) for kind, ms in medians.items()},
        "ratio_to_without_refresh": round(medians["with"] / medians["without_refresh"], 2),
        "ratio_to_before": round(medians["with"] / medians["before"], 2),
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
