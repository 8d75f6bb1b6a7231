"""Betika in the sandbox, read by the pipeline's own adapter and parser over a real socket.

The sandbox serves Kenya's site (start_time in East Africa Time). Every event the world lists for Betika is
found with its SR id, teams, kick-off and competition; every detail parses with nothing set aside, and every
open price the world set for Betika (sandbox/markets/pricing.py) is read back under its key at that price,
with nothing else read; the live list shows what the world has in play on Betika.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from palimpsest_pipeline.books.adapter import Window
from palimpsest_pipeline.books.betika.catalogue import ADAPTER
from palimpsest_pipeline.books.betika.live import LIVE_ADAPTER
from palimpsest_pipeline.books.betika.odds import parse_odds
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import SPORTS
from palimpsest_pipeline.records import Book
from palimpsest_sandbox import SandboxHandle, fast_behaviour
from palimpsest_sandbox.markets.pricing import book_prices

BOOK = Book.BETIKA


@pytest.fixture
def served(sandbox: SandboxHandle) -> SandboxHandle:
    assert sandbox.behaviour(BOOK) == fast_behaviour()
    return sandbox


def _settings(sandbox: SandboxHandle) -> BookSettings:
    return BookSettings(
        book=BOOK,
        base_url=sandbox.base_urls[BOOK],
        site_country="ke",
        pause_s=0.0,
        max_attempts=6,
        backoff_base_s=0.01,
        backoff_cap_s=0.05,
        retry_after_cap_s=0.05,
        read_timeout_s=10.0,
    )


def _event_keys(events: Any) -> set[tuple[Any, ...]]:
    """What a prematch row says of its event (its country's id is carried on live rows only)."""
    return {
        (
            e.event_id,
            e.sr_id,
            e.home,
            e.away,
            e.kickoff,
            e.tournament_id,
            e.tournament_name,
            e.country,
            e.sport,
        )
        for e in events
    }


def test_the_adapter_finds_every_event_the_world_lists_with_its_sr_id_teams_and_kickoff(
    served: SandboxHandle,
) -> None:
    settings = _settings(served)
    now = served.now()

    async def scrape() -> Any:
        async with BookClient(settings, ADAPTER.wire(settings)) as client:
            return await ADAPTER.list_catalogue(client, SPORTS, Window(now, timedelta(days=14)))

    parts = asyncio.run(scrape())
    assert not parts.failures and not parts.bad_rows and not parts.warnings, (parts.failures, parts.warnings)
    expected = served.world.listed(BOOK, now)
    assert len(expected) > 150  # the test world: some 300 events per book, over several 100-row pages
    assert {e.sport for e in expected} == {"football", "basketball", "tennis"}
    assert _event_keys(parts.events) == _event_keys(expected)
    assert len(parts.events) == len(expected)


def test_every_detail_parses_and_every_open_world_price_is_read_at_that_price(served: SandboxHandle) -> None:
    settings = _settings(served)
    now = served.now()
    events = list(served.world.listed_events(BOOK, now))[::3]  # a third of the list: every sport, every depth
    assert {e.sport for e in events} == {"football", "basketball", "tennis"}

    async def fetch() -> list[Any]:
        async with BookClient(settings, ADAPTER.wire(settings)) as client:
            return [
                (
                    await client.fetch(ADAPTER.event_detail_request(event.event_id(BOOK)), lambda data: data)
                ).value
                for event in events
            ]

    renderer = served.state.renderer
    compared = misread = 0
    for event, payload in zip(events, asyncio.run(fetch()), strict=True):
        result = parse_odds(payload, sr_id=event.sr_id, captured_at=now)
        assert not result.malformed, result.malformed[:3]
        version = renderer.version(BOOK, event, now)
        world = {
            key: price
            for key, (price, state) in book_prices(
                BOOK, event.match_seed, version, event.sport, event.depth(BOOK)
            ).items()
            if state == "open"
        }
        read = {(r.market, r.specifier, r.outcome): r.price for r in result.rows if r.state == "open"}
        assert all(row.sr_id == event.sr_id and row.book is BOOK for row in result.rows)
        misread += len(set(read.items()) ^ set(world.items()))
        compared += len(world)
        assert result.open_outcomes == len(world) and result.mapping_rate == 1.0, event.sr_id
    assert misread == 0
    assert compared > 3_000


def test_a_match_the_book_does_not_list_answers_no_row(served: SandboxHandle) -> None:
    settings = _settings(served)

    async def fetch() -> Any:
        async with BookClient(settings, ADAPTER.wire(settings)) as client:
            return (await client.fetch(ADAPTER.event_detail_request("14:1:999"), lambda data: data)).value

    assert asyncio.run(fetch())["data"] == []


def test_the_live_adapter_lists_what_the_world_has_live_on_the_book(served: SandboxHandle) -> None:
    settings = LIVE_ADAPTER.live_settings(_settings(served))
    assert settings.base_url == served.base_urls[BOOK] + "live/"

    async def poll() -> Any:
        async with BookClient(settings, LIVE_ADAPTER.wire(settings)) as client:
            return await LIVE_ADAPTER.list_live(client, SPORTS)

    parts = asyncio.run(poll())
    expected = served.world.live_events(BOOK, served.now())
    assert expected, "the test world has matches in play on Betika"
    assert not parts.bad_rows, parts.bad_rows[:1]
    assert {
        (r.event.sr_id, r.event.home, r.event.away, r.event.kickoff, r.event.country_id) for r in parts.events
    } == {(e.sr_id, e.home[BOOK], e.away[BOOK], e.kickoff, e.tournament.country_id(BOOK)) for e in expected}
    assert sum(r.markets for r in parts.events) > 0


def test_the_live_answer_read_for_another_zone_is_set_aside_not_listed_late(served: SandboxHandle) -> None:
    """Read as Ghana's edition (UTC+0), the sandbox's East Africa clock disagrees: every row set aside."""
    settings = LIVE_ADAPTER.live_settings(_settings(served).model_copy(update={"site_country": "gh"}))

    async def poll() -> Any:
        async with BookClient(settings, LIVE_ADAPTER.wire(settings)) as client:
            return await LIVE_ADAPTER.list_live(client, SPORTS)

    parts = asyncio.run(poll())
    assert parts.events == []
    assert len(parts.bad_rows) == len(served.world.live_events(BOOK, served.now())) > 0
    assert all("not the edition's zone Africa/Accra" in row.reason for row in parts.bad_rows)
