"""The pipeline's own adapters read a Ghana edition of each book served by the sandbox, through the settings
a Ghana scrape uses (the edition's headers and parameters), and find exactly the world's Ghana listing; its
live adapters find exactly what the world has live on that edition."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from palimpsest_pipeline.books.adapter import Window
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import SPORTS
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.domestic import LEAGUES

GHANA_BOOKS = [Book.BETPAWA, Book.SPORTYBET, Book.MSPORT, Book.BETWAY, Book.BETIKA]


def _keys(events: Any) -> set[tuple[Any, ...]]:
    return {(e.event_id, e.sr_id, e.home, e.away, e.kickoff, e.tournament_id, e.country) for e in events}


def _settings(sandbox: SandboxHandle, book: Book, country: str) -> BookSettings:
    return BookSettings(
        book=book,
        base_url=sandbox.edition_urls[(book, country)],
        site_country=country,
        max_attempts=6,
        backoff_base_s=0.01,
        backoff_cap_s=0.05,
        read_timeout_s=60.0,
    )


def _scrape(sandbox: SandboxHandle, book: Book, country: str) -> list[Event]:
    settings = _settings(sandbox, book, country)
    adapter = KITS[book].adapter()
    now = sandbox.now()

    async def scrape() -> Any:
        async with BookClient(settings, adapter.wire(settings)) as client:
            return await adapter.list_catalogue(client, SPORTS, Window(now, timedelta(days=14)))

    parts = asyncio.run(scrape())
    assert not parts.failures and not parts.bad_rows, (parts.failures, parts.bad_rows)
    return list(parts.events)


@pytest.mark.parametrize("book", GHANA_BOOKS)
def test_the_adapter_reads_exactly_the_world_s_ghana_listing(sandbox: SandboxHandle, book: Book) -> None:
    found = _scrape(sandbox, book, "gh")
    expected = sandbox.world_of("gh").listed(book, sandbox.now())
    assert _keys(found) == _keys(expected)
    assert len(found) == len(expected)
    assert any(e.tournament_name in LEAGUES["gh"].leagues for e in expected)  # Ghana's own leagues are in it
    kenyan = {name for name in LEAGUES["ke"].leagues}
    assert not any(e.tournament_name in kenyan for e in found)


@pytest.mark.parametrize("book", GHANA_BOOKS)
def test_the_live_adapter_reads_what_the_world_has_live_on_the_ghana_edition(
    sandbox_clock: SandboxHandle, book: Book
) -> None:
    saturday = SANDBOX_TEST_INSTANT + timedelta(days=5, hours=3, minutes=45)  # Ghana's league in play
    sandbox_clock.set_clock(saturday, frozen=True)
    live_adapter = KITS[book].live_adapter()
    settings = live_adapter.live_settings(_settings(sandbox_clock, book, "gh"))

    async def scrape() -> Any:
        async with BookClient(settings, live_adapter.wire(settings)) as client:
            return await live_adapter.list_live(client, SPORTS)

    parts = asyncio.run(scrape())
    expected = sandbox_clock.world_of("gh").live_events(book, sandbox_clock.now())
    nigeria = sandbox_clock.world.live_events(book, sandbox_clock.now())
    assert len(expected) >= 2 and {e.uid for e in expected} != {e.uid for e in nigeria}
    assert not parts.bad_rows
    assert {(r.event.sr_id, r.event.kickoff) for r in parts.events} == {
        (e.sr_id, e.kickoff) for e in expected
    }
