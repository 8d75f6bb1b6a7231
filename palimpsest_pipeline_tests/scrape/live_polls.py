"""Live polls of Nigeria's books (or another site country's) against the sandbox at chosen instants, its
clock moved to each, one book failing through chosen spells: what the live-starts and in-play suspension
tests and the chaos cell drive the pipeline with."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.live import live_clients, poll_once
from palimpsest_pipeline_tests.fixtures_sandbox import fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

SPORTS = ["football", "basketball", "tennis"]


def poll_through(
    sandbox: SandboxHandle,
    warehouse_url: str,
    instants: Sequence[datetime],
    spells: Sequence[tuple[datetime, datetime]],
    set_failing: Callable[[bool], None],
    after_poll: Callable[[datetime], Awaitable[object]] | None = None,
    country: str = "ng",
    books: Sequence[Book] = NIGERIA_BOOKS,
) -> int:
    """One live poll of ``country``'s sites of ``books`` at each of ``instants``; ``set_failing(True)`` as a
    failing spell starts and ``set_failing(False)`` as it ends; ``after_poll(instant)`` after each, as the
    watch takes its live snapshots. Returns the polls stored."""
    connect = WarehouseResource(database_url=warehouse_url).connect

    async def run() -> int:
        stored = 0
        async with live_clients(fast_book_settings(sandbox, books, site_country=country)) as clients:
            failing = False
            for at in instants:
                if any(start <= at < end for start, end in spells) != failing:
                    failing = not failing
                    set_failing(failing)
                sandbox.set_clock(at, frozen=True)
                outcome = await poll_once(connect, clients, SPORTS, _fixed(at), country)
                stored += outcome.stored
                if after_poll is not None:
                    await after_poll(at)
            if failing:
                set_failing(False)
        return stored

    return asyncio.run(run())


def _fixed(at: datetime) -> Callable[[], datetime]:
    return lambda: at
