"""Inputs the stores cannot take are refused with an error naming what and where, and nothing is written:
a capture key that is no (sr_id, book) pair, a status outside the log's, a batch with no id, a date range
that ends before it starts, suspects of a pair not captured."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.reader import iter_event_bodies
from palimpsest_pipeline.warehouse.archive.records import ArchiveError
from palimpsest_pipeline.warehouse.capture_log import record_captures, record_unmapped, store_market_suspects
from palimpsest_pipeline.warehouse.catalogue_store import read_live_events
from palimpsest_pipeline.warehouse.odds_store import OddsInputError, store_odds

AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _stored(conn: psycopg.Connection) -> tuple[int, int]:
    prices = conn.execute("SELECT count(*) FROM core.odds_confirmed").fetchone()
    captures = conn.execute("SELECT count(*) FROM core.odds_captures").fetchone()
    assert prices is not None and captures is not None
    return prices[0], captures[0]


@pytest.mark.parametrize(
    ("captured", "said"),
    [
        ({(0, "betpawa"): AT}, "captured pair (0, betpawa): sr_id must be a positive int"),
        ({(5, "nobook"): AT}, "captured pair (5, nobook): unknown book"),
        ({5: AT}, "captured keys must be (sr_id, book) pairs, got 5"),
    ],
)
def test_store_odds_refuses_a_capture_key_that_is_no_pair(
    warehouse_conn: psycopg.Connection, captured: dict[object, datetime], said: str
) -> None:
    with pytest.raises(OddsInputError, match=said.replace("(", r"\(").replace(")", r"\)")):
        store_odds(warehouse_conn, [], site_country="NG", captured=captured)  # type: ignore[arg-type]
    assert _stored(warehouse_conn) == (0, 0)


def test_the_capture_log_refuses_a_status_outside_its_own_and_a_batch_with_no_id(
    warehouse_conn: psycopg.Connection,
) -> None:
    outcome = SimpleNamespace(
        sr_id=7, book=Book.BETPAWA, status="lost", reason=None, sent_at=None, received_at=None, odds=None
    )
    with pytest.raises(OddsInputError, match="sr_id 7 on betpawa: status 'lost' is not one of"):
        record_captures(warehouse_conn, batch_id="batch-1", site_country="NG", cycle_at=AT, results=[outcome])
    with pytest.raises(OddsInputError, match="record_captures: batch_id must not be empty"):
        record_captures(warehouse_conn, batch_id="", site_country="NG", cycle_at=AT, results=[])
    with pytest.raises(OddsInputError, match="record_unmapped: batch_id must not be empty"):
        record_unmapped(warehouse_conn, batch_id="", site_country="NG", unmapped={})
    assert _stored(warehouse_conn) == (0, 0)


def test_a_date_range_ending_before_it_starts_is_refused_not_read_as_empty(
    warehouse_conn: psycopg.Connection,
) -> None:
    with pytest.raises(ValueError, match="read_live_events: end 2026-11-26 is before start 2026-11-27"):
        read_live_events(warehouse_conn, date(2026, 11, 27), date(2026, 11, 26), site_country="NG")
    with pytest.raises(ArchiveError, match="iter_event_bodies: end 2026-11-26 is before start 2026-11-27"):
        list(iter_event_bodies(warehouse_conn, date(2026, 11, 27), date(2026, 11, 26), site_country="NG"))


def test_suspects_of_a_pair_not_captured_are_refused(warehouse_conn: psycopg.Connection) -> None:
    with pytest.raises(ValueError, match=r"\(9, betpawa\) has suspects but no capture"):
        store_market_suspects(
            warehouse_conn,
            {(8, Book.BETPAWA): AT},
            {(9, Book.BETPAWA): [(1, "", "margin", "sum 1.4")]},
            site_country="NG",
        )
    assert warehouse_conn.execute("SELECT count(*) FROM core.market_suspects").fetchone() == (0,)
