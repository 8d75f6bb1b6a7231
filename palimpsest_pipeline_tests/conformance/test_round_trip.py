"""Every book in the sandbox, read by its own adapter and parser over a real socket: its catalogue scrape is
complete and lists exactly the events and tournaments the world lists for it (every field), and a third of
its event details (every sport, every depth) parse with nothing set aside, every open price the world set
for the book (sandbox/markets/pricing.py) read back under its key at that price."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import scrape_catalogue
from palimpsest_pipeline_tests.conformance.book_kits import TestKit, book_settings
from palimpsest_sandbox import SandboxHandle, fast_behaviour
from palimpsest_sandbox.markets.pricing import book_prices

SPORTS = ["football", "basketball", "tennis"]


def test_the_catalogue_scrape_equals_the_worlds_listing(
    sandbox: SandboxHandle, book: Book, kit: TestKit
) -> None:
    assert sandbox.behaviour(book) == fast_behaviour()
    now = sandbox.now()
    result = asyncio.run(
        scrape_catalogue(
            book, book_settings(sandbox, book), sports=SPORTS, horizon=timedelta(days=14), now=now
        )
    )
    assert result.status == "ok" and result.complete, result.error_messages
    assert not result.set_aside_rows and not result.warnings, (result.set_aside_rows[:2], result.warnings[:2])
    expected = sandbox.world.listed(book, now)
    if not kit.lists_name_country_id:
        expected = [replace(e, country_id=None) for e in expected]
    assert len(expected) > 150  # the test world: some 300 events per book
    assert {e.sport for e in expected} == {"football", "basketball", "tennis"}
    assert len(result.events) == len(expected) and set(result.events) == set(expected)
    tournaments = sandbox.world.listed_tournaments(book, now)
    if not kit.tournaments_counted:
        tournaments = [replace(t, event_count=None) for t in tournaments]
    if not kit.lists_name_country_id:
        tournaments = [replace(t, country_id=None) for t in tournaments]
    assert set(result.tournaments) == set(tournaments)


def test_every_detail_reads_back_the_worlds_open_prices(deep_sandbox: SandboxHandle, book: Book) -> None:
    sandbox = deep_sandbox  # the world at full depth: every family, players included
    adapter = KITS[book].adapter()
    settings = book_settings(sandbox, book)
    now = sandbox.now()
    events = [e for e in sandbox.world.listed_events(book, now) if e.visible_sr_id(book)][::3]
    assert {e.sport for e in events} == {"football", "basketball", "tennis"}

    async def fetch() -> list[Any]:
        async with BookClient(settings, adapter.wire(settings)) as client:
            return [
                (await client.fetch(adapter.event_detail_request(e.event_id(book)), lambda data: data)).value
                for e in events
            ]

    renderer = sandbox.state.renderer
    compared = 0
    for event, payload in zip(events, asyncio.run(fetch()), strict=True):
        result = KITS[book].parse_odds(payload, sr_id=event.sr_id, captured_at=now)
        assert not result.malformed, (event.sr_id, result.malformed[:3])
        assert all(row.sr_id == event.sr_id and row.book is book for row in result.rows)
        version = renderer.version(book, event, now)
        world = {
            key: price
            for key, (price, state) in book_prices(
                book, event.match_seed, version, event.sport, event.depth(book)
            ).items()
            if state == "open"
        }
        read = {(r.market, r.specifier, r.outcome): r.price for r in result.rows if r.state == "open"}
        assert {key: read.get(key) for key in world} == world, event.sr_id
        compared += len(world)
    assert compared > 3_000
