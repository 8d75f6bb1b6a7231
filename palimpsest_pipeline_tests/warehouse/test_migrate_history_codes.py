"""0041 makes the compact history's book codes data (core.books.history_code): the previous version's history
reads back row for row, the first three books keep the codes its rows hold, and every other book, MSport and
Betway included, stores its prices under a code of its own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline.warehouse.partitions import ensure_day_partitions
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

AT = datetime(2026, 5, 7, 12, 0, tzinfo=UTC)
#: The codes the previous version wrote (0017_compact_history.sql: its array of three names).
_OLD_CODES = {"betpawa": 1, "sportybet": 2, "bet9ja": 3}
_HISTORY = "SELECT * FROM core.odds_history ORDER BY sr_id, book, captured_at, market, specifier, outcome"
_CHANGES = "SELECT * FROM core.odds_changes ORDER BY sr_id, book, captured_at"


def _rows(conn: psycopg.Connection, query: str) -> list[tuple[Any, ...]]:
    return conn.execute(query).fetchall()


def test_the_previous_history_migrates_row_for_row_and_new_books_store_under_their_own_codes(
    pg_server_url: str, reader_password: str
) -> None:
    with previous_warehouse(pg_server_url) as url:
        with psycopg.connect(libpq_url(url)) as conn:
            history_before = _rows(conn, _HISTORY)
            changes_before = _rows(conn, _CHANGES)
        assert history_before, "the previous warehouse holds odds history"
        assert {row[5] for row in history_before} == set(_OLD_CODES)

        migrate(url, password=reader_password)

        with psycopg.connect(libpq_url(url)) as conn:
            # every row the previous version stored was read from Nigeria's sites: 0042 names them 'ng'
            assert _rows(conn, _HISTORY) == [(*row, "ng") for row in history_before]
            assert _rows(conn, _CHANGES) == [(*row, "ng") for row in changes_before]
            codes = dict(_rows(conn, "SELECT book, history_code FROM core.books"))
            assert {book: codes[book] for book in _OLD_CODES} == _OLD_CODES
            assert set(codes) == {book.value for book in Book}
            assert len(set(codes.values())) == len(codes)

            rows = [
                OddsRow(901, book, 1, "", outcome, price, "open", AT)
                for book, prices in ((Book.MSPORT, (2.15, 3.3, 3.45)), (Book.BETWAY, (2.2, 3.25, 3.4)))
                for outcome, price in zip((1, 2, 3), prices, strict=True)
            ]
            with conn.transaction():
                store_odds(
                    conn,
                    rows,
                    captured={(901, Book.MSPORT): AT, (901, Book.BETWAY): AT},
                    site_country="ng",
                )
            stored = _rows(
                conn,
                "SELECT book, outcome, price FROM analytics.odds_history WHERE sr_id = 901"
                " ORDER BY book, outcome",
            )
            assert stored == sorted((r.book.value, r.outcome, r.price) for r in rows)
            physical = dict(
                _rows(conn, "SELECT book, count(*) FROM core.odds_changes WHERE sr_id = 901 GROUP BY 1")
            )
            assert physical == {codes["msport"]: 1, codes["betway"]: 1}

        migrate(url, password=reader_password)  # a second migrate draws no code
        with psycopg.connect(libpq_url(url)) as conn:
            assert dict(_rows(conn, "SELECT book, history_code FROM core.books")) == codes


def test_a_book_registered_later_takes_a_fresh_code_and_an_unregistered_code_is_refused(
    warehouse_conn: psycopg.Connection,
) -> None:
    codes = dict(_rows(warehouse_conn, "SELECT book, history_code FROM core.books"))
    assert set(codes) == {book.value for book in Book}
    row = warehouse_conn.execute(
        "INSERT INTO core.books (book) VALUES ('newbook') RETURNING history_code"
    ).fetchone()
    assert row is not None and row[0] not in codes.values()
    ensure_day_partitions(warehouse_conn, "core.odds_changes", [AT.date()])
    (key,) = warehouse_conn.execute(
        "INSERT INTO core.market_keys (market, specifier, outcome) VALUES (1, '', 1) RETURNING key_id"
    ).fetchone() or (None,)
    insert = (
        "INSERT INTO core.odds_changes (captured_at, sr_id, book, key_ids, codes, site_country)"
        " VALUES (%s, 902, %s, ARRAY[%s], ARRAY[1850], 'ng')"
    )
    warehouse_conn.execute(insert, (AT, row[0], key))
    assert _rows(warehouse_conn, "SELECT book, price FROM core.odds_history WHERE sr_id = 902") == [
        ("newbook", 1.85)
    ]
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        warehouse_conn.execute(insert, (AT, max(codes.values()) + 100, key))
