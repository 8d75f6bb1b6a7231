"""The compact history (0017_compact_history.sql): every real price reads back exactly as the book quoted it,
the market-key dimension holds under concurrent writers, and a price the integer coding cannot hold exactly
is set aside rather than rounded."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.books.saved_response import read_saved_response
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.odds_store import store_odds

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
REAL = [
    (Book.SPORTYBET, "sportybet/event_sr71583282_asian_handicap.json"),
    (Book.SPORTYBET, "sportybet/event_sr71550420_basketball.json"),
    (Book.BETPAWA, "betpawa/v3_event_sr68995116_prematch.json"),
    (Book.BETPAWA, "betpawa/v3_event_sr67645534_live.json"),  # every outcome suspended, some without a price
    (Book.BET9JA, "bet9ja/GetEvent_sr68995116_prematch.json"),
    (Book.BET9JA, "bet9ja/GetEvent_sr71427986_basketball.json"),
]
AT = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)


@pytest.mark.skipif(not CAPTURED.is_dir(), reason=f"captures not found at {CAPTURED} (../shared is absent)")
@pytest.mark.parametrize(("book", "relative"), REAL)
def test_every_real_price_reads_back_exactly_as_parsed(
    warehouse_conn: psycopg.Connection, book: Book, relative: str
) -> None:
    saved = read_saved_response(book, CAPTURED / relative, captured_at=AT)
    rows = saved.odds.rows
    assert rows, "the capture has no keyed row to store"
    stats = store_odds(warehouse_conn, rows, captured={(saved.sr_id, book): AT}, site_country="ng")
    # the parser's own rows are the expectation: each key once (a bet listed twice at one price collapses)
    expected = {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in rows}
    assert not stats.quarantined, stats.quarantined[:3]
    stored = warehouse_conn.execute(
        "SELECT market, specifier, outcome, price, state FROM core.odds_history "
        "WHERE sr_id = %s AND book = %s",
        (saved.sr_id, book.value),
    ).fetchall()
    assert {(m, s, o): (p, st) for m, s, o, p, st in stored} == expected  # float equality: bit for bit
    assert len(stored) == len(expected) == stats.history_rows
    history_rows = warehouse_conn.execute(
        "SELECT count(*) FROM core.odds_changes WHERE sr_id = %s", (saved.sr_id,)
    ).fetchone()
    assert history_rows == (1,)  # one physical row holds the whole capture


def test_two_writers_adding_the_same_new_keys_at_once_share_one_key_each(warehouse_url: str) -> None:
    """Two captures (two books) bring the same 400 never-seen keys at the same moment, each in its own
    transaction: both store, every key exists once, and each book reads back its own prices."""
    keys = [(1000 + m, f"total={m}.5", o) for m in range(200) for o in (12, 13)]
    prices = {Book.SPORTYBET: 1.85, Book.BET9JA: 1.9}
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(book: Book) -> None:
        rows = [OddsRow(7, book, m, s, o, prices[book], "open", AT) for m, s, o in keys]
        try:
            with psycopg.connect(libpq_url(warehouse_url)) as conn, conn.transaction():
                barrier.wait(timeout=30)
                store_odds(conn, rows, captured={(7, book): AT}, site_country="ng")
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(book,)) for book in prices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        dimension = conn.execute(
            "SELECT count(*), count(DISTINCT (market, specifier, outcome)) FROM core.market_keys "
            "WHERE market BETWEEN 1000 AND 1199"
        ).fetchone()
        assert dimension == (len(keys), len(keys))
        for book, price in prices.items():
            read = conn.execute(
                "SELECT market, specifier, outcome, price FROM core.odds_history "
                "WHERE sr_id = 7 AND book = %s",
                (book.value,),
            ).fetchall()
            assert sorted(read) == sorted((m, s, o, price) for m, s, o in keys)


def test_a_price_thousandths_cannot_hold_is_set_aside_not_rounded(warehouse_conn: psycopg.Connection) -> None:
    rows = [
        OddsRow(9, Book.BETPAWA, 1, "", 1, 2.4, "open", AT),
        OddsRow(9, Book.BETPAWA, 1, "", 2, 3.0005, "open", AT),  # four decimals: no book quotes this
        OddsRow(9, Book.BETPAWA, 1, "", 3, 3_000_000.0, "open", AT),  # past what int4 thousandths hold
    ]
    stats = store_odds(warehouse_conn, rows, captured={(9, Book.BETPAWA): AT}, site_country="ng")
    assert [q.kind for q in stats.quarantined] == ["bad_price", "bad_price"]
    stored = warehouse_conn.execute("SELECT outcome, price FROM core.odds_history WHERE sr_id = 9").fetchall()
    assert stored == [(1, 2.4)]
