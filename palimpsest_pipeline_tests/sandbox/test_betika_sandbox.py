"""Betika in the sandbox, read by the pipeline's own adapter and parser over a real socket.

The sandbox serves Kenya's site (start_time in East Africa Time). Every event the world lists for Betika is
found with its SR id, teams, kick-off and competition; every detail parses with nothing set aside, and every
open price the world set for Betika (sandbox/markets/pricing.py) is read back under its key at that price,
with nothing else read; the live list shows what the world has in play on Betika.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from palimpsest_pipeline.books.adapter import Window
from palimpsest_pipeline.books.betika.catalogue import ADAPTER
from palimpsest_pipeline.books.betika.live import ADAPTER as LIVE_ADAPTER
from palimpsest_pipeline.books.betika.live import parse_live_list
from palimpsest_pipeline.books.betika.odds import parse_odds
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_sandbox import SandboxHandle, fast_behaviour
from palimpsest_sandbox.markets.pricing import book_prices

BOOK = Book.BETIKA
CAPTURED_BETIKA = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "captured" / "betika"


@pytest.fixture
def served(deep_sandbox: SandboxHandle) -> SandboxHandle:
    """The world at full depth: the details' every market."""
    assert deep_sandbox.behaviour(BOOK) == fast_behaviour()
    return deep_sandbox


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


def test_the_live_answer_read_in_another_zone_is_set_aside_not_listed_late(sandbox: SandboxHandle) -> None:
    """Read as if written in UTC+0 (an edition configured with a wrong zone), the answer's own East Africa
    clock disagrees: every row set aside, none listed three hours late."""
    settings = LIVE_ADAPTER.live_settings(_settings(sandbox))
    football = sport_by_key("football")
    body = httpx.get(
        settings.base_url + "uo/matches", params={"sport_id": "14", "page": "1", "limit": "100"}
    ).json()
    events, bad, _total = parse_live_list(body, football, ZoneInfo("Africa/Accra"))
    live_football = [e for e in sandbox.world.live_events(BOOK, sandbox.now()) if e.sport == "football"]
    assert events == [] and len(bad) == len(live_football) > 0
    assert all("not the edition's zone Africa/Accra" in row.reason for row in bad)


#: The captured prematch answers (list shape, one row each); the live one is another shape (numbers for ids).
PREMATCH_CAPTURES = [
    "matches_sr61624652_markets.json",
    "matches_sr70505032_basketball.json",
    "matches_sr70784812_prematch.json",
    "matches_sr71443804_next_goal.json",
    "matches_sr71529092_tennis.json",
    "matches_sr71583282_asian_handicap.json",
]


