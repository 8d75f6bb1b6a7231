"""The sandbox's fault machinery applies to MSport and Betway as to the first books: per-book latency and
faults (``BookBehaviour``), list answers that are not true, hostile values and payload drift, each seen by
the pipeline's own adapters and parsers over a real socket."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from palimpsest_pipeline.books.adapter import BookAdapter, Window
from palimpsest_pipeline.books.betway.catalogue import ADAPTER as BETWAY
from palimpsest_pipeline.books.betway.odds import parse_odds as betway_odds
from palimpsest_pipeline.books.errors import FetchError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.msport.catalogue import ADAPTER as MSPORT
from palimpsest_pipeline.books.msport.odds import parse_odds as msport_odds
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter, fast_book_settings
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.config import PayloadDrift
from palimpsest_sandbox.markets.pricing import book_prices

ADAPTERS: dict[Book, tuple[BookAdapter, Any, str, str]] = {
    Book.MSPORT: (MSPORT, msport_odds, "sports-matches-list", "match/detail"),
    Book.BETWAY: (BETWAY, betway_odds, "BetBook/Filtered", "MarketGroupNamesAndMarketsForEvent"),
}
BOOKS = list(ADAPTERS)


@pytest.fixture(scope="module")
def sandbox(deep_sandbox: SandboxHandle) -> SandboxHandle:
    """The world at full depth (``deep_sandbox``): these tests read the details' markets."""
    return deep_sandbox


@pytest.fixture
def faults(sandbox_faults: FaultSetter) -> FaultSetter:
    """``sandbox_faults``, called with a FaultConfig's fields (the book's latency kept: none in the tests)."""
    return sandbox_faults


def _catalogue(sandbox: SandboxHandle, book: Book) -> Any:
    adapter = ADAPTERS[book][0]
    settings = fast_book_settings(sandbox, [book], max_attempts=2)[book]

    async def scrape() -> Any:
        async with BookClient(settings, adapter.wire(settings)) as client:
            football = [sport_by_key("football")]
            return await adapter.list_catalogue(client, football, Window(sandbox.now(), timedelta(days=14)))

    return asyncio.run(scrape())


def _detail(sandbox: SandboxHandle, book: Book, event_id: str) -> Any:
    adapter = ADAPTERS[book][0]
    settings = fast_book_settings(sandbox, [book], max_attempts=2)[book]

    async def fetch() -> Any:
        async with BookClient(settings, adapter.wire(settings)) as client:
            return (await client.fetch(adapter.event_detail_request(event_id), lambda data: data)).value

    return asyncio.run(fetch())


@pytest.mark.parametrize("book", BOOKS)
def test_list_answers_that_are_not_true_reach_the_adapter(
    sandbox: SandboxHandle, faults: FaultSetter, book: Book
) -> None:
    listed = {e.sr_id: e for e in sandbox.world.listed(book, sandbox.now(), sport="football")}
    list_endpoint = ADAPTERS[book][2]

    faults(book, empty_answer=1.0)
    assert _catalogue(sandbox, book).events == []
    assert sandbox.served(book, list_endpoint, "empty_answer") >= 1

    faults(book, bad_list_row=1.0)  # every list answer's first row has no home team: one row each, set aside
    parts = _catalogue(sandbox, book)
    assert parts.bad_rows and {row.sr_id for row in parts.bad_rows} <= set(listed)
    assert {e.sr_id for e in parts.events} == set(listed) - {row.sr_id for row in parts.bad_rows}

    faults(book, moved_event=1.0)  # the first row of each answer a day late
    moved = [e for e in _catalogue(sandbox, book).events if e.kickoff != listed[e.sr_id].kickoff]
    assert moved and all(e.kickoff - listed[e.sr_id].kickoff == timedelta(days=1) for e in moved)

    faults(book, quiet_sports=["football"])
    assert _catalogue(sandbox, book).events == []
    assert sandbox.served(book, list_endpoint, "quiet_sports") >= 1


@pytest.mark.parametrize("book", BOOKS)
def test_a_book_down_or_throttled_fails_the_fetch_after_its_retries(
    sandbox: SandboxHandle, faults: FaultSetter, book: Book
) -> None:
    event = sandbox.world.listed_events(book, sandbox.now(), sport="football")[0]
    detail_endpoint = ADAPTERS[book][3]
    cases: list[tuple[dict[str, Any], str]] = [({"fail_status": 503}, "fail_status")]
    if book is Book.MSPORT:  # Betway has no envelope: its error bodies were never seen
        cases.append(({"error_envelope": 1.0}, "error_envelope"))
    for fields, outcome in cases:
        faults(book, **fields)
        with pytest.raises(FetchError):
            _detail(sandbox, book, event.event_id(book))
        assert sandbox.served(book, detail_endpoint, outcome) == 2  # both attempts


@pytest.mark.parametrize("book", BOOKS)
def test_a_conflicting_duplicate_costs_its_outcome_and_nothing_else(
    sandbox: SandboxHandle, faults: FaultSetter, book: Book
) -> None:
    event = sandbox.world.listed_events(book, sandbox.now(), sport="football")[0]
    now = sandbox.now()
    world = book_prices(
        book,
        event.match_seed,
        sandbox.state.renderer.version(book, event, now),
        event.sport,
        event.depth(book),
    )
    faults(book, hostile_values=1.0, hostile_kind="conflicting_duplicate")
    result = ADAPTERS[book][1](
        _detail(sandbox, book, event.event_id(book)), sr_id=event.sr_id, captured_at=now
    )
    assert result.malformed
    read = {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in result.rows}
    modelled = {key: value for key, value in read.items() if key in world}
    assert modelled and all(world[key] == value for key, value in modelled.items())
    assert len(modelled) >= len(world) - 3  # the doubled outcome (MSport: the doubled market's three) at most


@pytest.mark.parametrize("book", BOOKS)
def test_payload_drift_serves_the_lines_in_quarter_units_only_in_the_specifier(
    sandbox: SandboxHandle, book: Book
) -> None:
    event = next(
        e
        for e in sandbox.world.listed_events(book, sandbox.now(), sport="football")
        if any(m == 18 and s == "total=2.5" for m, s, _o in book_prices(book, e.match_seed, 0, e.sport, 1.0))
    )
    before = _detail(sandbox, book, event.event_id(book))
    previous = sandbox.set_payload_drift(book, PayloadDrift(since=None))
    try:
        after = _detail(sandbox, book, event.event_id(book))
    finally:
        sandbox.set_behaviour(book, previous)
    if book is Book.MSPORT:
        specifiers = {m["specifiers"] for m in after["markets"] if m["id"] == 18}
        assert "total=10" in specifiers and "total=2.5" not in specifiers
        names = [o["description"] for m in after["markets"] if m["id"] == 18 for o in m["outcomes"]]
        assert set(names) == {"Over", "Under"}
    else:
        ids = {m["marketId"] for m in after["marketsInGroup"]}
        assert f"{event.sr_id}18total=10~" in ids and f"{event.sr_id}18total=2.5~" not in ids
        assert all(o["sbv"] == "" and o["handicap"] == 0 for o in after["outcomes"])
    assert before != after
