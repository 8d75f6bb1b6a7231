"""Benchmark: one day of odds captures stored change-only, against storing every capture in full.

Run by ``make bench`` (not collected by pytest), on the embedded Postgres in a throw-away database.

The day: ``BENCH_STORAGE_EVENTS`` events (default 500; 1,000 takes ~3.5 min on two shared cores) kicking
off between 10:00 and 23:30 UTC, each listed by the three books with the same 30 canonical outcomes (1X2,
double chance, draw no bet, five total lines, both teams to score, five Asian handicap lines). Every book's
prices are captured on the engine's cadence — every 30 min until two hours before kick-off, every 5 min in
the last two hours, every minute in the last 30 — from 00:00 until kick-off; each minute's due captures are
one ``store_odds`` call, as a capture cycle would be. Prices move the way books move them, a market at a
time: per capture a market is re-priced with probability 12 % (later) / 8 % (soon) / 6 % (imminent), each
outcome by up to 4 %; 0.5 % of markets are suspended for one to three captures; 0.05 % of lines are
withdrawn (closed) for good.

Measured, not estimated:
- ``day_bytes``: ``pg_total_relation_size`` of the history partitions + ``core.odds_current`` after the day;
- ``day_bytes_full_snapshots``: the same for a table shaped like the history (same columns and key) holding
  every captured row of one capture in ``FULL_SAMPLE_EVERY`` minutes, scaled by rows (heap and B-tree grow
  linearly in rows; storing all ~7 M rows would take minutes and a gigabyte for no extra information);
- ``archive_bytes``: event-detail bodies rendered by the sandbox for a sample of the events, archived with
  the default writer (per-book dictionaries trained on the first half of the sample);
  ``pg_total_relation_size`` per payload times the day's number of captures.

Per cycle (derived from the measured figures, not measured separately): a full capture cycle asks every
event on every book once, ``events * books * outcomes`` rows. ``cycle_bytes_full_snapshots`` is that many
rows at the full-snapshot bytes per row; ``cycle_bytes`` is that many rows at the day's change-only bytes per
captured row (history and current table together, amortised over the day). ``stored_cycles`` counts the
minutes in which something was due (each one ``store_odds`` call), with their mean bytes either way.

Change-only and full snapshots are stored with the same columns and key, so the ratio is independent of the
number of events; it depends on how often prices move.

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.records import Book, OddsRow, OddsState
from palimpsest_pipeline.sandbox.rendering import EventRenderer
from palimpsest_pipeline.sandbox.world import World
from palimpsest_pipeline.warehouse.config import (
    create_database,
    drop_database,
    embedded_server_home,
    libpq_url,
    with_database,
)
from palimpsest_pipeline.warehouse.copy import copy_binary
from palimpsest_pipeline.warehouse.embedded import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.odds_store import odds_storage_bytes, store_odds
from palimpsest_pipeline.warehouse.raw_archive import (
    RawArchiveWriter,
    RawResponse,
    archive_bytes,
    train_archive_dictionary,
)

EVENTS = int(os.environ.get("BENCH_STORAGE_EVENTS", "500"))
SEED = 20260506
DAY = date(2026, 5, 6)
DAY_START = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)
FULL_SAMPLE_EVERY = 10  # minutes: one capture cycle in ten is also stored in full, at minute 3, 13, ...
FULL_SAMPLE_PHASE = 3
ARCHIVE_SAMPLE_EVENTS = 200  # per book: enough that fixed per-relation pages do not inflate the figure
TARGET_RATIO = 0.25

# (market, specifier, outcomes): the canonical football core, as books price it.
MARKETS: list[tuple[int, str, tuple[int, ...]]] = [
    (1, "", (1, 2, 3)),
    (10, "", (9, 10, 11)),
    (11, "", (4, 5)),
    *((18, f"total={line}", (12, 13)) for line in ("0.5", "1.5", "2.5", "3.5", "4.5")),
    (29, "", (74, 76)),
    *((16, f"hcp={line}", (1714, 1715)) for line in ("-1.5", "-0.5", "0", "0.5", "1.5")),
]
# (seconds before kick-off below which the tier applies, capture period in minutes, re-price probability)
TIERS = ((30 * 60, 1, 0.06), (120 * 60, 5, 0.08), (None, 30, 0.12))
SUSPEND_PROBABILITY = 0.005
WITHDRAW_PROBABILITY = 0.0005


@dataclass
class MarketState:
    prices: list[float]
    suspended_for: int = 0
    withdrawn: bool = False


@dataclass
class BookEvent:
    """One book's prices for one event, moved between captures."""

    markets: list[MarketState] = field(default_factory=list)


