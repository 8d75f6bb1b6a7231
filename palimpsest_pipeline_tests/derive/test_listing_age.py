"""How long the competitors have had a match, on hand-made catalogues stored in a real warehouse: unknown
for a listing already there at the first scrape of its kick-off date, hand-computed hours for one that
appeared later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.derive.coverage import rebuild_matched_events
from palimpsest_pipeline.derive.listing import rebuild_listing
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.warehouse.catalogue_store import store_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # the warehouse's first scrape
T1 = T0 + timedelta(hours=5)  # the second scrape
T2 = T0 + timedelta(hours=8)  # the tables computed again
KICKOFF = T0 + timedelta(days=2)
DAY = KICKOFF.date()
LATER_DAY = DAY + timedelta(days=1)  # first covered by the second scrape


def _event(book: Book, sr_id: int, kickoff: datetime = KICKOFF) -> Event:
    return Event(book, f"{book.value}-{sr_id}", sr_id, f"home {sr_id}", f"away {sr_id}", kickoff, "t1",
                 "League", "England", "football")  # fmt: skip


def _store(conn: psycopg.Connection, book: Book, events: list[Event], at: datetime, dates: list) -> None:
    store_catalogue(conn, book=book, tournaments=[], events=events, dates=dates, captured_at=at,
                    batch_id=None, complete=True, site_country="ng")  # fmt: skip


def _ages(conn: psycopg.Connection) -> dict[int, float | None]:
    rows = conn.execute("SELECT sr_id, hours_listed_by_competitor FROM analytics.to_list_now").fetchall()
    return dict(rows)


def test_ages_are_unknown_at_the_first_scrape_and_hours_once_a_listing_appears_later(
    warehouse_url: str,
) -> None:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        # First scrape: BetPawa lists match 9 only; SportyBet and Bet9ja list 1, Bet9ja 4 too.
        _store(conn, Book.BETPAWA, [_event(Book.BETPAWA, 9)], T0, [DAY])
        _store(conn, Book.SPORTYBET, [_event(Book.SPORTYBET, 1)], T0, [DAY])
        _store(conn, Book.BET9JA, [_event(Book.BET9JA, 1), _event(Book.BET9JA, 4)], T0, [DAY])
        rebuild_matched_events(conn, [DAY], T0, "ng")
        rebuild_listing(conn, [DAY], T0, "ng")
        conn.commit()
        assert _ages(conn) == {1: None, 4: None}  # listed for an unknown time, not 0 h

        # Second scrape, five hours on, also covering the next day: SportyBet now lists 2 (new), 4 (Bet9ja's
        # since the first scrape) and 3 on the day it first covers.
        for book, events, dates in (
            (Book.BETPAWA, [_event(Book.BETPAWA, 9)], [DAY, LATER_DAY]),
            (Book.SPORTYBET, [_event(Book.SPORTYBET, n) for n in (1, 2, 4)]
             + [_event(Book.SPORTYBET, 3, KICKOFF + timedelta(days=1))], [DAY, LATER_DAY]),
            (Book.BET9JA, [_event(Book.BET9JA, 1), _event(Book.BET9JA, 4)], [DAY, LATER_DAY]),
        ):  # fmt: skip
            _store(conn, book, events, T1, dates)
        rebuild_matched_events(conn, [DAY, LATER_DAY], T2, "ng")
        rebuild_listing(conn, [DAY, LATER_DAY], T2, "ng")
        conn.commit()
        ages = _ages(conn)
        lead = {
            (day, book): measured
            for day, book, measured in conn.execute(
                "SELECT kickoff_date, book, events_measured FROM analytics.listing_lead_time"
            ).fetchall()
        }
    assert ages.keys() == {1, 2, 3, 4}
    assert ages[2] == pytest.approx(8 - 5)  # first seen at the second scrape, computed three hours on
    assert ages[1] is None  # both competitors had it at the first scrape
    assert ages[4] is None  # SportyBet's listing is timed, Bet9ja's is not: when it first was is unknown
    assert ages[3] is None  # first seen at the first scrape of its date: listed for an unknown time
    assert lead[(DAY, "sportybet")] == 2 and lead[(LATER_DAY, "sportybet")] == 0
