"""MSport and Betway in the sandbox, read by the pipeline's own adapters and parsers over a real socket.

Every event the world lists for the book is found with its SR id, teams and kick-off; every detail parses with
keyed share >= 0.95 and every price the world set for the book (sandbox/markets/pricing.py, and the book's own
early-payout 1X2s) is read back under its key, at that price and state. The live lists show what the world
has in play on the book.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from palimpsest_pipeline import runtime
from palimpsest_pipeline.books.adapter import BookAdapter
from palimpsest_pipeline.books.betway.catalogue import ADAPTER as BETWAY
from palimpsest_pipeline.books.betway.live import ADAPTER as BETWAY_LIVE
from palimpsest_pipeline.books.betway.odds import parse_odds as betway_odds
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.live_list import LiveAdapter
from palimpsest_pipeline.books.msport.catalogue import ADAPTER as MSPORT
from palimpsest_pipeline.books.msport.live import ADAPTER as MSPORT_LIVE
from palimpsest_pipeline.books.msport.odds import parse_odds as msport_odds
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, WorldEvent, base_urls, fast_behaviour
from palimpsest_sandbox.books.betway.markets import THREE_UP_DEPTH
from palimpsest_sandbox.live_coverage import live_lines, state_at
from palimpsest_sandbox.markets.early_payout import early_payout
from palimpsest_sandbox.markets.pricing import book_prices

ADAPTERS: dict[Book, tuple[BookAdapter, LiveAdapter, Any]] = {
    Book.MSPORT: (MSPORT, MSPORT_LIVE, msport_odds),
    Book.BETWAY: (BETWAY, BETWAY_LIVE, betway_odds),
}
BOOKS = list(ADAPTERS)


@pytest.fixture(scope="module")
def sandbox(deep_sandbox: SandboxHandle) -> SandboxHandle:
    """The world at full depth (``deep_sandbox``): these tests read the details' markets."""
    return deep_sandbox


@pytest.fixture
def served(sandbox: SandboxHandle) -> SandboxHandle:
    """The session sandbox (MSport and Betway answering at once, as the first books)."""
    assert all(sandbox.behaviour(book) == fast_behaviour() for book in BOOKS)
    return sandbox


def _settings(sandbox: SandboxHandle, book: Book) -> BookSettings:
    return fast_book_settings(sandbox, [book])[book]


def _event_keys(events: Any) -> set[tuple[Any, ...]]:
    return {(e.event_id, e.sr_id, e.home, e.away, e.kickoff, e.tournament_id, e.country_id) for e in events}


def _fetch_details(
    sandbox: SandboxHandle, book: Book, events: list[WorldEvent]
) -> list[tuple[WorldEvent, Any]]:
    adapter = ADAPTERS[book][0]
    settings = _settings(sandbox, book)

    async def fetch() -> list[tuple[WorldEvent, Any]]:
        async with BookClient(settings, adapter.wire(settings)) as client:
            return [
                (event, (await client.fetch(adapter.event_detail_request(event.event_id(book)), _same)).value)
                for event in events
            ]

    return asyncio.run(fetch())


def _same(data: Any) -> Any:
    return data


@pytest.mark.parametrize("book", BOOKS)
def test_every_detail_parses_keyed_and_every_world_price_is_read_at_that_price(
    served: SandboxHandle, book: Book
) -> None:
    now = served.now()
    listed = list(served.world.listed_events(book, now))
    events = listed[::3]  # a third of the list: every sport, every depth
    assert {e.sport for e in events} == {"football", "basketball", "tennis"}
    parse = ADAPTERS[book][2]
    renderer = served.state.renderer
    compared = 0
    for event, payload in _fetch_details(served, book, events):
        result: EventOdds = parse(payload, sr_id=event.sr_id, captured_at=now)
        assert not result.malformed, result.malformed[:3]
        assert result.open_outcomes > 0 and result.mapping_rate >= 0.95, (event.sr_id, result.mapping_rate)
        version = renderer.version(book, event, now)
        world = book_prices(book, event.match_seed, version, event.sport, event.depth(book))
        read = {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in result.rows}
        assert all(row.sr_id == event.sr_id and row.book is book for row in result.rows)
        modelled = {key: value for key, value in read.items() if key in world}
        assert modelled == world, (event.sr_id, sorted(set(modelled.items()) ^ set(world.items()))[:5])
        # the book's own 1Up/2Up (and Betway's 3Up on deep events) 1X2s, keyed from their names at the
        # world's prices
        deep = book is Book.BETWAY and event.depth(book) >= THREE_UP_DEPTH
        ups = (1, 2, 3) if deep else (1, 2)
        early = early_payout(book, event.match_seed, version, ups) if event.sport == "football" else {}
        own = sorted(value for key, value in read.items() if key not in world)
        assert own == sorted((price, "open") for prices in early.values() for price in prices)
        compared += len(world) + len(own)
    assert compared > 3_000


