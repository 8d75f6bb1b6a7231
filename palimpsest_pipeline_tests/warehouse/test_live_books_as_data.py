"""0044: the live watcher's per-book rows refer to core.books, so every registered book's poll is stored
(MSport's and Betway's too), an unregistered book is refused, and no CHECK spells a fixed list of books."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from palimpsest_pipeline.records import Book, GapChanges, Suspension
from palimpsest_pipeline.warehouse.live_store import record_poll

AT = datetime(2026, 5, 4, 17, 30, tzinfo=UTC)
NO_CHANGE = GapChanges(opened=[], continued=[], closed=[], unlinked=0)


def test_every_books_live_poll_is_stored(warehouse_conn: psycopg.Connection) -> None:
    polled = [
        Suspension(Book.MSPORT, "ok", 4, 20, 5, None),
        Suspension(Book.BETWAY, "failed", None, None, None, "HTTP 503"),
        Suspension(Book.BETPAWA, "ok", 6, 30, 3, None),
    ]
    record_poll(warehouse_conn, "ng", AT, NO_CHANGE, polled)
    stored = warehouse_conn.execute(
        "SELECT book, status, live_events, markets, suspended, suspended_share, error"
        " FROM analytics.live_suspension WHERE polled_at = %s AND site_country = 'ng' ORDER BY book",
        (AT,),
    ).fetchall()
    assert stored == [
        ("betpawa", "ok", 6, 30, 3, 3 / 30, None),
        ("betway", "failed", None, None, None, None, "HTTP 503"),
        ("msport", "ok", 4, 20, 5, 5 / 20, None),
    ]


def test_an_unregistered_book_is_refused(warehouse_conn: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        warehouse_conn.execute(
            "INSERT INTO analytics.live_suspension (polled_at, site_country, book, status, live_events)"
            " VALUES (%s, 'ng', 'nobook', 'ok', 0)",
            (AT,),
        )


def test_no_check_spells_a_list_of_books(warehouse_conn: psycopg.Connection) -> None:
    spelled = warehouse_conn.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint"
        " WHERE contype = 'c' AND pg_get_constraintdef(oid) ~ 'sportybet|bet9ja'"
    ).fetchall()
    assert spelled == []
