"""Change-only odds history + current table, on a real Postgres."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book, OddsRow, OddsState
from palimpsest_pipeline.warehouse.capture_log import record_captures, record_unmapped, store_capture_cycle
from palimpsest_pipeline.warehouse.odds_rebuild import clear_recreated
from palimpsest_pipeline.warehouse.odds_store import (
    OddsInputError,
    OddsStoreStats,
    read_current_odds,
    store_odds,
)
from palimpsest_pipeline_tests.warehouse.stored import day_partitions

T0 = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)
SR = 68995116
PAWA = Book.BETPAWA


def _row(
    at: datetime,
    price: float | None,
    *,
    outcome: int = 1,
    state: OddsState = "open",
    book: Book = PAWA,
    sr_id: int = SR,
    market: int = 1,
    specifier: str = "",
) -> OddsRow:
    return OddsRow(sr_id, book, market, specifier, outcome, price, state, at)


def _store(conn: psycopg.Connection, at: datetime, rows: list[OddsRow], book: Book = PAWA) -> OddsStoreStats:
    return store_odds(conn, rows, captured={(SR, book): at}, site_country="ng")


def _history(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        """
        SELECT book, market, specifier, outcome, captured_at, price, state FROM core.odds_history
        ORDER BY book, market, specifier, outcome, captured_at
        """
    ).fetchall()


def _current(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        """
        SELECT book, market, specifier, outcome, price, state, captured_at, changed_at FROM core.odds_current
        ORDER BY book, market, specifier, outcome
        """
    ).fetchall()


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_same_price_twice_writes_one_history_row(warehouse_conn: psycopg.Connection) -> None:
    first = _store(warehouse_conn, _at(0), [_row(_at(0), 2.4)])
    second = _store(warehouse_conn, _at(1), [_row(_at(1), 2.4)])
    assert first == OddsStoreStats(history_rows=1, current_upserts=1, closed=0)
    assert second.history_rows == 0
    assert _history(warehouse_conn) == [("betpawa", 1, "", 1, _at(0), 2.4, "open")]
    # The current row is confirmed by the later capture but has not changed since the first.
    assert _current(warehouse_conn) == [("betpawa", 1, "", 1, 2.4, "open", _at(1), _at(0))]


def test_price_change_writes_a_second_row(warehouse_conn: psycopg.Connection) -> None:
    _store(warehouse_conn, _at(0), [_row(_at(0), 2.4)])
    stats = _store(warehouse_conn, _at(1), [_row(_at(1), 2.5)])
    assert stats.history_rows == 1
    assert [r[4:6] for r in _history(warehouse_conn)] == [(_at(0), 2.4), (_at(1), 2.5)]
    assert _current(warehouse_conn) == [("betpawa", 1, "", 1, 2.5, "open", _at(1), _at(1))]


def test_suspension_and_reopening_are_rows(warehouse_conn: psycopg.Connection) -> None:
    _store(warehouse_conn, _at(0), [_row(_at(0), 2.4)])
    assert _store(warehouse_conn, _at(1), [_row(_at(1), 2.4, state="suspended")]).history_rows == 1
    assert _store(warehouse_conn, _at(2), [_row(_at(2), 2.4, state="suspended")]).history_rows == 0
    assert _store(warehouse_conn, _at(3), [_row(_at(3), 2.4)]).history_rows == 1
    assert [r[4:] for r in _history(warehouse_conn)] == [
        (_at(0), 2.4, "open"),
        (_at(1), 2.4, "suspended"),
        (_at(3), 2.4, "open"),
    ]


def test_outcome_missing_from_a_successful_capture_closes(warehouse_conn: psycopg.Connection) -> None:
    _store(warehouse_conn, _at(0), [_row(_at(0), 2.4, outcome=1), _row(_at(0), 3.1, outcome=2)])
    stats = _store(warehouse_conn, _at(1), [_row(_at(1), 2.4, outcome=1)])
    assert stats == OddsStoreStats(history_rows=1, current_upserts=1, closed=1)  # outcome 1 only confirmed
    assert _history(warehouse_conn)[-1] == ("betpawa", 1, "", 2, _at(1), None, "closed")
    assert _current(warehouse_conn)[1] == ("betpawa", 1, "", 2, None, "closed", _at(1), _at(1))
    # Still absent: nothing more. Back again: a new 'open' row.
    assert _store(warehouse_conn, _at(2), [_row(_at(2), 2.4, outcome=1)]).history_rows == 0
    back = _store(warehouse_conn, _at(3), [_row(_at(3), 2.4, outcome=1), _row(_at(3), 3.0, outcome=2)])
    assert back.history_rows == 1
    assert read_current_odds(warehouse_conn, site_country="ng").get_column("outcome").to_list() == [1, 2]


def test_a_capture_with_no_rows_closes_everything_but_other_books_are_untouched(
    warehouse_conn: psycopg.Connection,
) -> None:
    store_odds(
        warehouse_conn,
        [_row(_at(0), 2.4), _row(_at(0), 2.5, book=Book.SPORTYBET)],
        captured={(SR, PAWA): _at(0), (SR, Book.SPORTYBET): _at(0)},
        site_country="ng",
    )
    stats = _store(warehouse_conn, _at(1), [])
    assert stats.closed == 1
    states = {(book, state) for book, *_, state, _c, _ch in _current(warehouse_conn)}
    assert states == {("betpawa", "closed"), ("sportybet", "open")}


def test_rewriting_the_same_capture_changes_nothing(warehouse_conn: psycopg.Connection) -> None:
    captures = [
        (_at(0), [_row(_at(0), 2.4, outcome=1), _row(_at(0), 3.1, outcome=2)]),
        (_at(1), [_row(_at(1), 2.5, outcome=1)]),
    ]
    for at, rows in captures:
        _store(warehouse_conn, at, rows)
    history, current = _history(warehouse_conn), _current(warehouse_conn)
    for at, rows in captures:  # the older one too: it must not rewind the current price
        assert _store(warehouse_conn, at, rows) == OddsStoreStats()
    assert _history(warehouse_conn) == history
    assert _current(warehouse_conn) == current


def test_replaying_the_archived_captures_reproduces_the_history_and_keeps_the_older(
    warehouse_conn: psycopg.Connection,
) -> None:
    prices = [2.4, 2.4, 2.5, None, 2.5, 2.6]
    captures = []
    for minute, price in enumerate(prices):
        at = _at(minute)
        rows = [] if price is None else [_row(at, price), _row(at, 1.5, outcome=2, state="suspended")]
        captures.append((at, rows))
    for at, rows in captures:
        _store(warehouse_conn, at, rows)
    history, current = _history(warehouse_conn), _current(warehouse_conn)
    assert len(history) == 2 + 1 + 2 + 2 + 1  # 2 openings, a move, 2 closings, 2 re-openings, a move
    # The archive holds minutes 2..5 only (0 and 1 are past its retention): those rows make way, by hand
    # 1 move + 2 closings + 2 re-openings + 1 move; the 2 openings of minute 0 stay.
    archived = captures[2:]
    with warehouse_conn.transaction():
        removed = clear_recreated(warehouse_conn, SR, {PAWA: [at for at, _ in archived]}, site_country="ng")
    assert removed == 6
    assert _history(warehouse_conn) == [row for row in history if row[4] == _at(0)]
    for at, rows in archived:
        _store(warehouse_conn, at, rows)
    assert _history(warehouse_conn) == history
    assert _current(warehouse_conn) == current


def test_history_partitions_are_created_across_midnight(warehouse_conn: psycopg.Connection) -> None:
    before, after = datetime(2026, 5, 6, 23, 59, tzinfo=UTC), datetime(2026, 5, 7, 0, 1, tzinfo=UTC)
    _store(warehouse_conn, before, [_row(before, 2.4)])
    _store(warehouse_conn, after, [_row(after, 2.5)])
    assert sorted(day_partitions(warehouse_conn, "core.odds_changes")) == [date(2026, 5, 6), date(2026, 5, 7)]
    per_partition = warehouse_conn.execute(
        "SELECT tableoid::regclass::text, count(*) FROM core.odds_changes GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert per_partition == [("core.odds_changes_p20260506", 1), ("core.odds_changes_p20260507", 1)]


def test_identical_repeats_collapse_and_bad_rows_are_named(warehouse_conn: psycopg.Connection) -> None:
    row = _row(_at(0), 2.4)
    assert _store(warehouse_conn, _at(0), [row, row]).history_rows == 1
    with pytest.raises(OddsInputError, match="not among the successful captures"):
        _store(warehouse_conn, _at(1), [_row(_at(1), 2.4, book=Book.BET9JA)])
    with pytest.raises(OddsInputError, match="differs from the pair's capture time"):
        _store(warehouse_conn, _at(1), [_row(_at(2), 2.4)])
    with pytest.raises(OddsInputError, match="naive"):
        store_odds(warehouse_conn, [], captured={(SR, PAWA): datetime(2026, 5, 6)}, site_country="ng")
    assert len(_history(warehouse_conn)) == 1


@dataclass
class _Result:
    sr_id: int
    book: Book
    status: str
    sent_at: datetime | None = None
    received_at: datetime | None = None
    reason: str | None = None
    odds: EventOdds | None = None
    prices: list[OddsRow] = field(default_factory=list)

    def rows(self) -> list[OddsRow]:
        return self.prices


def test_capture_cycle_logs_every_result_and_stores_only_successful_prices(
    warehouse_conn: psycopg.Connection,
) -> None:
    _store(warehouse_conn, _at(0), [_row(_at(0), 2.0, book=Book.BET9JA)], book=Book.BET9JA)
    sent = _at(5)
    results = [
        _Result(
            SR,
            PAWA,
            "ok",
            sent,
            sent + timedelta(milliseconds=80),
            odds=EventOdds(open_outcomes=10, mapped_outcomes=8, native_outcomes=3, composed_outcomes=1),
            prices=[_row(sent, 2.4)],
        ),
        _Result(SR, Book.SPORTYBET, "not_listed"),
        _Result(SR, Book.BET9JA, "failed", sent, reason="http 503 after 3 attempts"),
    ]
    unmapped = {(PAWA, "9999"): 2}
    stats = store_capture_cycle(
        warehouse_conn, results, _at(5), unmapped, batch_id="run-1", site_country="ng"
    )
    assert stats.history_rows == 1  # the failed Bet9ja capture closed nothing
    log = warehouse_conn.execute(
        "SELECT book, status, open_outcomes, mapped_outcomes, native_outcomes, composed_outcomes, reason "
        "FROM core.odds_captures ORDER BY book"
    ).fetchall()
    assert log == [
        ("bet9ja", "failed", None, None, None, None, "http 503 after 3 attempts"),
        ("betpawa", "ok", 10, 8, 3, 1, None),
        ("sportybet", "not_listed", None, None, None, None, None),
    ]
    assert warehouse_conn.execute(
        "SELECT uof_outcomes FROM analytics.odds_captures WHERE book = 'betpawa'"
    ).fetchone() == (4,)  # 8 keyed - 3 native - 1 combination
    assert warehouse_conn.execute(
        "SELECT book, market_key, outcomes FROM core.unmapped_markets"
    ).fetchall() == [("betpawa", "9999", 2)]
    # Re-recording the cycle overwrites, never duplicates.
    record_captures(warehouse_conn, batch_id="run-1", cycle_at=_at(5), results=results, site_country="ng")
    record_unmapped(warehouse_conn, batch_id="run-1", unmapped={(PAWA, "9999"): 3}, site_country="ng")
    assert warehouse_conn.execute(
        "SELECT count(*), max(outcomes) FROM core.odds_captures, core.unmapped_markets"
    ).fetchone() == (3, 3)
    with pytest.raises(OddsInputError, match="status ok needs sent_at"):
        record_captures(
            warehouse_conn,
            batch_id="run-1",
            cycle_at=_at(5),
            results=[_Result(SR, PAWA, "ok")],
            site_country="ng",
        )