def _initial_prices(rng: random.Random, outcomes: int) -> list[float]:
    margin = rng.uniform(1.04, 1.08)
    weights = [rng.uniform(0.5, 2.0) for _ in range(outcomes)]
    total = sum(weights)
    return [round(max(1.01, total / (w * margin)), 2) for w in weights]


def _move(rng: random.Random, state: BookEvent, reprice: float) -> None:
    for market in state.markets:
        if market.withdrawn:
            continue
        if market.suspended_for:
            market.suspended_for -= 1
        elif rng.random() < SUSPEND_PROBABILITY:
            market.suspended_for = rng.randint(1, 3)
        if rng.random() < WITHDRAW_PROBABILITY:
            market.withdrawn = True
        elif rng.random() < reprice:
            market.prices = [round(max(1.01, p * rng.uniform(0.96, 1.04)), 2) for p in market.prices]


def _rows(sr_id: int, book: Book, state: BookEvent, at: datetime) -> Iterator[OddsRow]:
    for (market, specifier, outcomes), current in zip(MARKETS, state.markets, strict=True):
        if current.withdrawn:
            continue
        odds_state: OddsState = "suspended" if current.suspended_for else "open"
        for outcome, price in zip(outcomes, current.prices, strict=True):
            yield OddsRow(sr_id, book, market, specifier, outcome, price, odds_state, at)


def _tier(seconds_to_kickoff: float) -> tuple[int, float]:
    for bound, period, reprice in TIERS:
        if bound is None or seconds_to_kickoff <= bound:
            return period, reprice
    raise AssertionError("unreachable")


def simulate(conn: psycopg.Connection) -> dict[str, Any]:
    rng = random.Random(SEED)
    kickoffs = {1_000_000 + i: DAY_START + timedelta(minutes=rng.randrange(600, 1411)) for i in range(EVENTS)}
    states = {
        (sr_id, book): BookEvent([MarketState(_initial_prices(rng, len(o))) for _, _, o in MARKETS])
        for sr_id in kickoffs
        for book in Book
    }
    conn.execute("CREATE TABLE bench_full_snapshots (LIKE core.odds_history INCLUDING ALL)")
    captured_rows = sampled_rows = history_rows = stored_cycles = 0
    store_s = 0.0
    for minute in range(24 * 60):
        at = DAY_START + timedelta(minutes=minute)
        rows: list[OddsRow] = []
        captured: dict[tuple[int, Book], datetime] = {}
        for sr_id, kickoff in kickoffs.items():
            ahead = (kickoff - at).total_seconds()
            if ahead <= 0:
                continue
            period, reprice = _tier(ahead)
            if minute % period:
                continue
            for book in Book:
                state = states[(sr_id, book)]
                _move(rng, state, reprice)
                captured[(sr_id, book)] = at
                rows.extend(_rows(sr_id, book, state, at))
        if not captured:
            continue
        started = time.perf_counter()
        history_rows += store_odds(conn, rows, captured=captured).history_rows
        stored_cycles += 1
        store_s += time.perf_counter() - started
        captured_rows += len(rows)
        if minute % FULL_SAMPLE_EVERY == FULL_SAMPLE_PHASE:
            sampled_rows += len(rows)
            copy_binary(
                conn,
                "bench_full_snapshots",
                ("captured_at", "sr_id", "price", "market", "outcome", "book", "specifier", "state"),
                ("timestamptz", "int8", "float8", "int4", "int4", "text", "text", "text"),
                [
                    (r.captured_at, r.sr_id, r.price, r.market, r.outcome, r.book.value, r.specifier, r.state)
                    for r in rows
                ],
            )
    conn.execute("VACUUM ANALYZE core.odds_current")
    conn.execute("VACUUM ANALYZE core.odds_history")
    conn.execute("VACUUM ANALYZE bench_full_snapshots")
    sizes = odds_storage_bytes(conn)
    sample_bytes = conn.execute("SELECT pg_total_relation_size('bench_full_snapshots')").fetchone()
    assert sample_bytes is not None and sampled_rows > 0
    full_bytes = round(int(sample_bytes[0]) * captured_rows / sampled_rows)
    current_rows = conn.execute("SELECT count(*) FROM core.odds_current").fetchone()
    captures = sum(1 for _ in _capture_times(kickoffs)) * len(Book)
    day_bytes = sizes["history"] + sizes["current"]
    full_cycle_rows = EVENTS * len(Book) * sum(len(o) for _, _, o in MARKETS)
    return {
        "events": EVENTS,
        "books": len(Book),
        "outcomes_per_book": sum(len(o) for _, _, o in MARKETS),
        "captures": captures,
        "rows_captured": captured_rows,
        "history_rows": history_rows,
        "current_rows": int(current_rows[0]) if current_rows else 0,
        "history_bytes": sizes["history"],
        "current_bytes": sizes["current"],
        "day_bytes": day_bytes,
        "day_bytes_full_snapshots": full_bytes,
        "full_cycle_rows": full_cycle_rows,
        "cycle_bytes": round(full_cycle_rows * day_bytes / captured_rows),
        "cycle_bytes_full_snapshots": round(full_cycle_rows * full_bytes / captured_rows),
        "stored_cycles": stored_cycles,
        "stored_cycle_mean_bytes": round(day_bytes / stored_cycles),
        "stored_cycle_mean_bytes_full_snapshots": round(full_bytes / stored_cycles),
        "full_snapshot_rows_sampled": sampled_rows,
        "store_s": round(store_s, 1),
        "store_rows_per_s": round(captured_rows / store_s) if store_s else None,
    }


