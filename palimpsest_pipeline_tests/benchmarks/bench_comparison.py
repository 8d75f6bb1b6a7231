"""Benchmark: the comparison after a capture, at a real day's depth: the whole date rebuilt (before) against
the captured events updated (after).

Run by hand (not collected by pytest). ``BENCH_COMPARISON_EVENTS`` events (default 1,000) kick off on one
day, each listed by the five books Nigeria scrapes at the captures' depths (SportyBet deepest; the deep
markets shared across books, as the same lines are); every price is stored through the odds store, then the
date's comparison is built once (``first_build_s``). Then ``BENCH_COMPARISON_CAPTURED`` imminent events
(default 10) are captured again a minute later, each with ``REPRICE`` of its markets (drawn at random) priced
afresh on every book listing them and the rest confirmed unchanged (``capture_store_s``), and their
comparison is updated (``new_incremental_s``) and, as before, the whole date rebuilt (``old_full_date_s``);
the two must leave the same tables. ``rows_written_per_captured_event``: the rows the update deleted, updated
or inserted, per captured event; ``old_rows_per_captured_event``: the captured events' rows, all of which the
former update deleted and wrote again; ``update_wal_bytes_per_captured_event``: the write-ahead log the update
made, per captured event (the whole server's: run nothing else on it). A second, identical update must write
nothing.
``BENCH_COMPARISON_PROFILE=1`` prints the first build's top functions (cProfile).

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.derive.comparison import (
    COMPARISON_TABLES,
    rebuild_comparison,
)
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.transforms.comparison_chunks import RangeSummary
from palimpsest_pipeline.warehouse.config import (
    create_database,
    embedded_server_home,
    libpq_url,
    with_database,
)
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline_tests.benchmarks.bench_storage import deep_markets
from palimpsest_pipeline_tests.derive.comparison_columns import compared_columns
from palimpsest_pipeline_tests.fixtures_pg import drop_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.match_rows import insert_match

EVENTS = int(os.environ.get("BENCH_COMPARISON_EVENTS", "1000"))
CAPTURED = int(os.environ.get("BENCH_COMPARISON_CAPTURED", "10"))
PROFILE = os.environ.get("BENCH_COMPARISON_PROFILE") == "1"
SEED = 20261126
DAY = date(2026, 5, 6)
FIRST = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
LATER = FIRST + timedelta(minutes=1)
TIERS = [(timedelta(minutes=30), timedelta(minutes=1)), (timedelta(days=15), timedelta(minutes=30))]
#: Per book, the open outcomes of the least and the most prominent match (the captures' range;
#: MSport and Betway about Bet9ja's).
DEPTH: dict[Book, tuple[int, int]] = {
    Book.SPORTYBET: (150, 4_800),
    Book.BET9JA: (100, 1_300),
    Book.BETPAWA: (50, 850),
    Book.MSPORT: (100, 1_300),
    Book.BETWAY: (100, 1_200),
}
STORE_EVENTS = 25
#: Share of an imminent event's markets re-priced between two captures a minute apart.
REPRICE = 0.06
#: The comparison tables as they were before the books' confirmations were stored apart.
FORMER_TABLES = COMPARISON_TABLES[:5]


def _price(rng: random.Random) -> float:
    return round(rng.uniform(1.05, 12.0), 2)


def _day(rng: random.Random) -> dict[int, datetime]:
    """Kick-offs: the ``CAPTURED`` soonest in the next half hour (imminent), the rest spread over the day."""
    kickoffs = {}
    for i in range(EVENTS):
        minutes = 10 + i if i < CAPTURED else rng.randint(60, 14 * 60)
        kickoffs[50_000_000 + i] = FIRST + timedelta(minutes=minutes)
    return kickoffs


def _book_rows(sr_id: int, at: datetime, rng: random.Random, moved: float = 0.0) -> dict[Book, list[OddsRow]]:
    """Every book's open prices of one event; ``moved``: the share of the event's markets priced afresh on
    every book listing them (drawn from ``rng``), the others as the first capture priced them."""
    spec_rng = random.Random(sr_id)
    prominence = spec_rng.random() ** 3
    deepest = max(low + (high - low) * prominence for low, high in DEPTH.values())
    markets = deep_markets(int(deepest), spec_rng)
    repriced = set(rng.sample(range(len(markets)), round(moved * len(markets))))
    rows: dict[Book, list[OddsRow]] = {}
    for book in NIGERIA_BOOKS:
        low, high = DEPTH[book]
        depth, priced = low + (high - low) * prominence, 0
        book_rng = random.Random(f"{sr_id}:{book.value}")
        rows[book] = []
        for place, (market, specifier, outcomes) in enumerate(markets):
            if priced >= depth:
                break
            fresh = place in repriced
            for outcome in outcomes:
                price = _price(book_rng)  # drawn even when re-priced: the markets after keep their prices
                if fresh:
                    price = _price(rng)
                rows[book].append(OddsRow(sr_id, book, market, specifier, outcome, price, "open", at))
                priced += 1
    return rows


def _store(conn: psycopg.Connection, sr_ids: list[int], at: datetime, moved: float) -> int:
    rng = random.Random(SEED + int(at.timestamp()))
    stored = 0
    for start in range(0, len(sr_ids), STORE_EVENTS):
        rows: list[OddsRow] = []
        captured: dict[tuple[int, Book], datetime] = {}
        for sr_id in sr_ids[start : start + STORE_EVENTS]:
            for book, book_rows in _book_rows(sr_id, at, rng, moved).items():
                rows += book_rows
                captured[(sr_id, book)] = at
        store_odds(conn, rows, site_country="ng", captured=captured)
        stored += len(rows)
    return stored


def _options() -> dict[str, Any]:
    return {
        "summary": RangeSummary(margin_low=0.0, margin_high=0.25, price_factor=1.5),
        "tiers": TIERS,
        "stale_factor": 2.0,
        "chunk_events": 25,
        "site_country": "ng",
    }


def _rows(
    conn: psycopg.Connection, tables: tuple[str, ...], sr_ids: list[int] | None = None
) -> dict[str, int]:
    """Rows per table (of ``sr_ids`` alone, given them)."""
    counts = {}
    for table in tables:
        row = conn.execute(
            f"SELECT count(*) FROM {table} WHERE %(ids)s::bigint[] IS NULL OR sr_id = ANY(%(ids)s::bigint[])",
            {"ids": sr_ids},
        ).fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def _digest(conn: psycopg.Connection) -> list[Any]:
    """What a rebuild and an update must agree on: per table, a hash of every row but ``computed_at``."""
    digests = []
    for table in COMPARISON_TABLES:
        listed = ", ".join(compared_columns(conn, table))
        row = conn.execute(
            f"SELECT count(*), sum(hashtext(({listed})::text)::bigint) FROM {table}"
        ).fetchone()
        digests.append(row)
    return digests


def _wal(conn: psycopg.Connection) -> int:
    """The server's write-ahead log position in bytes (the whole cluster's: run nothing else beside)."""
    row = conn.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint").fetchone()
    return int(row[0]) if row else 0


@contextmanager
def _profiled(what: str) -> Iterator[None]:
    """With ``BENCH_COMPARISON_PROFILE=1``, the block's top functions by cumulative time on stderr."""
    if not PROFILE:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
        print(f"--- {what}\n{out.getvalue()}", file=sys.stderr)