def _shape(node: Any, path: str, into: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every path of ``node`` and the JSON types seen there; ``parsed_special_bet_value``'s keys are the
    specifier's own names, so that object counts as one path."""
    kind = {bool: "bool", dict: "object", list: "array", str: "str", int: "number", float: "number"}
    into.setdefault(path, set()).add("null" if node is None else kind[type(node)])
    if isinstance(node, dict) and not path.endswith("parsed_special_bet_value"):
        for key, value in node.items():
            _shape(value, f"{path}.{key}", into)
    elif isinstance(node, list):
        for item in node:
            _shape(item, f"{path}[]", into)
    return into


def test_the_match_answer_has_the_captured_row_keys_and_types(served: SandboxHandle) -> None:
    """Every path of the sandbox's ``data`` rows is one the captured rows carry, with a type they carry
    there, and every captured row path is served (``meta`` holds the site's filters and tabs: only its
    ``total`` is read, and served)."""
    folder = CAPTURED_BETIKA
    if not folder.is_dir():
        pytest.skip(f"no captures at {folder} (../shared is not mounted)")
    real: dict[str, set[str]] = {}
    for name in PREMATCH_CAPTURES:
        _shape(json.loads((folder / name).read_text(encoding="utf-8"))["data"], "data", real)
    now = served.now()
    chosen: dict[str, Any] = {}
    for event in sorted(served.world.listed_events(BOOK, now), key=lambda e: -e.prominence):
        chosen.setdefault(event.sport, event)
    ours: dict[str, set[str]] = {}
    for event in chosen.values():
        params = {
            "sport_id": event.event_id(BOOK).split(":")[0],
            "match_id": event.event_id(BOOK).rpartition(":")[2],
        }
        answer = httpx.get(served.base_urls[BOOK] + "uo/matches", params=params).json()
        assert answer["meta"]["total"] == "1"
        _shape(answer["data"], "data", ours)
    invented = sorted(path for path in ours if path not in real)
    assert not invented, invented[:10]
    wrong = {path: (kinds, real[path]) for path, kinds in ours.items() if not kinds <= real[path]}
    assert not wrong, sorted(wrong.items())[:10]
    assert sorted(set(real) - set(ours)) == []


def _football(sandbox: SandboxHandle) -> Any:
    settings = _settings(sandbox).model_copy(update={"max_attempts": 2})

    async def scrape() -> Any:
        async with BookClient(settings, ADAPTER.wire(settings)) as client:
            football = [sport_by_key("football")]
            return await ADAPTER.list_catalogue(client, football, Window(sandbox.now(), timedelta(days=14)))

    return asyncio.run(scrape())


def test_the_fault_machinery_reaches_betika_as_the_other_books(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter
) -> None:
    """List answers that are not true, and a conflicting duplicate, seen by the adapter and the parser."""
    now = sandbox.now()
    listed = {e.sr_id: e for e in sandbox.world.listed(BOOK, now, sport="football")}

    sandbox_faults(BOOK, empty_answer=1.0)
    assert _football(sandbox).events == []
    assert sandbox.served(BOOK, "uo/matches", "empty_answer") >= 1

    sandbox_faults(BOOK, bad_list_row=1.0)  # each list answer's first row without its home team: set aside
    parts = _football(sandbox)
    assert parts.bad_rows and {row.sr_id for row in parts.bad_rows} <= set(listed)
    assert {e.sr_id for e in parts.events} == set(listed) - {row.sr_id for row in parts.bad_rows}
    assert set(parts.held_sports) == {"football"}

    sandbox_faults(BOOK, shrunken_catalogue=1.0)  # each page half its rows: fewer than meta.total says
    parts = _football(sandbox)
    assert 0 < len(parts.events) < len(listed) and not parts.failures
    assert "football" in parts.held_sports and "meta.total says" in parts.held_sports["football"]

    sandbox_faults(BOOK, moved_event=1.0)  # each list answer's first row a day late
    moved = [e for e in _football(sandbox).events if e.kickoff != listed[e.sr_id].kickoff]
    assert moved and all(e.kickoff - listed[e.sr_id].kickoff == timedelta(days=1) for e in moved)

    sandbox_faults(BOOK, quiet_sports=["football"])
    assert _football(sandbox).events == []

    event = sandbox.world.listed_events(BOOK, now, sport="football")[0]
    version = sandbox.state.renderer.version(BOOK, event, now)
    depth = event.depth(BOOK) * sandbox.state.config.depth_scale  # as the sandbox renders it
    world = book_prices(BOOK, event.match_seed, version, event.sport, depth)
    sandbox_faults(BOOK, hostile_values=1.0, hostile_kind="conflicting_duplicate")
    settings = _settings(sandbox)

    async def fetch() -> Any:
        async with BookClient(settings, ADAPTER.wire(settings)) as client:
            request = ADAPTER.event_detail_request(event.event_id(BOOK))
            return (await client.fetch(request, lambda data: data)).value

    result = parse_odds(asyncio.run(fetch()), sr_id=event.sr_id, captured_at=now)
    # the outcome listed again at another price: both listings set aside, each naming the other
    assert len(result.malformed) == 2 and result.malformed[0] == result.malformed[1]
    assert result.malformed[0].endswith("at different prices")
    conflicting = re.search(r"read to the key (\(.*\)) at different prices", result.malformed[0])
    assert conflicting is not None
    key = ast.literal_eval(conflicting.group(1))
    assert f"at {world[key][0]} and" in result.malformed[0]  # the world's price is one of the two named
    read = {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in result.rows}
    assert read == {k: value for k, value in world.items() if value[1] == "open" and k != key}
