"""Nigeria's five books end to end: one Dagster run of the catalogue and odds assets against the sandbox
stores MSport's and Betway's events and prices beside the first three books', and the comparison weighs all
five.
Every expectation comes from the sandbox's world (what each book lists and quotes at the run's instant)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import psycopg
import pytest

from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import DAY as MATERIALIZED_DAY
from palimpsest_pipeline_tests.defs.conftest import MaterializedDay
from palimpsest_pipeline_tests.defs.world_truth import truth_matches
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, sandbox_test_config
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.markets import book_prices
from palimpsest_sandbox.markets.pricing import BookPrices

pytestmark = pytest.mark.slow

AT = SANDBOX_TEST_INSTANT
DAY = date.fromisoformat(MATERIALIZED_DAY)
NEW_BOOKS = (Book.MSPORT, Book.BETWAY)
HOME_WIN = (1, "", 1)


def _listed(sandbox: SandboxHandle, book: Book) -> list[WorldEvent]:
    return [e for e in sandbox.world.listed_events(book, AT) if e.kickoff.date() == DAY]


def _quoted(event: WorldEvent, book: Book) -> BookPrices:
    version = event.price_version(book, AT, sandbox_test_config().reprice_scale)
    return book_prices(book, event.match_seed, version, event.sport)


def test_msport_and_betway_are_stored_and_compared_beside_the_first_three(
    sandbox: SandboxHandle, day_warehouse_url: str, materialized_day: MaterializedDay
) -> None:
    warehouse_url = day_warehouse_url  # a copy of the run of every asset for DAY
    assert materialized_day.result.success
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        events = conn.execute(
            "SELECT book, event_id, sr_id, home, away, kickoff, sport FROM core.events"
            " WHERE kickoff_date = %s AND deleted_at IS NULL",
            (DAY,),
        ).fetchall()
        prices = conn.execute(
            "SELECT book, sr_id, market, specifier, outcome, price FROM analytics.outcome_prices"
            " WHERE kickoff_date = %s AND site_country = 'ng' AND price IS NOT NULL",
            (DAY,),
        ).fetchall()
        compared = conn.execute(
            "SELECT sr_id, best_price, books_offering, best_books FROM analytics.outcome_comparison"
            " WHERE kickoff_date = %s AND site_country = 'ng' AND (market, specifier, outcome) = (1, '', 1)",
            (DAY,),
        ).fetchall()
        runs = dict(conn.execute("SELECT book, status FROM core.book_runs").fetchall())

    assert runs == {book.value: "ok" for book in NIGERIA_BOOKS}
    # Events: exactly what each new book lists on the day, as the world writes its records.
    for book in NEW_BOOKS:
        stored = {(e, s, h, a, k, sp) for b, e, s, h, a, k, sp in events if b == book.value}
        expected = {
            (r.event_id, r.sr_id, r.home, r.away, r.kickoff, r.sport)
            for r in (event.record(book) for event in _listed(sandbox, book))
        }
        assert expected and stored == expected, book

    # Prices: every stored price of a new book under a UOF key is the one it quotes there (the world prices
    # UOF markets; a bet UOF lacks is keyed by the project's own ids), and each of its matches is priced.
    by_sr = {book: {e.visible_sr_id(book): e for e in _listed(sandbox, book)} for book in NIGERIA_BOOKS}
    for book in NEW_BOOKS:
        mine = [row for row in prices if row[0] == book.value]
        assert {row[1] for row in mine} == set(by_sr[book]) - {None}, book
        uof = [row for row in mine if row[2] < FIRST_NATIVE_ID]
        assert len(uof) > 0.5 * len(mine), book
        for _, sr_id, market, specifier, outcome, price in uof:
            assert _quoted(by_sr[book][sr_id], book)[market, specifier, outcome][0] == price, (book, sr_id)

    # The comparison: each match's home win weighed over every book quoting it open, MSport and Betway too,
    # a book joining the match through the Genius id (BetPawa without the SR id) included.
    offered: dict[int, dict[Book, float]] = defaultdict(dict)
    for match in truth_matches(sandbox.world, AT, [DAY]):
        event = match.world_event
        if len(match.books) == 1 and event.visible_sr_id(next(iter(match.books))) is None:
            continue  # a listing that joins no match: captured under no SR id
        for book in match.books:
            price, state = _quoted(event, book).get(HOME_WIN, (None, "closed"))
            if state == "open" and price is not None:
                offered[event.sr_id][book] = price
    assert compared
    for sr_id, best_price, books_offering, best_books in compared:
        quotes = offered[sr_id]
        assert books_offering == len(quotes), sr_id
        assert best_price == (max(quotes.values()) if quotes else None), sr_id
        assert set(best_books or ()) == {b.value for b, p in quotes.items() if p == best_price}, sr_id
    assert set(NEW_BOOKS) <= {book for sr_id, *_ in compared for book in offered[sr_id]}
    best = {book for *_, books in compared for book in books or ()}
    assert best & {
        b.value for b in NEW_BOOKS
    }  # a new book is somewhere the best price (the world says MSport)
