"""A book is data in the warehouse: columns naming a book refer to core.books, which migrate fills from the
registry, so a new book needs no migration and a misspelt one is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from palimpsest_pipeline.derive.coverage import read_matched_listings
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.warehouse.match_rows import insert_match

#: Every book palimpsest_pipeline.records.Book names, written out by hand.
REGISTERED = {"betpawa", "sportybet", "bet9ja", "msport", "betway", "betika"}


def _insert_run(conn: psycopg.Connection, book: str) -> None:
    conn.execute(
        "INSERT INTO core.unmapped_markets (batch_id, book, market_key, outcomes, site_country) "
        "VALUES ('b', %s, 'x', 1, 'ng')",
        (book,),
    )


def test_every_registered_book_is_known_and_a_new_one_needs_no_migration(
    warehouse_url: str, reader_password: str
) -> None:
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        assert {b for (b,) in conn.execute("SELECT book FROM core.books")} == REGISTERED
        _insert_run(conn, "msport")  # a book the first migrations never spelt
        conn.execute("DELETE FROM core.books WHERE book = 'betway'")  # as if betway were new in the registry
    migrate(warehouse_url, password=reader_password)
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        assert {b for (b,) in conn.execute("SELECT book FROM core.books")} == REGISTERED
        _insert_run(conn, "betway")
        _insert_run(conn, "betika")  # added by a registry entry alone (docs/adding-a-book.md)


def test_a_book_no_one_registered_is_refused(warehouse_conn: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="betpawa_typo"):
        _insert_run(warehouse_conn, "betpawa_typo")
    (checks,) = warehouse_conn.execute(
        "SELECT count(*) FROM pg_constraint WHERE pg_get_constraintdef(oid) ~ '''bet9ja''::text'"
    ).fetchone() or (None,)
    assert checks == 0  # no CHECK left spelling the first three books


def test_a_betika_listing_in_kenya_is_stored_and_read_with_no_migration(
    warehouse_conn: psycopg.Connection,
) -> None:
    """Betika joined by its registry entry alone: its listing is stored and the matched listings read it."""
    kickoff = datetime(2026, 5, 13, 19, 0, tzinfo=UTC)
    insert_match(
        warehouse_conn, 70784812, kickoff, {"betpawa": "b1", "betika": "14:222:10846988"}, site_country="ke"
    )
    kenya = read_matched_listings(warehouse_conn, [kickoff.date()], "ke")
    assert kenya.select("sr_id", "on_betpawa", "on_betika", "on_msport").rows() == [
        (70784812, True, True, False)
    ]
