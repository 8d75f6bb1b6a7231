"""The comparison updated for the events a capture touched equals a fresh rebuild of the whole date, table by
table, and holds the hand-computed best price, BetPawa's gap and rank of the prices the capture changed; the
other events' rows are left as they were, and of the touched events' rows only those that differ are written
(counted by hand)."""

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
from palimpsest_pipeline.warehouse.capture_log import store_market_suspects
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
        "site_country": "ng",
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


#: Event 101's rows per table in ``COMPARISON_TABLES`` order: 5 outcomes; 3 books x 5 prices; 3 books x 2
#: markets of margins and of availability; no suspect market; 3 books' confirmations.
EVENT_ROWS = (5, 15, 6, 6, 0, 3)
#: Each book's (market, specifier) whose rows a capture closes or suspends below.
OVER_UNDER = (18, "total=2.5")


def _built(conn: psycopg.Connection) -> None:
    """The three events matched on DAY, captured at FIRST with ``PRICES``, the date built whole."""
    for sr_id in EVENTS:
        insert_match(conn, sr_id, KICKOFF, {book.value: f"{book.value[:2]}{sr_id}" for book in BOOKS})
    _capture(conn, {(sr_id, book): PRICES[book] for sr_id in EVENTS for book in BOOKS}, FIRST)
    rebuild_comparison(conn, [DAY], FIRST, **_options())  # type: ignore[arg-type]
    counts = [
        conn.execute(f"SELECT count(*) FROM {t} WHERE sr_id = 101").fetchone() for t in COMPARISON_TABLES
    ]
    assert counts == [(n,) for n in EVENT_ROWS]


def _updated(conn: psycopg.Connection, sr_ids: list[int], dates: list[date] | None = None) -> int:
    """Update the comparison for ``sr_ids`` at LATER; the rows it wrote."""
    summary = RangeSummary(margin_low=0.0, margin_high=0.25, price_factor=1.5)
    options = {**_options(), "summary": summary}
    assert rebuild_comparison(conn, dates or [DAY], LATER, sr_ids=sr_ids, **options) == []  # type: ignore[arg-type]
    return summary.rows_written


def _equals_a_rebuild(conn: psycopg.Connection, dates: list[date] | None = None) -> None:
    updated = _tables(conn)
    summary = RangeSummary(margin_low=0.0, margin_high=0.25, price_factor=1.5)
    rebuild_comparison(conn, dates or [DAY], LATER, **{**_options(), "summary": summary})  # type: ignore[arg-type]
    assert _tables(conn) == updated
    # the whole rebuild wrote every row twice (deleted, then inserted)
    assert summary.rows_written == 2 * sum(len(rows) for rows in updated.values())


def _recaptured(conn: psycopg.Connection, **changes: tuple[float, ...]) -> None:
    """Event 101 captured again at LATER: each book's ``PRICES`` but those ``changes`` gives (by book)."""
    _capture(conn, {(101, book): changes.get(book.value, PRICES[book]) for book in BOOKS}, LATER)


# By hand, per table (outcomes, prices, margins, availability, suspects, confirmations):
# - BetPawa's home 2.10 -> 2.30: its price (1); the 1X2's three outcomes (best price, and the consensus
#   every 1X2 outcome rests on, BetPawa's margin changed) (3); BetPawa's 1X2 margin (1); confirmations (3).
# - Bet9ja's over/under suspended: its two prices leave (2); over and under lose a book (2); its margin turns
#   null, not_all_open (1); its availability suspended (1); confirmations (3).
# - SportyBet's over/under closed (absent from its capture): its two prices leave (2); over and under lose a
#   book (2); its margin row goes (1); its availability not_offered (1); confirmations (3).
# - The same prices again: the confirmations alone (3).
@pytest.mark.parametrize(
    ("change", "written"),
    [
        ("price", 1 + 3 + 1 + 3),
        ("suspended", 2 + 2 + 1 + 1 + 3),
        ("closed", 2 + 2 + 1 + 1 + 3),
        ("nothing", 3),
    ],
)
def test_an_update_writes_only_the_rows_a_capture_changed(
    warehouse_conn: psycopg.Connection, change: str, written: int
) -> None:
    conn = warehouse_conn
    _built(conn)
    if change == "price":
        _recaptured(conn, betpawa=(2.30, *PRICES[Book.BETPAWA][1:]))
    elif change == "suspended":
        rows = [row for book in BOOKS for row in _rows(101, book, PRICES[book], LATER)]
        suspended = [
            r._replace(state="suspended")
            if r.book is Book.BET9JA and (r.market, r.specifier) == OVER_UNDER
            else r
            for r in rows
        ]
        store_odds(conn, suspended, site_country="ng", captured={(101, book): LATER for book in BOOKS})
    elif change == "closed":
        _recaptured(conn, sportybet=PRICES[Book.SPORTYBET][:3])
    else:
        _recaptured(conn)
    assert _updated(conn, [101]) == written
    assert _updated(conn, [101]) == 0  # the same update again writes nothing
    _equals_a_rebuild(conn)


