"""A book whose lists give no counts (Betway) has each withdrawal confirmed by the event's detail
(scrape/withdrawal_confirmation.py), over real sockets against the sandbox and a real warehouse: lists shrunk
to half withdraw nothing the book still shows. An event the book no longer knows, and a detail that cannot be
read, are judged for every book in conformance/test_withdrawal_confirmation.py.

The truth is the sandbox world's own listing, never the code under test.
"""

from __future__ import annotations

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.withdrawal import WithdrawalPolicy
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_pipeline_tests.scrape.sandbox_refresh import DATES, SPORTS, catalogue_refresher
from palimpsest_sandbox.server import SandboxHandle

#: The books whose halved list answers lose events: MSport's cursor serves what a halved page left out on
#: its next page, so its shrunken lists are whole (test_catalogue_holds).
SHRINKING = [Book.BETWAY]


def _world(sandbox: SandboxHandle, book: Book) -> set[str]:
    """``book``'s event ids of the scraped sports kicking off on the dates that the world lists now."""
    wanted = set(DATES)
    return {
        event.record(book).event_id
        for sport in SPORTS
        for event in sandbox.world.listed_events(book, sandbox.now(), sport=sport)
        if event.record(book).kickoff.date() in wanted
    }


def _stored(warehouse_url: str, book: Book) -> tuple[set[str], set[str]]:
    """(live, withdrawn) event ids of ``book`` in the warehouse."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT event_id, deleted_at IS NOT NULL FROM core.events WHERE book = %s", (book.value,)
        ).fetchall()
    return {e for e, gone in rows if not gone}, {e for e, gone in rows if gone}


@pytest.mark.parametrize("book", SHRINKING)
def test_lists_shrunk_to_half_withdraw_nothing_the_book_still_shows(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter, book: Book
) -> None:
    """With every event at risk on the first miss (``withdraw_after`` 1), a halved list answer would
    withdraw half the catalogue: each left-out event's detail still answers, so its sport is held."""
    refresh = catalogue_refresher(
        sandbox, warehouse_url, WithdrawalPolicy(withdraw_after=1, max_drop_share=1.0)
    )
    truth = _world(sandbox, book)
    assert refresh(book, "clean").scrape.status == "ok"
    assert _stored(warehouse_url, book) == (truth, set())

    sandbox_faults(book, shrunken_catalogue=1.0)
    short = refresh(book, "short")
    assert short.refreshed and short.stats.deleted == 0
    assert len(short.scrape.events) < len(truth)  # the lists were short indeed
    shown = [w for w in short.scrape.warnings if "their detail still shows" in w]
    assert shown, short.scrape.warnings
    assert any(m.startswith("stale sport ") and "still shows" in m for m in short.scrape.error_messages)
    assert _stored(warehouse_url, book) == (truth, set())
    assert sandbox.served(book, outcome="not_found") == 0


@pytest.mark.parametrize("book", SHRINKING)
def test_two_short_lists_in_a_row_withdraw_nothing(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter, book: Book
) -> None:
    """``make chaos``'s shrunken catalogue: the default policy, every list answer halved twice in a row."""
    refresh = catalogue_refresher(sandbox, warehouse_url, WithdrawalPolicy())
    truth = _world(sandbox, book)
    assert refresh(book, "clean").scrape.status == "ok"
    sandbox_faults(book, shrunken_catalogue=1.0)
    for n in (1, 2):
        assert refresh(book, f"short-{n}").stats.deleted == 0
    assert _stored(warehouse_url, book) == (truth, set())
