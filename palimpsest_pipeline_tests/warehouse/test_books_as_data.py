"""A book is data in the warehouse: columns naming a book refer to core.books, which migrate fills from the
registry, so a new book needs no migration and a misspelt one is refused."""

from __future__ import annotations

import psycopg
import pytest

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate

#: Every book palimpsest_pipeline.records.Book names, written out by hand.
REGISTERED = {"betpawa", "sportybet", "bet9ja", "msport", "betway", "betika"}


def _insert_run(conn: psycopg.Connection, book: str) -> None:
    conn.execute(
        "INSERT INTO core.unmapped_markets (batch_id, book, market_key, outcomes) VALUES ('b', %s, 'x', 1)",
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