def test_a_suspect_verdict_changes_only_its_rows(warehouse_conn: psycopg.Connection) -> None:
    conn = warehouse_conn
    _built(conn)
    with conn.transaction():
        _recaptured(conn)
        suspect = {(101, Book.BET9JA): [(*OVER_UNDER, "overround", "over 1.88 + under 1.92")]}
        store_market_suspects(conn, {(101, Book.BET9JA): LATER}, suspect, site_country="ng")
    # Bet9ja's two prices flagged (2); over and under lose a book (2); one suspect market (1); the
    # confirmations (3); margins and availability do not read suspicion.
    assert _updated(conn, [101]) == 2 + 2 + 1 + 3
    flagged = conn.execute(
        "SELECT book, market, outcome FROM analytics.outcome_prices WHERE suspect ORDER BY outcome"
    ).fetchall()
    assert flagged == [("bet9ja", 18, 12), ("bet9ja", 18, 13)]
    _equals_a_rebuild(conn)
    # the verdict lifted by the next capture: the same rows again
    with conn.transaction():
        _capture(conn, {(101, book): PRICES[book] for book in BOOKS}, LATER + timedelta(minutes=1))
        store_market_suspects(conn, {(101, Book.BET9JA): LATER + timedelta(minutes=1)}, {}, site_country="ng")
    assert _updated(conn, [101]) == 2 + 2 + 1 + 3


def test_an_event_whose_kick_off_moved_to_a_built_date_moves_its_rows(
    warehouse_conn: psycopg.Connection,
) -> None:
    conn = warehouse_conn
    _built(conn)
    next_day = KICKOFF + timedelta(days=1)
    insert_match(conn, 104, next_day, {book.value: f"{book.value[:2]}104" for book in BOOKS})
    _capture(conn, {(104, book): PRICES[book] for book in BOOKS}, FIRST)
    rebuild_comparison(conn, [next_day.date()], FIRST, **_options())  # type: ignore[arg-type]
    conn.execute("DELETE FROM analytics.match_listings WHERE match_key = 'sr:101'")
    conn.execute("DELETE FROM analytics.matches WHERE match_key = 'sr:101'")
    insert_match(conn, 101, next_day, {book.value: f"{book.value[:2]}101" for book in BOOKS})
    # 101's rows leave DAY and reach the next day, unchanged but for their date: each deleted and inserted.
    dates = [DAY, next_day.date()]
    assert _updated(conn, [101], dates) == 2 * sum(EVENT_ROWS)
    moved = conn.execute(
        "SELECT DISTINCT kickoff_date FROM analytics.outcome_prices WHERE sr_id = 101"
    ).fetchall()
    assert moved == [(next_day.date(),)]
    _equals_a_rebuild(conn, dates)


def test_an_event_no_longer_matched_loses_its_rows_and_counts_them(
    warehouse_conn: psycopg.Connection,
) -> None:
    conn = warehouse_conn
    _built(conn)
    conn.execute("DELETE FROM analytics.match_listings WHERE match_key = 'sr:101'")
    conn.execute("DELETE FROM analytics.matches WHERE match_key = 'sr:101'")
    assert _updated(conn, [101]) == sum(EVENT_ROWS)
    assert _updated(conn, [101]) == 0
    _equals_a_rebuild(conn)