def test_betway_pages_its_markets_by_skip_and_take(served: SandboxHandle) -> None:
    """Pages of ``take`` market groups from ``skip`` join, page after page, into the whole answer."""
    event = served.world.listed_events(Book.BETWAY, served.now(), sport="football")[0]
    url = served.base_urls[Book.BETWAY] + "MarketGroupings/MarketGroupNamesAndMarketsForEvent"
    base = {"eventId": str(event.sr_id), "countryCode": "NG"}
    whole = httpx.get(url, params={**base, "skip": "0", "take": "1000"}).json()
    joined: dict[str, list[Any]] = {"marketsInGroup": [], "outcomes": [], "prices": []}
    for skip in range(0, 1_000, 7):
        page = httpx.get(url, params={**base, "skip": str(skip), "take": "7"}).json()
        if not page["marketsInGroup"]:
            break
        assert page["sportEvent"] == whole["sportEvent"]
        for key, rows in joined.items():
            rows.extend(page[key])
    assert joined == {key: whole[key] for key in joined}
    assert len(whole["marketsInGroup"]) > 14  # more than two pages
    assert httpx.get(url, params={**base, "countryCode": "XX"}).status_code == 400


def test_msport_refuses_another_countrys_operid(served: SandboxHandle) -> None:
    url = served.base_urls[Book.MSPORT] + "sports-matches-list"
    body = httpx.get(url, params={"sportId": "sr:sport:1"}, headers={"operid": "3"}).json()
    assert body["bizCode"] == 19000 and body["data"] is None


def test_the_pipeline_points_only_the_books_it_scrapes_at_the_sandbox() -> None:
    """The sandbox lists a base URL for every book it serves; ``palimpsest demo``/``dev`` export those of the
    books the pipeline scrapes (Betika has no variable yet) instead of failing on the others."""
    urls = base_urls("127.0.0.1", 8765)
    assert urls[Book.MSPORT] == "http://127.0.0.1:8765/api/ng/facts-center/query/frontend/"
    assert urls[Book.BETWAY] == "http://127.0.0.1:8765/br/_apis/sport/v1/"
    env: dict[str, str] = {}
    runtime.point_books_at({(book, "ng"): url for book, url in urls.items()}, env)
    assert env == {
        "PALIMPSEST_BETPAWA_NG_URL": "http://127.0.0.1:8765/api/sportsbook/v4/",
        "PALIMPSEST_SPORTYBET_NG_URL": "http://127.0.0.1:8765/api/ng/factsCenter/",
        "PALIMPSEST_BET9JA_NG_URL": "http://127.0.0.1:8765/desktop/feapi/PalimpsestAjax/",
        "PALIMPSEST_MSPORT_NG_URL": "http://127.0.0.1:8765/api/ng/facts-center/query/frontend/",
        "PALIMPSEST_BETWAY_NG_URL": "http://127.0.0.1:8765/br/_apis/sport/v1/",
    }
    assert Book.BETIKA in urls and {
        f"PALIMPSEST_{book.value.upper()}_NG_URL" for book in NIGERIA_BOOKS
    } == set(env)


def test_msport_serves_a_match_in_play_with_its_score_and_live_prices(
    sandbox_clock: SandboxHandle, served: SandboxHandle
) -> None:
    """``match/detail?productId=1``: the match's score now and the world's live prices, the open ones open."""
    served.set_clock(SANDBOX_TEST_INSTANT.replace(hour=18, minute=30), frozen=True)
    now = served.now()
    event = next(e for e in served.world.in_play_events(Book.MSPORT, now) if e.sport == "football")
    url = served.base_urls[Book.MSPORT] + "match/detail"
    params = {"eventId": event.event_id(Book.MSPORT), "productId": "1"}
    body = httpx.get(url, params=params, headers={"operid": "2"}).json()
    state = state_at(event, now)
    assert state is not None and body["data"]["status"] == 1
    assert body["data"]["scoreOfWholeMatch"] == "{}:{}".format(*state.score)
    result = msport_odds(body, sr_id=event.sr_id, captured_at=now)
    assert not result.malformed
    open_rows = {(r.market, r.specifier, r.outcome): r.price for r in result.rows if r.state == "open"}
    world = {
        (line.market, line.specifier, outcome): odds
        for line in live_lines(event, Book.MSPORT, now)
        if not line.suspended
        for outcome, odds in line.prices
        if odds is not None
    }
    assert world and open_rows == world
    prematch = httpx.get(url, params={**params, "productId": "3"}, headers={"operid": "2"})
    assert prematch.status_code == 404  # a match in play is no longer listed prematch
