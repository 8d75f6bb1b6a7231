"""The odds capture's listing read (Genius bridge included) on hand-built ``core.events`` rows."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import polars as pl
import psycopg
import pytest

from palimpsest_pipeline.frames import CAPTURE_LISTINGS_SCHEMA
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import genius_reach, targets_from_frame
from palimpsest_pipeline.warehouse.capture_listings import (
    SKIPPED_BOOK_LISTS_TWICE,
    SKIPPED_OWN_SR_ID,
    SKIPPED_SR_CONFLICT,
    read_capture_listings,
    read_upcoming,
)

NOW = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
TOMORROW = TODAY + timedelta(days=1)
KICKOFF = datetime.combine(TOMORROW, time(18, 0), tzinfo=UTC)


def insert(
    conn: psycopg.Connection,
    book: Book,
    event_id: str,
    *,
    sr_id: int | None = None,
    genius_id: int | None = None,
    kickoff: datetime = KICKOFF,
    deleted: bool = False,
) -> None:
    conn.execute(
        """
        INSERT INTO core.events (book, event_id, sr_id, genius_id, home, away, kickoff, tournament_id,
                                 tournament_name, country, sport, first_seen_at, last_seen_at, deleted_at,
                                 site_country)
        VALUES (%s, %s, %s, %s, 'Home', 'Away', %s, 't', 'T', 'C', 'football', %s, %s, %s, 'ng')
        """,
        (book.value, event_id, sr_id, genius_id, kickoff, NOW, NOW, NOW if deleted else None),
    )


@pytest.fixture
def catalogue(warehouse_conn: psycopg.Connection) -> psycopg.Connection:
    """Every case of the Genius bridge, each under its own SR and Genius ids, kicking off tomorrow unless
    said otherwise."""
    conn = warehouse_conn
    S, P, B = Book.SPORTYBET, Book.BETPAWA, Book.BET9JA
    # Linked: BetPawa shows only the Genius id SportyBet shows next to SR id 101.
    insert(conn, S, "sr:match:101", sr_id=101, genius_id=9001)
    insert(conn, P, "p-linked", genius_id=9001)
    # Conflict: the Genius id sits next to two SR ids (SportyBet 102, Bet9ja 103).
    insert(conn, S, "sr:match:102", sr_id=102, genius_id=9002)
    insert(conn, B, "b-conflict", sr_id=103, genius_id=9002)
    insert(conn, P, "p-conflict", genius_id=9002)
    # An event's own SR id wins over the one its Genius id points to.
    insert(conn, P, "p-own", sr_id=105, genius_id=9004)
    insert(conn, S, "sr:match:106", sr_id=106, genius_id=9004)
    # The book lists SR id 107 itself (on another date): its Genius-only event is not a second listing.
    insert(conn, S, "sr:match:107", sr_id=107, genius_id=9005)
    insert(conn, P, "p-107", sr_id=107, kickoff=KICKOFF + timedelta(days=3))
    insert(conn, P, "p-dup", genius_id=9005)
    # Two Genius-only events of one book land on one SR id (108) through two Genius ids.
    insert(conn, S, "sr:match:108", sr_id=108, genius_id=9006)
    insert(conn, B, "b-108", sr_id=108, genius_id=9007)
    insert(conn, P, "p-twice-a", genius_id=9006)
    insert(conn, P, "p-twice-b", genius_id=9007)
    # Around midnight: the SR id's carrier kicks off the next day, outside the dates read.
    late_evening = datetime.combine(TOMORROW, time(23, 45), tzinfo=UTC)
    insert(conn, P, "p-midnight", genius_id=9008, kickoff=late_evening)
    insert(conn, S, "sr:match:109", sr_id=109, genius_id=9008, kickoff=late_evening + timedelta(minutes=30))
    # A withdrawn carrier links nothing; Genius ids no listing ties to an SR id link nothing.
    insert(conn, S, "sr:match:110", sr_id=110, genius_id=9009, deleted=True)
    insert(conn, P, "p-orphan", genius_id=9009)
    insert(conn, P, "p-genius-only", genius_id=9010)
    insert(conn, B, "b-genius-only", genius_id=9010)
    insert(conn, B, "b-no-ids")
    # Kicked off already (today, before NOW): not asked, whatever its ids.
    insert(conn, P, "p-past", sr_id=111, kickoff=NOW - timedelta(hours=1))
    return conn


def test_listings_are_asked_under_their_own_sr_id_or_the_one_their_genius_id_links_to(
    catalogue: psycopg.Connection,
) -> None:
    listings = read_capture_listings(catalogue, TODAY, TOMORROW, now=NOW, site_country="ng")
    assert listings.schema == pl.Schema(CAPTURE_LISTINGS_SCHEMA)
    rows = listings.select("book", "event_id", "sr_id", "via_genius", "skipped").rows()
    assert rows == [
        ("bet9ja", "b-108", 108, False, None),
        ("bet9ja", "b-conflict", 103, False, None),
        ("betpawa", "p-conflict", None, True, SKIPPED_SR_CONFLICT),
        ("betpawa", "p-dup", None, True, SKIPPED_OWN_SR_ID),
        ("betpawa", "p-linked", 101, True, None),
        ("betpawa", "p-midnight", 109, True, None),
        ("betpawa", "p-own", 105, False, None),
        ("betpawa", "p-twice-a", None, True, SKIPPED_BOOK_LISTS_TWICE),
        ("betpawa", "p-twice-b", None, True, SKIPPED_BOOK_LISTS_TWICE),
        ("sportybet", "sr:match:101", 101, False, None),
        ("sportybet", "sr:match:102", 102, False, None),
        ("sportybet", "sr:match:106", 106, False, None),
        ("sportybet", "sr:match:107", 107, False, None),
        ("sportybet", "sr:match:108", 108, False, None),
    ]


def test_capture_targets_and_the_genius_count_follow_the_listings(catalogue: psycopg.Connection) -> None:
    listings = read_capture_listings(catalogue, TODAY, TOMORROW, now=NOW, site_country="ng")
    targets = targets_from_frame(listings, now=NOW)
    assert {t.sr_id: {b.value: e for b, e in t.listings.items()} for t in targets} == {
        101: {"sportybet": "sr:match:101", "betpawa": "p-linked"},
        102: {"sportybet": "sr:match:102"},
        103: {"bet9ja": "b-conflict"},
        105: {"betpawa": "p-own"},
        106: {"sportybet": "sr:match:106"},
        107: {"sportybet": "sr:match:107"},
        108: {"sportybet": "sr:match:108", "bet9ja": "b-108"},
        109: {"betpawa": "p-midnight"},
    }
    reach = genius_reach(listings, targets)
    assert reach.by_book == {"betpawa": 2} and reach.listings == 2
    assert reach.skipped == {SKIPPED_BOOK_LISTS_TWICE: 2, SKIPPED_OWN_SR_ID: 1, SKIPPED_SR_CONFLICT: 1}
    narrowed = targets_from_frame(listings, now=NOW, sr_ids=[101, 102])
    assert genius_reach(listings, narrowed).by_book == {"betpawa": 1}


def test_the_kickoff_window_sensor_sees_a_linked_match_through_its_carrier(
    catalogue: psycopg.Connection,
) -> None:
    upcoming = dict(read_upcoming(catalogue, NOW, NOW + timedelta(days=2), site_country="ng"))
    assert upcoming[101] == KICKOFF  # BetPawa's p-linked has no SR id; SportyBet's listing carries it


def test_no_listing_on_dates_without_events(warehouse_conn: psycopg.Connection) -> None:
    listings = read_capture_listings(warehouse_conn, TODAY, TOMORROW, now=NOW, site_country="ng")
    assert listings.height == 0 and listings.schema == pl.Schema(CAPTURE_LISTINGS_SCHEMA)
    with pytest.raises(ValueError, match="before first date"):
        read_capture_listings(warehouse_conn, TOMORROW, TODAY, now=NOW, site_country="ng")
