"""The live watcher's writes per site country, in a real warehouse: Nigeria's and Ghana's polls of the same
instant are both stored, each country's gaps open and close on its own polls only, and an empty list in one
country is not judged against the other country's last count. Expected by hand from the lists given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.records import Book, Event, LiveEvent
from palimpsest_pipeline.scrape.live import BookAnswer, store_poll
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

T1 = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
T2 = T1 + timedelta(seconds=30)


def _answers(*live_on: Book) -> dict[Book, BookAnswer]:
    """Every scraped book's answer: match 1 on the live lists of ``live_on``, nothing on the others."""
    return {
        book: BookAnswer(
            book,
            [
                LiveEvent(
                    Event(book, f"{book.value}-1", 1, "Home", "Away", T1, "t", "Cup", "X", "football"),
                    markets=10,
                    suspended=1,
                )
            ]
            if book in live_on
            else [],
        )
        for book in NIGERIA_BOOKS
    }


def test_each_countrys_polls_open_and_close_its_own_gaps_only(
    warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    nigeria_first = store_poll(connect, _answers(Book.SPORTYBET), T1, "ng")
    ghana_first = store_poll(connect, _answers(), T1, "gh")  # the same instant, all lists empty
    assert nigeria_first.stored and nigeria_first.opened == 1
    assert ghana_first.stored and ghana_first.opened == 0 and ghana_first.closed == 0
    assert {s.book: s.status for s in ghana_first.books} == {book: "ok" for book in NIGERIA_BOOKS}

    ghana_second = store_poll(connect, _answers(Book.SPORTYBET), T2, "gh")
    nigeria_second = store_poll(connect, _answers(*NIGERIA_BOOKS), T2, "ng")  # live everywhere
    assert (ghana_second.opened, ghana_second.continued, ghana_second.closed) == (1, 0, 0)
    assert (nigeria_second.opened, nigeria_second.continued, nigeria_second.closed) == (0, 0, 1)
    assert not store_poll(connect, _answers(), T2, "gh").stored  # not newer than Ghana's newest

    gaps = warehouse_conn.execute(
        "SELECT site_country, sr_id, side, live_on, since, last_seen_at, closed_at"
        " FROM analytics.live_coverage ORDER BY gap_id"
    ).fetchall()
    assert gaps == [
        ("ng", 1, "betpawa_missing", ["sportybet"], T1, T1, T2),
        ("gh", 1, "betpawa_missing", ["sportybet"], T2, T2, None),
    ]
    polls = warehouse_conn.execute(
        "SELECT site_country, polled_at, count(*) FROM analytics.live_suspension"
        " GROUP BY site_country, polled_at ORDER BY site_country, polled_at"
    ).fetchall()
    books = len(NIGERIA_BOOKS)
    assert polls == [("gh", T1, books), ("gh", T2, books), ("ng", T1, books), ("ng", T2, books)]