def _capture_times(kickoffs: dict[int, datetime]) -> Iterator[tuple[int, datetime]]:
    for minute in range(24 * 60):
        at = DAY_START + timedelta(minutes=minute)
        for sr_id, kickoff in kickoffs.items():
            ahead = (kickoff - at).total_seconds()
            if ahead > 0 and minute % _tier(ahead)[0] == 0:
                yield sr_id, at


def measure_archive(conn: psycopg.Connection, captures: int) -> dict[str, Any]:
    """Archive sandbox-rendered event details; bytes per payload on disk, scaled to the day's captures."""
    world = World(seed=SEED, size=1_000, days=3)
    renderer = EventRenderer(cache_bytes=0)
    at = DAY_START + timedelta(hours=8)
    samples: dict[Book, list[RawResponse]] = {}
    for book in Book:
        events = world.listed_events(book, at)[:ARCHIVE_SAMPLE_EVENTS]
        samples[book] = [
            RawResponse(
                book,
                "event",
                f"sandbox://{book}/event/{e.event_id(book)}",
                200,
                renderer.detail(book, e, at),
                at,
                e.sr_id,
                e.event_id(book),
                e.kickoff.date(),
            )
            for e in events
            if e.sr_id
        ]
    half = {book: len(items) // 2 for book, items in samples.items()}
    with RawArchiveWriter(conn, batch_id="training") as writer:
        for book, items in samples.items():
            for item in items[: half[book]]:
                writer.add(item)
    for book in Book:
        train_archive_dictionary(conn, book, "event", samples=half[book])
    conn.execute("TRUNCATE core.raw_archive")
    with RawArchiveWriter(conn, batch_id="measured") as writer:
        for book, items in samples.items():
            for item in items[half[book] :]:
                writer.add(item)
    conn.execute("VACUUM ANALYZE core.raw_archive")
    stored = archive_bytes(conn)
    payloads = writer.stats.rows
    per_payload = stored / payloads
    return {
        "archive_bytes": round(per_payload * captures),
        "archive_bytes_per_payload": round(per_payload),
        "archive_compressed_bytes_per_payload": round(writer.stats.stored_bytes / payloads),
        "archive_raw_bytes_per_payload": round(writer.stats.raw_bytes / payloads),
        "archive_payloads_measured": payloads,
    }


def main() -> int:
    server = ensure_embedded_server(embedded_server_home())
    name = f"palimpsest_bench_storage_{os.getpid()}"
    drop_database(server, name)
    create_database(server, name)
    started = time.perf_counter()
    try:
        url = with_database(server, name)
        migrate(url)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            figures = simulate(conn)
            print(f"odds: {figures}", file=sys.stderr)
            figures.update(measure_archive(conn, figures["captures"]))
    finally:
        drop_database(server, name)
    figures["ratio"] = round(figures["day_bytes"] / figures["day_bytes_full_snapshots"], 4)
    figures["target_ratio"] = TARGET_RATIO
    figures["ok"] = figures["ratio"] < TARGET_RATIO
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
