"""Contract: the sandbox's in-play payloads have the STRUCTURE of the real captured live responses.

Captures: SportyBet ``event?productId=1`` and Bet9ja ``PalimpsestLiveAjax/GetLiveEvent`` for sr67645534,
taken at 91' with every line closed. The sandbox's answer is compared at two instants of a football match:
the 30th minute (open prices, which the capture cannot show) and the 91st (the capture's own situation).
SportyBet's live ``markets`` were empty in the capture, so the served live markets are also held to the
structure of the prematch capture's markets. BetPawa's in-play event is held to its 2026-04 v3 capture (no v4
one exists), Betway's in-play markets to its live capture.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.contract.shapes import differences, shape
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.live_timeline import HALF_S, phases_of

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"

pytestmark = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)

SPORTYBET_LIVE = "sportybet/event_sr67645534_live.json"
SPORTYBET_PREMATCH = "sportybet/event_sr68995116_prematch.json"
BET9JA_LIVE = "bet9ja/GetLiveEvent_sr67645534_live.json"
#: When the match is looked at: open prices, and the capture's own situation (stoppage time, all closed).
INSTANTS = ("minute-30", "minute-91")


def _captured(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((CAPTURED / name).read_text())
    return document


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, headers={"accept": "application/json"}) as client:
        yield client


def _match(sandbox: SandboxHandle) -> WorldEvent:
    """A football match with a SportRadar id that goes live on both SportyBet and Bet9ja."""
    return next(
        event
        for event in sandbox.world.listed_events(Book.SPORTYBET, sandbox.now(), sport="football")
        if event.sr_id is not None
        and event.in_play(Book.SPORTYBET, event.kickoff)
        and event.in_play(Book.BET9JA, event.kickoff)
    )


def _elapsed_s(event: WorldEvent, instant: str) -> int:
    if instant == "minute-30":
        return 30 * 60
    second_half = phases_of(event.sport, event.match_seed)[2]
    return second_half.start_s + HALF_S + 30  # 90:30 on the game clock: stoppage time, board closed


@pytest.fixture
def live_match(sandbox_clock: SandboxHandle, request: pytest.FixtureRequest) -> WorldEvent:
    event = _match(sandbox_clock)
    sandbox_clock.set_clock(event.kickoff + timedelta(seconds=_elapsed_s(event, request.param)))
    return event


def _sportybet_live(sandbox: SandboxHandle, http: httpx.Client, event: WorldEvent) -> dict[str, Any]:
    response = http.get(
        sandbox.base_urls[Book.SPORTYBET] + "event",
        params={"eventId": event.event_id(Book.SPORTYBET), "productId": 1, "_t": 1},
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    assert body["bizCode"] == 10_000, body
    return body


def _bet9ja_live(sandbox: SandboxHandle, http: httpx.Client, event: WorldEvent) -> dict[str, Any]:
    response = http.get(
        sandbox.extra_urls["bet9ja_live"] + "GetLiveEvent",
        params={"EVENTID": event.event_id(Book.BET9JA), "v_cache_version": "1.301.2.225"},
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    assert body["R"] == "OK", body
    return body


@pytest.mark.parametrize("live_match", INSTANTS, indirect=True)
def test_sportybet_live_event_structure_matches_capture(
    sandbox_clock: SandboxHandle, http: httpx.Client, live_match: WorldEvent
) -> None:
    served = _sportybet_live(sandbox_clock, http, live_match)
    assert differences(shape(_captured(SPORTYBET_LIVE)), shape(served)) == []
    assert list(served["data"]) == list(_captured(SPORTYBET_LIVE)["data"])  # key order too


@pytest.mark.parametrize("live_match", INSTANTS, indirect=True)
def test_bet9ja_live_event_structure_matches_capture(
    sandbox_clock: SandboxHandle, http: httpx.Client, live_match: WorldEvent
) -> None:
    served = _bet9ja_live(sandbox_clock, http, live_match)
    captured = _captured(BET9JA_LIVE)
    assert differences(shape(captured), shape(served)) == []
    for part in ("A", "AA"):
        assert list(served["D"][part]) == list(captured["D"][part])


@pytest.mark.parametrize("live_match", ["minute-30"], indirect=True)
def test_sportybet_live_markets_have_the_prematch_market_structure(
    sandbox_clock: SandboxHandle, http: httpx.Client, live_match: WorldEvent
) -> None:
    """Live markets are never empty at 30' in the sandbox; each must look like a captured market.

    The prematch capture's merged market shape holds optional keys no single market has (``specifier``,
    ``earlyPayoutMarkets``...), so "missing keys" is checked against the keys EVERY captured market has.
    """
    captured_markets = _captured(SPORTYBET_PREMATCH)["data"]["markets"]
    served_markets = _sportybet_live(sandbox_clock, http, live_match)["data"]["markets"]
    assert served_markets
    found = differences(shape(captured_markets), shape(served_markets))
    assert [f for f in found if "missing keys" not in f] == []
    always = set.intersection(*(set(market) for market in captured_markets))
    always_outcome = set.intersection(*(set(o) for market in captured_markets for o in market["outcomes"]))
    for market in served_markets:
        assert always <= set(market), market["id"]
        assert all(always_outcome <= set(outcome) for outcome in market["outcomes"]), market["id"]


def test_number_keys_merge_int_and_float_only_there() -> None:
    """The one relaxation of the shape comparison (``v``) does not leak to other keys."""
    capture = shape({"O": {"k": {"v": 1}}, "T": 91})
    assert differences(capture, shape({"O": {"k": {"v": 2.4}, "j": {"v": 1}}, "T": 91})) == []
    assert differences(capture, shape({"O": {"k": {"v": "2.4"}}, "T": 91})) == [
        "$.O{*}.v: type ['str'] where the capture has ['number']"
    ]
    assert differences(capture, shape({"O": {"k": {"v": 1}}, "T": 91.5})) == [
        "$.T: type ['float'] where the capture has ['int']"
    ]


BETPAWA_LIVE = "betpawa/v3_event_sr62384158_live_2026-04.json"


def test_betpawa_in_play_event_structure_matches_capture(
    sandbox_clock: SandboxHandle, http: httpx.Client
) -> None:
    """BetPawa's in-play event (the 2026-04 capture, minute 33, open prices): the sandbox's ``events/{id}``
    of a football match in play at 33' has its structure, top-level keys in its order."""
    sandbox = sandbox_clock
    event = next(
        e
        for e in sandbox.world.listed_events(Book.BETPAWA, sandbox.now(), sport="football")
        if e.live_on(Book.BETPAWA, e.kickoff + timedelta(minutes=33))
    )
    sandbox.set_clock(event.kickoff + timedelta(minutes=33))
    response = http.get(
        sandbox.base_urls[Book.BETPAWA] + f"events/{event.event_id(Book.BETPAWA)}",
        headers={"x-pawa-brand": "betpawa-nigeria"},
    )
    response.raise_for_status()
    served = response.json()
    captured = _captured(BETPAWA_LIVE)
    assert differences(shape(captured), shape(served)) == []
    assert list(served) == list(captured)


BETWAY_LIVE = "betway/markets_sr70926700_live_next_goal.json"


def test_betway_in_play_markets_structure_matches_capture(
    sandbox_clock: SandboxHandle, http: httpx.Client
) -> None:
    """Betway's markets answer in play (the capture: 25 s into a match, markets open and suspended): the
    sandbox's answer for a football match on its live list at 33' has its structure."""
    sandbox = sandbox_clock
    event = next(
        e
        for e in sandbox.world.listed_events(Book.BETWAY, sandbox.now(), sport="football")
        if e.live_on(Book.BETWAY, e.kickoff + timedelta(minutes=33))
    )
    sandbox.set_clock(event.kickoff + timedelta(minutes=33))
    response = http.get(
        sandbox.base_urls[Book.BETWAY] + "MarketGroupings/MarketGroupNamesAndMarketsForEvent",
        params={"eventId": event.event_id(Book.BETWAY), "skip": 0, "take": 1000, "countryCode": "NG"},
    )
    response.raise_for_status()
    assert differences(shape(_captured(BETWAY_LIVE)), shape(response.json())) == []
