"""The comparison updated for the events a capture touched equals a fresh rebuild of the whole date, table by
table, and holds the hand-computed best price, BetPawa's gap and rank of the prices the capture changed; the
other events' rows are left as they were."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.derive.comparison import (
    COMPARISON_TABLES,
    rebuild_comparison,
)
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.transforms.comparison_chunks import RangeSummary
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline_tests.derive.comparison_columns import compared_columns
from palimpsest_pipeline_tests.warehouse.match_rows import insert_match

DAY = date(2026, 5, 6)
KICKOFF = datetime(2026, 5, 6, 18, 0, tzinfo=UTC)
FIRST = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
LATER = FIRST + timedelta(minutes=30)
#: No price turns stale in this test: one tier, a year's cadence.
TIERS = [(timedelta(days=400), timedelta(days=400))]
EVENTS = (101, 102, 103)
BOOKS = (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)
#: Per book: 1X2 (home, draw, away) and over/under 2.5.
PRICES: dict[Book, tuple[float, float, float, float, float]] = {
    Book.BETPAWA: (2.10, 3.30, 3.00, 1.85, 1.95),
    Book.SPORTYBET: (2.20, 3.25, 3.40, 1.90, 1.90),
    Book.BET9JA: (2.15, 3.20, 3.20, 1.88, 1.92),
}


def _rows(sr_id: int, book: Book, prices: Sequence[float], at: datetime) -> list[OddsRow]:
    keys = [(1, "", 1), (1, "", 2), (1, "", 3), (18, "total=2.5", 12), (18, "total=2.5", 13)]
    return [
        OddsRow(sr_id, book, market, specifier, outcome, price, "open", at)
        for (market, specifier, outcome), price in zip(keys, prices, strict=False)
    ]


def _capture(
    conn: psycopg.Connection, prices: Mapping[tuple[int, Book], Sequence[float]], at: datetime
) -> None:
    rows = [row for (sr_id, book), quoted in prices.items() for row in _rows(sr_id, book, quoted, at)]
    store_odds(conn, rows, site_country="ng", captured=dict.fromkeys(prices, at))


def _tables(conn: psycopg.Connection, where: str = "TRUE") -> dict[str, list[tuple[object, ...]]]:
    """Every comparison table's rows (those ``where`` holds for) but ``computed_at``, in key order."""
    rows = {}
    for table in COMPARISON_TABLES:
        listed = ", ".join(compared_columns(conn, table))
        rows[table] = conn.execute(f"SELECT {listed} FROM {table} WHERE {where} ORDER BY {listed}").fetchall()
    return rows


def _options() -> dict[str, object]:
    return {
        "summary": RangeSummary(margin_low=0.0, margin_high=0.25, price_factor=1.5),
        "tiers": TIERS,
        "stale_factor": 2.0,
        "chunk_events": 2,
    }