def run(conn: psycopg.Connection) -> dict[str, Any]:
    rng = random.Random(SEED)
    kickoffs = _day(rng)
    books = {book.value: f"{book.value[:2]}" for book in NIGERIA_BOOKS}
    for sr_id, kickoff in kickoffs.items():
        insert_match(conn, sr_id, kickoff, {book: f"{prefix}{sr_id}" for book, prefix in books.items()})
    started = time.perf_counter()
    outcomes = _store(conn, list(kickoffs), FIRST, 0.0)
    fill_s = time.perf_counter() - started
    started = time.perf_counter()
    with _profiled("first build"):
        rebuild_comparison(conn, [DAY], FIRST, **_options())
    first_build_s = time.perf_counter() - started
    rows = _rows(conn, COMPARISON_TABLES)

    imminent = sorted(kickoffs, key=kickoffs.__getitem__)[:CAPTURED]
    started = time.perf_counter()
    recaptured = _store(conn, imminent, LATER, REPRICE)
    capture_store_s = time.perf_counter() - started
    started, wal = time.perf_counter(), _wal(conn)
    update = _options()
    with _profiled("update"):
        rebuild_comparison(conn, [DAY], LATER, sr_ids=imminent, **update)
    new_s, update_wal = time.perf_counter() - started, _wal(conn) - wal
    updated = _digest(conn)
    again = _options()
    rebuild_comparison(conn, [DAY], LATER, sr_ids=imminent, **again)
    former_rows = sum(_rows(conn, FORMER_TABLES, imminent).values())
    started = time.perf_counter()
    rebuild_comparison(conn, [DAY], LATER, **_options())
    old_s = time.perf_counter() - started
    rebuilt = _digest(conn)
    return {
        "events": EVENTS,
        "books": len(NIGERIA_BOOKS),
        "outcomes_stored": outcomes,
        "comparison_rows": rows,
        "fill_s": round(fill_s, 1),
        "first_build_s": round(first_build_s, 2),
        "captured_events": CAPTURED,
        "recaptured_outcomes": recaptured,
        "capture_store_s": round(capture_store_s, 3),
        "old_full_date_s": round(old_s, 3),
        "new_incremental_s": round(new_s, 3),
        "ratio": round(old_s / new_s, 1),
        "update_wal_bytes_per_captured_event": round(update_wal / CAPTURED),
        "old_rows_per_captured_event": round(former_rows / CAPTURED),
        "rows_written_per_captured_event": round(update["summary"].rows_written / CAPTURED, 1),
        "second_update_rows_written": again["summary"].rows_written,
        "same_tables": updated == rebuilt,
    }


def main() -> int:
    server = ensure_embedded_server(embedded_server_home())
    name = f"palimpsest_bench_comparison_{os.getpid()}"
    try:
        drop_database(server, name)
        create_database(server, name)
        url = with_database(server, name)
        migrate(url)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            figures = run(conn)
    finally:
        drop_database(server, name)
    print(json.dumps(figures))
    return 0 if figures["same_tables"] and figures["second_update_rows_written"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
