"""Every book withdraws an event it no longer lists, never one it still shows: over real sockets against the
sandbox and a real warehouse, an event the book does not know is withdrawn at the second miss, its detail
asked once first where the book's lists give no counts (``lists_give_counts``), never where they do; and a
detail that cannot be read (a replay the archive never held) proves nothing: its sport is held. The truth is
the sandbox world's own listing, never the code under test."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import psycopg

from palimpsest_pipeline.books.adapter import CatalogueParts
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import default_settings
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.scrape.archive.requests import ArchiveTransport, replay_settings
from palimpsest_pipeline.scrape.withdrawal_confirmation import confirm_withdrawals
from palimpsest_pipeline.warehouse.catalogue_store import store_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.conformance.book_kits import TestKit
from palimpsest_pipeline_tests.conformance.refresh import refresh, stored_events, world_events
from palimpsest_pipeline_tests.scrape.sandbox_refresh import DATES
from palimpsest_sandbox.server import SandboxHandle


def test_an_event_the_book_no_longer_knows_is_withdrawn_at_the_second_miss(
    sandbox: SandboxHandle, warehouse_url: str, book: Book, kit: TestKit
) -> None:
    truth = set(world_events(sandbox, book))
    assert refresh(sandbox, warehouse_url, book, "clean").scrape.status == "ok"
    gone_id = "990000001"
    assert gone_id not in truth
    gone = Event(
        book=book, event_id=gone_id, sr_id=990000001, home="Gone FC", away="Away FC",
        kickoff=sandbox.now() + timedelta(days=1), tournament_id="t-gone", tournament_name="Gone League",
        country="Nowhere", sport="football",
    )  # fmt: skip
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        store_catalogue(
            conn, book=book, site_country=kit.site_country, tournaments=[], events=[gone], dates=DATES,
            captured_at=sandbox.now() - timedelta(minutes=5), batch_id=None, complete=False,
        )  # fmt: skip
    sandbox.reset_stats()
    first = refresh(sandbox, warehouse_url, book, "miss-1")
    assert first.stats.deleted == 0 and first.stats.missed == 1
    assert sandbox.served(book, outcome="not_found") == 0  # not at risk yet: no detail asked
    second = refresh(sandbox, warehouse_url, book, "miss-2")
    assert second.stats.deleted == 1 and not second.scrape.held_sports
    asked = 0 if KITS[book].adapter().lists_give_counts else 1
    assert sandbox.served(book, outcome="not_found") == asked  # its detail, asked once, said it is gone
    assert stored_events(warehouse_url, book) == (truth, {gone_id})


def test_a_detail_that_cannot_be_read_holds_its_sport(book: Book, kit: TestKit) -> None:
    """A replay asking for a detail the live run never archived gets no answer, not a "not found"."""
    settings = replay_settings(default_settings(book, kit.site_country))
    adapter = KITS[book].adapter()
    parts = CatalogueParts()
    transport = ArchiveTransport({}, base_url=settings.base_url)

    async def confirm() -> None:
        async with BookClient(settings, adapter.wire(settings), transport=transport) as client:
            await confirm_withdrawals(client, adapter, parts, dict.fromkeys(kit.unknown_event_ids, "tennis"))

    asyncio.run(confirm())
    assert list(parts.held_sports) == ["tennis"]
    assert "could not be read" in parts.held_sports["tennis"]
    assert kit.unknown_event_ids[0] in parts.held_sports["tennis"]
    assert len(transport.missing) == 2
