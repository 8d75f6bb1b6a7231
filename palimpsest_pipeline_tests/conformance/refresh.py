"""One book's football catalogue refreshed from the sandbox into a real warehouse, as the catalogue asset does
(``refresh_catalogue``), in the edition its test kit names; and what the warehouse and the world then hold."""

from __future__ import annotations

import asyncio

import psycopg

from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.scrape.catalogue_refresh import CatalogueRefresh, refresh_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.withdrawal import WithdrawalPolicy
from palimpsest_pipeline_tests.conformance.book_kits import book_settings
from palimpsest_pipeline_tests.scrape.sandbox_refresh import DATES, HORIZON
from palimpsest_sandbox import SandboxHandle

#: One sport is enough: each refresh lists the whole sport.
SPORTS = ["football"]


def refresh(sandbox: SandboxHandle, warehouse_url: str, book: Book, batch_id: str) -> CatalogueRefresh:
    """One refresh of ``book``'s football over the test dates, at the sandbox's now."""

    def connect(*, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(libpq_url(warehouse_url), autocommit=autocommit)

    return asyncio.run(
        refresh_catalogue(
            connect, book, book_settings(sandbox, book), sports=SPORTS, horizon=HORIZON, now=sandbox.now(),
            dates=DATES, batch_id=batch_id, trigger="test", policy=WithdrawalPolicy(),
        )
    )  # fmt: skip


def stored_events(warehouse_url: str, book: Book) -> tuple[set[str], set[str]]:
    """(live, withdrawn) event ids of ``book`` in the warehouse."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT event_id, deleted_at IS NOT NULL FROM core.events WHERE book = %s", (book.value,)
        ).fetchall()
    return {e for e, gone in rows if not gone}, {e for e, gone in rows if gone}


def world_events(sandbox: SandboxHandle, book: Book) -> dict[str, Event]:
    """``book``'s events of the refreshed sports kicking off on the refreshed dates, by event id."""
    records = (
        event.record(book)
        for sport in SPORTS
        for event in sandbox.world.listed_events(book, sandbox.now(), sport=sport)
    )
    return {record.event_id: record for record in records if record.kickoff.date() in set(DATES)}
