"""Every book's live-list adapter, over a real socket, lists what the sandbox world has in play on the book
that evening: each match with its SR id, teams, kick-off and country's id, nothing set aside, its lines
counted."""

from __future__ import annotations

import asyncio
from typing import Any

from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.sports import SPORTS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.conformance.book_kits import book_settings
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_sandbox import SandboxHandle

#: A Monday evening of the test world: matches in play on every book.
EVENING = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)


def test_the_live_adapter_lists_what_the_world_has_live_on_the_book(
    sandbox_clock: SandboxHandle, book: Book
) -> None:
    sandbox_clock.set_clock(EVENING, frozen=True)
    live = KITS[book].live_adapter()
    settings = live.live_settings(book_settings(sandbox_clock, book))

    async def poll() -> Any:
        async with BookClient(settings, live.wire(settings)) as client:
            return await live.list_live(client, SPORTS)

    parts = asyncio.run(poll())
    expected = sandbox_clock.world.live_events(book, sandbox_clock.now())
    assert len(expected) >= 2, "the test world has matches in play on every book that evening"
    assert not parts.bad_rows, parts.bad_rows[:1]
    read = {
        (r.event.sr_id, r.event.home, r.event.away, r.event.kickoff, r.event.country_id) for r in parts.events
    }
    assert read == {
        (e.sr_id, e.home[book], e.away[book], e.kickoff, e.tournament.country_id(book)) for e in expected
    }
    assert sum(r.markets for r in parts.events) > 0
