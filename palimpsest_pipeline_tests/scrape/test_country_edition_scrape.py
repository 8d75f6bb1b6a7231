"""The pipeline's own adapters read a Ghana edition of each book served by the sandbox, through the settings
a Ghana scrape uses (the edition's headers and parameters), and find exactly the world's Ghana listing."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from palimpsest_pipeline.books.adapter import Window
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.registry import adapter_for
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import SPORTS
from palimpsest_pipeline.records import Book, Event
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.domestic import LEAGUES

GHANA_BOOKS = [Book.BETPAWA, Book.SPORTYBET, Book.MSPORT, Book.BETWAY, Book.BETIKA]


def _keys(events: Any) -> set[tuple[Any, ...]]:
    return {(e.event_id, e.sr_id, e.home, e.away, e.kickoff, e.tournament_id, e.country) for e in events}


def _scrape(sandbox: SandboxHandle, book: Book, country: str) -> list[Event]:
    settings = BookSettings(
        book=book,
        base_url=sandbox.edition_urls[(book, country)],
        site_country=country,
        max_attempts=6,
        backoff_base_s=0.01,
        backoff_cap_s=0.05,
        read_timeout_s=60.0,
    )
    adapter = adapter_for(book)
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