@pytest.mark.parametrize("chunk_events", [1, 25])
def test_updating_the_captured_events_equals_a_rebuild_of_the_whole_date(
    warehouse_conn: psycopg.Connection, chunk_events: int
) -> None:
    conn = warehouse_conn
    for sr_id in EVENTS:
        insert_match(conn, sr_id, KICKOFF, {book.value: f"{book.value[:2]}{sr_id}" for book in BOOKS})
    _capture(conn, {(sr_id, book): PRICES[book] for sr_id in EVENTS for book in BOOKS}, FIRST)
    rebuild_comparison(conn, [DAY], FIRST, **{**_options(), "chunk_events": chunk_events})  # type: ignore[arg-type]
    before = _tables(conn)
    others = _tables(conn, "sr_id <> 101")

    # Event 101 captured again: BetPawa's home price up to 2.30, SportyBet's away down to 3.10, and Bet9ja
    # no longer offering over/under 2.5 (its rows closed by the capture).
    _capture(
        conn,
        {
            (101, Book.BETPAWA): (2.30, 3.30, 3.00, 1.85, 1.95),
            (101, Book.SPORTYBET): (2.20, 3.25, 3.10, 1.90, 1.90),
            (101, Book.BET9JA): (2.15, 3.20, 3.20),
        },
        LATER,
    )
    whole = rebuild_comparison(
        conn,
        [DAY],
        LATER,
        sr_ids=[101],
        **{**_options(), "chunk_events": chunk_events},  # type: ignore[arg-type]
    )
    assert whole == []  # built, and other events kept: only 101 was compared again
    updated = _tables(conn)
    stamps = dict(
        conn.execute(
            "SELECT sr_id, max(computed_at) FROM analytics.outcome_prices GROUP BY sr_id ORDER BY sr_id"
        ).fetchall()
    )
    assert stamps == {101: LATER, 102: FIRST, 103: FIRST}

    # The hand-computed comparison of event 101's 1X2.
    best = conn.execute(
        "SELECT outcome, best_price, best_book, betpawa_gap, betpawa_rank, books_offering "
        "FROM analytics.outcome_comparison WHERE sr_id = 101 AND market = 1 ORDER BY outcome"
    ).fetchall()
    assert [row[:3] for row in best] == [(1, 2.30, "betpawa"), (2, 3.30, "betpawa"), (3, 3.20, "bet9ja")]
    assert [row[3] for row in best] == pytest.approx([0.0, 0.0, 3.00 / 3.20 - 1])
    assert [row[4] for row in best] == [1, 1, 3]  # home: 2.30 > 2.20 > 2.15; away: 3.20 > 3.10 > 3.00
    assert [row[5] for row in best] == [3, 3, 3]
    over = conn.execute(
        "SELECT best_price, best_book, betpawa_gap, betpawa_rank, books_offering "
        "FROM analytics.outcome_comparison WHERE sr_id = 101 AND market = 18 AND outcome = 12"
    ).fetchone()
    assert over is not None and over[:2] == (1.90, "sportybet") and over[3:] == (2, 2)
    assert over[2] == pytest.approx(1.85 / 1.90 - 1)
    # Event 102 still shows the first capture's prices: SportyBet's 3.40 the best away price.
    assert conn.execute(
        "SELECT best_price, best_book FROM analytics.outcome_comparison WHERE sr_id = 102 AND market = 1 "
        "AND outcome = 3"
    ).fetchone() == (3.40, "sportybet")

    rebuild_comparison(conn, [DAY], LATER, **{**_options(), "chunk_events": chunk_events})  # type: ignore[arg-type]
    rebuilt = _tables(conn)
    assert updated == rebuilt
    assert updated != before
    assert _tables(conn, "sr_id <> 101") == others and others["analytics.outcome_prices_stored"]


def test_a_date_never_built_is_built_whole_by_an_update(warehouse_conn: psycopg.Connection) -> None:
    conn = warehouse_conn
    for sr_id in EVENTS:
        insert_match(conn, sr_id, KICKOFF, {book.value: f"{book.value[:2]}{sr_id}" for book in BOOKS})
    _capture(conn, {(sr_id, book): PRICES[book] for sr_id in EVENTS for book in BOOKS}, FIRST)
    assert rebuild_comparison(conn, [DAY], FIRST, sr_ids=[101], **_options()) == [DAY]  # type: ignore[arg-type]
    updated = _tables(conn)
    assert {row[2] for row in updated["analytics.outcome_comparison"]} == set(EVENTS)
    rebuild_comparison(conn, [DAY], FIRST, **_options())  # type: ignore[arg-type]
    assert _tables(conn) == updated


def test_an_event_no_longer_matched_on_its_date_leaves_no_row(warehouse_conn: psycopg.Connection) -> None:
    conn = warehouse_conn
    for sr_id in EVENTS:
        insert_match(conn, sr_id, KICKOFF, {book.value: f"{book.value[:2]}{sr_id}" for book in BOOKS})
    _capture(conn, {(sr_id, book): PRICES[book] for sr_id in EVENTS for book in BOOKS}, FIRST)
    rebuild_comparison(conn, [DAY], FIRST, **_options())  # type: ignore[arg-type]
    # its kick-off moved to the next day: the matching tables no longer hold it on DAY
    conn.execute("DELETE FROM analytics.match_listings WHERE match_key = 'sr:103'")
    conn.execute("DELETE FROM analytics.matches WHERE match_key = 'sr:103'")
    assert rebuild_comparison(conn, [DAY], LATER, sr_ids=[103], **_options()) == []  # type: ignore[arg-type]
    for table in COMPARISON_TABLES:
        left = conn.execute(f"SELECT count(*) FROM {table} WHERE sr_id = 103").fetchone()
        assert left == (0,), table
    kept = conn.execute("SELECT count(DISTINCT sr_id) FROM analytics.outcome_comparison").fetchone()
    assert kept == (2,)
