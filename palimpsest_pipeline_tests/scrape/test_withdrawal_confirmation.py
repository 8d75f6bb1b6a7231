"""A book whose lists give no counts (MSport, Betway) has each withdrawal confirmed by the event's detail
(scrape/withdrawal_confirmation.py), over real sockets against the sandbox and a real warehouse: lists shrunk
to half withdraw nothing the book still shows, an event the book no longer knows is still withdrawn, and an
answer that cannot be read (a detail the archive never held) proves nothing.

The truth is the sandbox world's own listing, never the code under test.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import psycopg
import pytest

from palimpsest_pipeline.books.adapter import CatalogueParts
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import default_settings
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.scrape.archive.requests import ArchiveTransport, replay_settings
from palimpsest_pipeline.scrape.withdrawal_confirmation import confirm_withdrawals
from palimpsest_pipeline.warehouse.catalogue_store import WithdrawalPolicy, store_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_pipeline_tests.scrape.every_book import BOOKS_WITHOUT_COUNTS
from palimpsest_pipeline_tests.scrape.sandbox_refresh import DATES, SPORTS, catalogue_refresher
from palimpsest_sandbox.server import SandboxHandle

WITHOUT_COUNTS = sorted(BOOKS_WITHOUT_COUNTS)
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


@pytest.mark.parametrize("book", WITHOUT_COUNTS)
def test_an_event_the_book_no_longer_knows_is_withdrawn_after_its_detail_says_so(
    sandbox: SandboxHandle, warehouse_url: str, book: Book
) -> None:
    refresh = catalogue_refresher(sandbox, warehouse_url, WithdrawalPolicy())
    truth = _world(sandbox, book)
    assert refresh(book, "clean").scrape.status == "ok"
    gone_id = "990000001"
    assert gone_id not in truth
    gone = Event(
        book=book, event_id=gone_id, sr_id=990000001, home="Gone FC", away="Away FC",
        kickoff=sandbox.now() + timedelta(days=1), tournament_id="t-gone", tournament_name="Gone League",
        country="Nowhere", sport="football",
    )  # fmt: skip
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        store_catalogue(
            conn, book=book, site_country="ng", tournaments=[], events=[gone], dates=DATES,
            captured_at=sandbox.now() - timedelta(minutes=5), batch_id=None, complete=False,
        )  # fmt: skip
    sandbox.reset_stats()
    first = refresh(book, "miss-1")
    assert first.stats.deleted == 0 and first.stats.missed == 1
    assert sandbox.served(book, outcome="not_found") == 0  # not at risk yet: no detail asked
    second = refresh(book, "miss-2")
    assert second.stats.deleted == 1 and not second.scrape.held_sports
    assert sandbox.served(book, outcome="not_found") == 1  # its detail, asked once, said it is gone
    assert _stored(warehouse_url, book) == (truth, {gone_id})


@pytest.mark.parametrize("book", WITHOUT_COUNTS)
def test_a_detail_that_cannot_be_read_holds_its_sport(book: Book) -> None:
    """A replay asking for a detail the live run never archived gets no answer, not a "not found"."""
    settings = replay_settings(default_settings(book))
    adapter = KITS[book].adapter()
    parts = CatalogueParts()
    transport = ArchiveTransport({}, base_url=settings.base_url)

    async def confirm() -> None:
        async with BookClient(settings, adapter.wire(settings), transport=transport) as client:
            await confirm_withdrawals(client, adapter, parts, {"123": "tennis", "456": "tennis"})

    asyncio.run(confirm())
    assert list(parts.held_sports) == ["tennis"]
    assert "could not be read" in parts.held_sports["tennis"] and "123" in parts.held_sports["tennis"]
    assert len(transport.missing) == 2
