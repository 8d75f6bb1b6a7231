"""Benchmark: one day of odds captures stored change-only, against storing every capture in full.

Run by ``make bench`` (not collected by pytest), on the embedded Postgres in a throw-away database.
``BENCH_STORAGE_EVENTS`` events (default 100) kick off between 10:00 and 23:30 UTC, each listed by the three
books at real depth (``DEPTH``: per-(event, book) outcome counts drawn from the range of the real captures by
the match's prominence), captured on the sensor's cadence from 00:00 until kick-off and stored as a capture
cycle stores them; prices move a market at a time, with suspensions and withdrawn lines.

Measured: the day's history and current state on disk (``day_bytes``) against full snapshots of the same
columns and key (``day_bytes_full_snapshots``, sampled and scaled by rows), the store's CPU per captured row,
and the raw archive of a sample of the same day against the history it backs (``storage_archive.py``).
docs/benchmarks.md describes every figure. The last line printed is one JSON object with the figures.
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
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.config import (
    create_database,
    embedded_server_home,
    libpq_url,
    with_database,
)
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline.warehouse.table_io import copy_binary
from palimpsest_pipeline_tests.benchmarks.storage_archive import measure_archive
from palimpsest_pipeline_tests.fixtures_pg import drop_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.processes import process_cpu_s
from palimpsest_pipeline_tests.warehouse.stored import odds_storage_bytes

EVENTS = int(os.environ.get("BENCH_STORAGE_EVENTS", "100"))
SEED = 20260506
DAY = date(2026, 5, 6)
DAY_START = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)
FULL_SAMPLE_EVERY = 10  # minutes: one capture cycle in ten is also stored in full, at minute 3, 13, ...
FULL_SAMPLE_PHASE = 3
#: Events per store_odds call: the capture flushes its complete events in batches of 50 (``batch_events``).
BATCH_EVENTS = 50
TARGET_RATIO = 0.25
#: Bytes per stored price change the compact history aims at (issue 10), indexes included.
TARGET_BYTES_PER_CHANGE = 40
#: The history's row-per-change layout before 0017_compact_history.sql: the baseline, measured in this run.
ROW_PER_CHANGE_DDL = """
CREATE TABLE {name} (
    captured_at timestamptz NOT NULL, sr_id bigint NOT NULL, price double precision, market integer NOT NULL,
    outcome integer NOT NULL, book text NOT NULL, specifier text NOT NULL, state text NOT NULL,
    PRIMARY KEY (sr_id, book, market, specifier, outcome, captured_at)
)
"""

# (market, specifier, outcomes): the canonical football core, as books price it.
MARKETS: list[tuple[int, str, tuple[int, ...]]] = [
    (1, "", (1, 2, 3)),
    (10, "", (9, 10, 11)),
    (11, "", (4, 5)),
    *((18, f"total={line}", (12, 13)) for line in ("0.5", "1.5", "2.5", "3.5", "4.5")),
    (29, "", (74, 76)),
    *((16, f"hcp={line}", (1714, 1715)) for line in ("-1.5", "-0.5", "0", "0.5", "1.5")),
]
#: Per book, the open outcomes of the least and the most prominent match (the captures' range, see above).
DEPTH: dict[Book, tuple[int, int]] = {
    Book.SPORTYBET: (150, 4_800),
    Book.BET9JA: (100, 1_300),
    Book.BETPAWA: (50, 850),
}
CORE_OUTCOMES = sum(len(o) for _, _, o in MARKETS)


def deep_markets(outcomes: int, rng: random.Random) -> list[tuple[int, str, tuple[int, ...]]]:
    """Markets beyond the core until ``outcomes`` are priced: lines (2 or 3 outcomes) and player markets,
    each key once (a book listing one key twice at two prices would be quarantined, not stored)."""
    markets = list(MARKETS)
    total = CORE_OUTCOMES
    index = 0
    while total < outcomes:
        index += 1
        kind = rng.random()
        if kind < 0.4:  # a player market: one outcome per player, keyed by the player id
            markets.append((888, f"variant=sr:player:{700_000 + index}", (1,)))
            total += 1
        elif kind < 0.8:  # a total line of some period or team
            markets.append((19 + index % 8, f"total={0.5 + index // 8 * 0.25}", (12, 13)))
            total += 2
        else:  # a three-way handicap line
            markets.append((14 + index % 3, f"hcp={index // 3}:0", (1711, 1712, 1713)))
            total += 3
    return markets


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

    spec: list[tuple[int, str, tuple[int, ...]]]
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
    for (market, specifier, outcomes), current in zip(state.spec, state.markets, strict=True):
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
    prominence = {sr_id: rng.random() ** 3 for sr_id in kickoffs}
    states: dict[tuple[int, Book], BookEvent] = {}
    for sr_id in kickoffs:
        for book in NIGERIA_BOOKS:
            low, high = DEPTH[book]
            spec = deep_markets(round(low + (high - low) * prominence[sr_id]), rng)
            states[(sr_id, book)] = BookEvent(
                spec, [MarketState(_initial_prices(rng, len(o))) for *_, o in spec]
            )
    conn.execute(ROW_PER_CHANGE_DDL.format(name="bench_full_snapshots"))
    captured_rows = sampled_rows = history_rows = stored_cycles = due_captures = 0
    store_s = store_cpu_s = 0.0
    backend = conn.info.backend_pid
    for minute in range(24 * 60):
        at = DAY_START + timedelta(minutes=minute)
        due = _due(kickoffs, minute, at)
        if not due:
            continue
        stored_cycles += 1
        due_captures += len(due)
        for start in range(0, len(due), BATCH_EVENTS):
            rows: list[OddsRow] = []
            captured: dict[tuple[int, Book], datetime] = {}
            for sr_id, reprice in due[start : start + BATCH_EVENTS]:
                for book in NIGERIA_BOOKS:
                    state = states[(sr_id, book)]
                    _move(rng, state, reprice)
                    captured[(sr_id, book)] = at
                    rows.extend(_rows(sr_id, book, state, at))
            started, cpu_started = time.perf_counter(), time.process_time() + process_cpu_s(backend)
            history_rows += store_odds(conn, rows, captured=captured, site_country="ng").history_rows
            store_s += time.perf_counter() - started
            store_cpu_s += time.process_time() + process_cpu_s(backend) - cpu_started
            captured_rows += len(rows)
            if minute % FULL_SAMPLE_EVERY == FULL_SAMPLE_PHASE:
                sampled_rows += len(rows)
                copy_binary(
                    conn,
                    "bench_full_snapshots",
                    ("captured_at", "sr_id", "price", "market", "outcome", "book", "specifier", "state"),
                    ("timestamptz", "int8", "float8", "int4", "int4", "text", "text", "text"),
                    [
                        (
                            r.captured_at,
                            r.sr_id,
                            r.price,
                            r.market,
                            r.outcome,
                            r.book.value,
                            r.specifier,
                            r.state,
                        )
                        for r in rows
                    ],
                )
    # Baseline in the same run: the same changes in the row-per-change layout history had before 0017.
    conn.execute(ROW_PER_CHANGE_DDL.format(name="bench_row_per_change"))
    conn.execute(
        "INSERT INTO bench_row_per_change "
        "SELECT captured_at, sr_id, price, market, outcome, book, specifier, state FROM core.odds_history"
    )
    for table in ("core.odds_current_prices", "core.odds_confirmed", "core.odds_changes", "core.market_keys",
                  "bench_full_snapshots", "bench_row_per_change"):  # fmt: skip
        conn.execute(f"VACUUM ANALYZE {table}")
    sizes = odds_storage_bytes(conn)
    row_per_change = conn.execute("SELECT pg_total_relation_size('bench_row_per_change')").fetchone()
    assert row_per_change is not None
    sample_bytes = conn.execute("SELECT pg_total_relation_size('bench_full_snapshots')").fetchone()
    assert sample_bytes is not None and sampled_rows > 0
    full_bytes = round(int(sample_bytes[0]) * captured_rows / sampled_rows)
    current_rows = conn.execute("SELECT count(*) FROM core.odds_current").fetchone()
    captures = due_captures * len(NIGERIA_BOOKS)
    day_bytes = sizes["history"] + sizes["current"]
    outcomes = {
        book: [sum(len(o) for *_, o in states[(sr, book)].spec) for sr in kickoffs] for book in NIGERIA_BOOKS
    }
    full_cycle_rows = sum(sum(v) for v in outcomes.values())
    physical = conn.execute("SELECT count(*) FROM core.odds_changes").fetchone()
    return {
        "events": EVENTS,
        "books": len(NIGERIA_BOOKS),
        "outcomes_per_event_mean": {b.value: round(sum(v) / len(v)) for b, v in outcomes.items()},
        "outcomes_per_event_max": {b.value: max(v) for b, v in outcomes.items()},
        "history_bytes_per_change": round(sizes["history"] / history_rows, 1),
        "row_per_change_bytes": int(row_per_change[0]),
        "row_per_change_bytes_per_change": round(int(row_per_change[0]) / history_rows, 1),
        "history_vs_row_per_change": round(sizes["history"] / int(row_per_change[0]), 4),
        "history_physical_rows": int(physical[0]) if physical else 0,
        # Events are independent of one another: the day at 1,000 events per book is this one scaled.
        "day_bytes_per_1000_events": round((sizes["history"] + sizes["current"]) * 1000 / EVENTS),
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
        # store_odds' CPU per captured row: this process (screening, COPY) and its Postgres backend together.
        "store_cpu_us_per_row": round(store_cpu_s / captured_rows * 1e6, 2),
    }


def _due(kickoffs: dict[int, datetime], minute: int, at: datetime) -> list[tuple[int, float]]:
    """The events whose capture is due at ``minute`` of the day (the sensor's cadence), each with its tier's
    re-price probability."""
    due = []
    for sr_id, kickoff in kickoffs.items():
        if kickoff > at:
            period, reprice = _tier((kickoff - at).total_seconds())
            if minute % period == 0:
                due.append((sr_id, reprice))
    return due


def main() -> int:
    server = ensure_embedded_server(embedded_server_home(load_settings().home))
    names = [
        f"palimpsest_bench_storage_{os.getpid()}",
        f"palimpsest_bench_archive_{os.getpid()}",
        f"palimpsest_bench_archive_spread_{os.getpid()}",
    ]
    started = time.perf_counter()
    try:
        urls = []
        for name in names:
            drop_database(server, name)
            create_database(server, name)
            urls.append(with_database(server, name))
            migrate(urls[-1])
        with psycopg.connect(libpq_url(urls[0]), autocommit=True) as conn:
            figures = simulate(conn)
        print(f"odds: {figures}", file=sys.stderr)
        with psycopg.connect(libpq_url(urls[1]), autocommit=True) as conn:  # the archive: its own database
            archive = measure_archive(
                conn, captures=figures["captures"], seed=SEED, day_start=DAY_START, tier=_tier
            )
        figures.update(archive)
        with psycopg.connect(libpq_url(urls[2]), autocommit=True) as conn:  # the sample spread over the day
            spread = measure_archive(
                conn,
                captures=figures["captures"],
                seed=SEED,
                day_start=DAY_START,
                tier=_tier,
                sample="spread",
            )
        figures.update(
            {f"{name}_spread": value for name, value in spread.items() if name.startswith("archive")}
        )
    finally:
        for name in names:
            drop_database(server, name)
    figures["ratio"] = round(figures["day_bytes"] / figures["day_bytes_full_snapshots"], 4)
    figures["target_ratio"] = TARGET_RATIO
    figures["target_bytes_per_change"] = TARGET_BYTES_PER_CHANGE
    figures["archive_vs_history"] = round(figures["archive_bytes"] / figures["history_bytes"], 3)
    figures["ok"] = (
        figures["ratio"] < TARGET_RATIO and figures["history_bytes_per_change"] <= TARGET_BYTES_PER_CHANGE
    )
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
