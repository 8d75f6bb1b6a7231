"""A list wrapper that cannot be read costs itself, never its sport's list, on the books that came after the
rule was first written (MSport, Betway), over real sockets against the sandbox (``bad_wrapper``) and a real
warehouse. The rule is the shared flow's (``books.adapter.read_wrapped_rows``).

Before, one tournament wrapper without its name failed MSport's whole page, and one region without its name
Betway's whole sport: the scrape ``failed``, nothing of the sport updated. The truth is the sandbox world's
own listing, and the region the sandbox's own answer left unnamed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.books.betway.catalogue import ADAPTER as BETWAY
from palimpsest_pipeline.books.betway.catalogue import regions_request
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter, fast_book_settings, sandbox_test_config
from palimpsest_pipeline_tests.scrape.sandbox_refresh import SPORTS, catalogue_refresher
from palimpsest_sandbox import start_in_thread
from palimpsest_sandbox.server import SandboxHandle

#: What each book's wrapper is called in the reason it is set aside with, and what the fault took from it.
WRAPPERS = {
    Book.MSPORT: ("tournament wrapper", ".tournament: missing"),
    Book.BETWAY: ("region", ".name: missing"),
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    """A world smaller than the session's: each refresh lists all of it."""
    with start_in_thread(sandbox_test_config(size=120)) as handle:
        yield handle


def _unnamed_regions(sandbox: SandboxHandle) -> dict[str, str]:
    """Per sport, the region Betway's regions answer names without its name (the fault on)."""
    settings = fast_book_settings(sandbox, [Book.BETWAY])[Book.BETWAY]

    async def fetch(sport: str) -> Any:
        async with BookClient(settings, BETWAY.wire(settings)) as client:
            return (await client.fetch(regions_request(sport_by_key(sport)), lambda data: data)).value

    unnamed = {}
    for sport in SPORTS:
        [region] = [r["regionId"] for r in asyncio.run(fetch(sport))["regions"] if "name" not in r]
        unnamed[sport] = str(region)
    return unnamed


def _events(warehouse_url: str, book: Book) -> tuple[set[str], set[str]]:
    """(live, withdrawn) event ids of ``book`` in the warehouse."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT event_id, deleted_at IS NOT NULL FROM core.events WHERE book = %s", (book.value,)
        ).fetchall()
    return {e for e, gone in rows if not gone}, {e for e, gone in rows if gone}


def _set_aside(warehouse_url: str, book: Book) -> list[str]:
    """The reasons of ``book``'s list rows set aside in the warehouse."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT reason FROM core.quarantined_rows WHERE book = %s AND stage = 'catalogue'", (book.value,)
        ).fetchall()
    return [reason for (reason,) in rows]


@pytest.mark.parametrize("book", list(WRAPPERS))
def test_a_bad_wrapper_costs_itself_and_the_sports_other_events_are_stored(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter, book: Book
) -> None:
    refresh = catalogue_refresher(sandbox, warehouse_url)
    world = {
        sport: {
            e.record(book).event_id: e.record(book)
            for e in sandbox.world.listed_events(book, sandbox.now(), sport=sport)
        }
        for sport in SPORTS
    }
    assert refresh(book, "clean").scrape.status == "ok"
    every = {event_id for events in world.values() for event_id in events}
    assert _events(warehouse_url, book) == (every, set())

    sandbox_faults(book, bad_wrapper=1.0)
    # MSport's rows name their own tournament: every one is still read; Betway's leagues need their region's
    # id, so the unnamed region's events are not listed (and, its sport held, not withdrawn)
    unnamed = _unnamed_regions(sandbox) if book is Book.BETWAY else {}
    lost = {
        i for sport, events in world.items() for i, e in events.items() if e.country_id == unnamed.get(sport)
    }
    assert bool(lost) == (book is Book.BETWAY)
    label, missing = WRAPPERS[book]
    for n in (1, 2):
        faulted = refresh(book, f"bad-wrapper-{n}")
        assert faulted.scrape.status == "ok" and faulted.refreshed, faulted.scrape.error_messages
        assert {e.event_id for e in faulted.scrape.events} == every - lost  # the others, stored
        assert set(SPORTS) <= faulted.scrape.incomplete_sports and faulted.stats.deleted == 0
    assert sandbox.served(book, outcome="bad_wrapper") > 0
    assert _events(warehouse_url, book) == (every, set())  # nothing withdrawn
    wrappers = [reason for reason in _set_aside(warehouse_url, book) if reason.startswith(f"{label}: ")]
    assert wrappers and all(missing in reason for reason in wrappers)
