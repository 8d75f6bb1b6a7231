"""A list row that cannot be read is set aside naming its event, on every book, over real sockets.

The sandbox serves each book's lists with a row whose names are gone, or (Bet9ja) one value of each answer
made hostile (the wrong type, or a 40 kB run of digits where a name belongs). The expectation is the clean
scrape of the same world: every event it lists that the hostile scrape does not is named (event id, and SR
id where the row still gives one) by a row set aside with its reason, and the store records each in
``core.quarantined_rows`` beside the listings, where a reader (and ``make chaos``) ties the missing event to
why. Before, the row went to ``core.quarantine`` with no event: the event and its prices were lost without a
reason anyone could find.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline.scrape.catalogue_judgement import store_judged
from palimpsest_pipeline.warehouse.withdrawal import WithdrawalPolicy
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.stored import start_batch
from palimpsest_sandbox.server import SandboxHandle

SPORTS = ["football", "basketball", "tennis"]


def _scrape(sandbox: SandboxHandle, book: Book) -> CatalogueScrape:
    settings = fast_book_settings(sandbox)[book]
    return asyncio.run(
        scrape_catalogue(book, settings, sports=SPORTS, horizon=timedelta(days=3), now=sandbox.now())
    )


#: Each book's first list row without its names (every answer), and Bet9ja's lists with one hostile value
#: in each answer (where ``make chaos`` found its events lost without a reason).
FAULTS = [
    *((book, {"bad_list_row": 1.0}) for book in NIGERIA_BOOKS),
    (Book.BET9JA, {"hostile_values": 1.0, "hostile_kind": "wrong_type"}),
    (Book.BET9JA, {"hostile_values": 1.0, "hostile_kind": "long_digits"}),
]


@pytest.mark.parametrize(("book", "faults"), FAULTS, ids=lambda v: v.value if isinstance(v, Book) else "-")
def test_an_unreadable_list_row_names_its_event_and_is_stored_beside_the_listings(
    sandbox: SandboxHandle,
    sandbox_faults: FaultSetter,
    warehouse_conn: psycopg.Connection,
    book: Book,
    faults: dict[str, object],
) -> None:
    clean = {event.event_id: event for event in _scrape(sandbox, book).events}
    sandbox_faults(book, **faults)
    hostile = _scrape(sandbox, book)
    missing = set(clean) - {event.event_id for event in hostile.events}
    assert missing, "no list row was made unreadable: the fault tested nothing"
    named = {row.event_id: row for row in hostile.set_aside_rows if row.event_id is not None}
    nameless = [row for row in hostile.set_aside_rows if row.event_id is None]
    # an event is missing only when its own row was set aside naming it, or when the hostile value was its id
    assert missing <= set(named) or nameless, (sorted(missing - set(named))[:5], hostile.error_messages[:3])
    for event_id in missing & set(named):
        row = named[event_id]
        assert row.stage == "catalogue" and row.kind == "unreadable_row" and row.book == book.value
        assert row.reason and len(row.reason) < 2_000  # the 40 kB value is never echoed whole
        if row.sr_id is not None:
            assert row.sr_id == clean[event_id].sr_id
    for event_id in missing - set(named):  # the id itself was the hostile value: the row could not say it
        assert clean[event_id].sport in hostile.held_sports

    start_batch(warehouse_conn, started_at=sandbox.now(), batch_id="hostile-list", site_country="ng")
    store_judged(
        warehouse_conn, hostile, sports=SPORTS, dates=sorted({e.kickoff.date() for e in clean.values()}),
        captured_at=sandbox.now(), policy=WithdrawalPolicy(), batch_id="hostile-list",
    )  # fmt: skip
    stored = {
        event_id: (sr_id, reason)
        for event_id, sr_id, reason in warehouse_conn.execute(
            "SELECT event_id, sr_id, reason FROM core.quarantined_rows "
            "WHERE batch_id = 'hostile-list' AND stage = 'catalogue' AND kind = 'unreadable_row' "
            "AND book = %s",
            (book.value,),
        )
    }
    assert {e for e in stored if e is not None} == set(named)
    for event_id in missing & set(named):
        assert stored[event_id][0] == named[event_id].sr_id
    # nothing the scrape could not read is withdrawn: its sport is held
    assert not warehouse_conn.execute(
        "SELECT 1 FROM core.events WHERE book = %s AND deleted_at IS NOT NULL", (book.value,)
    ).fetchone()
