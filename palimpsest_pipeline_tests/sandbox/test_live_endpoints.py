"""In-play endpoints over real sockets: SportyBet ``event?productId=1`` and Bet9ja ``GetLiveEvent``.

Each test moves the sandbox clock (``sandbox_clock`` puts it back) to a match's kick-off, first half, half
time, stoppage time and full time, and checks what each book answers then.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter, sandbox_test_config
from palimpsest_sandbox import SandboxHandle, WorldEvent, start_in_thread
from palimpsest_sandbox.live_coverage import live_lines, state_at
from palimpsest_sandbox.live_timeline import HALF_S, phases_of


def _match(sandbox: SandboxHandle, sport: str = "football") -> WorldEvent:
    """A match with a SportRadar id, listed now, that goes live on SportyBet and Bet9ja."""
    return next(
        event
        for event in sandbox.world.listed_events(Book.SPORTYBET, sandbox.now(), sport=sport)
        if event.visible_sr_id(Book.BET9JA) is not None
        and event.in_play(Book.SPORTYBET, event.kickoff)
        and event.in_play(Book.BET9JA, event.kickoff)
    )


def _sporty(
    sandbox: SandboxHandle, http: httpx.Client, event: WorldEvent, product: int = 1
) -> dict[str, Any]:
    params: dict[str, str | int] = {"eventId": event.event_id(Book.SPORTYBET), "productId": product, "_t": 1}
    response = http.get(sandbox.base_urls[Book.SPORTYBET] + "event", params=params)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _b9_live(sandbox: SandboxHandle, http: httpx.Client, event_id: int | str) -> dict[str, Any]:
    response = http.get(sandbox.extra_urls["bet9ja_live"] + "GetLiveEvent", params={"EVENTID": event_id})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _at(sandbox: SandboxHandle, event: WorldEvent, seconds: float) -> datetime:
    return sandbox.set_clock(event.kickoff + timedelta(seconds=seconds))


def _not_found(body: dict[str, Any]) -> bool:
    return (body["bizCode"], body["message"], body["data"]) == (19_000, "Event not found", None)


def test_sportybet_serves_the_live_product_only_while_in_play(
    sandbox_clock: SandboxHandle, http: httpx.Client
) -> None:
    sandbox = sandbox_clock
    event = _match(sandbox)
    _at(sandbox, event, -60)
    assert _not_found(_sporty(sandbox, http, event, product=1))
    assert _sporty(sandbox, http, event, product=3)["data"]["status"] == 0

    _at(sandbox, event, 30 * 60)
    live = _sporty(sandbox, http, event)["data"]
    assert (live["eventId"], live["status"], live["matchStatus"], live["period"]) == (
        event.event_id(Book.SPORTYBET), 1, "H1", "1",
    )  # fmt: skip
    assert live["playedSeconds"] == "30:00"
    assert live["homeTeamName"] == event.home[Book.SPORTYBET]
    assert live["estimateStartTime"] == int(event.kickoff.timestamp() * 1_000)
    (first_half,) = live["gameScore"]
    assert live["setScore"] == first_half
    assert {m["product"] for m in live["markets"]} == {1} and "1" in {m["id"] for m in live["markets"]}
    assert _not_found(_sporty(sandbox, http, event, product=3))  # documented: the prematch product is gone
    assert _not_found(_sporty(sandbox, http, event, product=2))

    _, half_time, h2 = phases_of("football", event.match_seed)
    _at(sandbox, event, half_time.start_s + 60)
    paused = _sporty(sandbox, http, event)["data"]
    assert (paused["matchStatus"], paused["playedSeconds"], len(paused["gameScore"])) == ("HT", "45:00", 1)
    _at(sandbox, event, h2.start_s + 10 * 60)
    second = _sporty(sandbox, http, event)["data"]
    assert (second["matchStatus"], second["period"], second["playedSeconds"]) == ("H2", "2", "55:00")
    assert second["gameScore"][0] == paused["gameScore"][0] and len(second["gameScore"]) == 2

    _at(sandbox, event, h2.end_s - 1)
    assert _sporty(sandbox, http, event)["data"]["playedSeconds"] == "90:00"  # held in stoppage time
    _at(sandbox, event, h2.end_s)
    assert event.in_play_until == event.kickoff + timedelta(seconds=h2.end_s)
    assert _not_found(_sporty(sandbox, http, event, product=1))
    assert _not_found(_sporty(sandbox, http, event, product=3))


def test_bet9ja_get_live_event_only_while_in_play(sandbox_clock: SandboxHandle, http: httpx.Client) -> None:
    sandbox = sandbox_clock
    event = _match(sandbox)
    _at(sandbox, event, -1)
    assert _b9_live(sandbox, http, event.event_id(Book.BET9JA)) == {"R": "E", "D": None}

    _at(sandbox, event, 20 * 60 + 5)
    body = _b9_live(sandbox, http, event.event_id(Book.BET9JA))
    assert body["R"] == "OK" and set(body["D"]) == {"A", "O", "AA"}
    match, competition = body["D"]["A"], body["D"]["AA"]
    assert (match["ID"], match["EXTID"], match["BRMATCHID"]) == (
        int(event.event_id(Book.BET9JA)),
        str(event.sr_id),
        event.sr_id,
    )
    assert (match["ES"], match["T"], match["T2"]) == ("1st Half", 21, "21'")
    assert competition["DS"] == f"{event.home[Book.BET9JA]} - {event.away[Book.BET9JA]}"
    assert competition["STARTDATE"] == event.kickoff.strftime("%Y-%m-%d %H:%M:%S")
    assert competition["SID"] == 3_000_001 and competition["SGID"].startswith("3000001_")
    assert all(key.startswith("LIVES_") and set(value) == {"v"} for key, value in body["D"]["O"].items())
    get_event = http.get(
        sandbox.base_urls[Book.BET9JA] + "GetEvent", params={"EVENTID": event.event_id(Book.BET9JA)}
    )
    assert get_event.json() == {"R": "E", "D": None}  # the prematch event is gone at kick-off
    assert _b9_live(sandbox, http, 42) == {"R": "E", "D": None}
    assert _b9_live(sandbox, http, "not-a-number") == {"R": "E", "D": None}

    _at(sandbox, event, phases_of("football", event.match_seed)[1].start_s)
    assert _b9_live(sandbox, http, event.event_id(Book.BET9JA))["D"]["A"]["T2"] == "Half Time"
    _at(sandbox, event, (event.in_play_until - event.kickoff).total_seconds())
    assert _b9_live(sandbox, http, event.event_id(Book.BET9JA)) == {"R": "E", "D": None}


def test_both_books_show_the_same_score(sandbox_clock: SandboxHandle, http: httpx.Client) -> None:
    sandbox = sandbox_clock
    event = _match(sandbox)
    scores = []
    for minute in range(0, int((event.in_play_until - event.kickoff).total_seconds() // 60), 7):
        _at(sandbox, event, minute * 60)
        sporty = _sporty(sandbox, http, event)["data"]
        result = _b9_live(sandbox, http, event.event_id(Book.BET9JA))["D"]["A"]["R"]
        assert (sporty["setScore"], sporty["gameScore"]) == (result["S"], result["SS"])
        scores.append(tuple(int(goals) for goals in result["S"].split(":")))
    assert scores == sorted(scores, key=sum) and scores[0] == (0, 0)


def test_stoppage_time_closes_every_line_as_captured(
    sandbox_clock: SandboxHandle, http: httpx.Client
) -> None:
    sandbox = sandbox_clock
    event = _match(sandbox)
    _at(sandbox, event, 10 * 60)
    open_odds = _b9_live(sandbox, http, event.event_id(Book.BET9JA))["D"]
    assert open_odds["A"]["MKNUM"] > 0 and any(v["v"] != 1 for v in open_odds["O"].values())
    _at(sandbox, event, phases_of("football", event.match_seed)[2].start_s + HALF_S + 60)
    assert _sporty(sandbox, http, event)["data"]["markets"] == []
    closed = _b9_live(sandbox, http, event.event_id(Book.BET9JA))["D"]
    assert closed["A"]["MKNUM"] == 0 and closed["O"] and {v["v"] for v in closed["O"].values()} == {1}
    assert closed["A"]["T"] >= 91 and closed["A"]["ES"] == "2nd Half"


def test_live_prices_carry_a_margin_and_move_with_the_clock(
    sandbox_clock: SandboxHandle, http: httpx.Client
) -> None:
    sandbox = sandbox_clock
    event = _match(sandbox)
    _at(sandbox, event, 5 * 60)
    early = _b9_live(sandbox, http, event.event_id(Book.BET9JA))["D"]["O"]
    one_x_two = [early[f"LIVES_1X2_{outcome}"]["v"] for outcome in ("1", "X", "2")]
    assert all(isinstance(odds, int | float) and odds > 1 for odds in one_x_two)
    assert 1.02 < sum(1 / odds for odds in one_x_two) < 1.15
    sporty = _sporty(sandbox, http, event)["data"]["markets"]
    (main,) = [m for m in sporty if m["id"] == "1"]
    assert 1.02 < sum(1 / float(o["odds"]) for o in main["outcomes"]) < 1.15
    _at(sandbox, event, 35 * 60)
    assert _b9_live(sandbox, http, event.event_id(Book.BET9JA))["D"]["O"] != early


@pytest.mark.parametrize(
    ("sport", "prefix", "statuses"), [("basketball", "LIVEB_", "Q"), ("tennis", "LIVET_", "S")]
)
def test_other_sports_go_live_too(
    sandbox_clock: SandboxHandle, http: httpx.Client, sport: str, prefix: str, statuses: str
) -> None:
    sandbox = sandbox_clock
    event = _match(sandbox, sport)
    _at(sandbox, event, 8 * 60)
    live = _sporty(sandbox, http, event)["data"]
    assert live["status"] == 1 and live["matchStatus"] == f"{statuses}1"
    assert live["sport"]["id"] == {"basketball": "sr:sport:2", "tennis": "sr:sport:5"}[sport]
    odds = _b9_live(sandbox, http, event.event_id(Book.BET9JA))["D"]["O"]
    assert odds and all(key.startswith(prefix) for key in odds)
    assert {f"{prefix}12_1", f"{prefix}12_2"} <= set(odds)


def test_betpawa_in_play_event_answers_the_live_shape_then_404(
    sandbox_clock: SandboxHandle, http: httpx.Client
) -> None:
    """v4 ``events/{id}`` of a match on BetPawa's live list answers the captured in-play (v3) shape: the
    minute as text, ``additionalInfo.live``, prices under ``price`` with ``suspended``; once over, 404."""
    sandbox = sandbox_clock
    event = next(
        e
        for e in sandbox.world.listed_events(Book.BETPAWA, sandbox.now(), sport="football")
        if e.live_on(Book.BETPAWA, e.kickoff + timedelta(minutes=30))
    )
    url = sandbox.base_urls[Book.BETPAWA] + f"events/{event.event_id(Book.BETPAWA)}"
    _at(sandbox, event, -60)
    assert "results" not in http.get(url).json()
    at = _at(sandbox, event, 30 * 60)
    live = http.get(url).json()
    minute = state_at(event, at)
    assert minute is not None and live["results"]["display"]["minute"] == str(minute.minute)
    assert live["additionalInfo"] == {"live": True}
    lines = live_lines(event, Book.BETPAWA, at)
    shown = [price for market in live["markets"] for row in market["row"] for price in row["prices"]]
    assert len(shown) == sum(len(line.prices) for line in lines)
    assert all(set(price) >= {"price", "suspended"} and "odds" not in price for price in shown)
    assert sum(price["suspended"] for price in shown) == sum(
        len(line.prices) if line.suspended else sum(odds is None for _, odds in line.prices) for line in lines
    )
    sandbox.set_clock(event.in_play_until + timedelta(minutes=1), frozen=True)
    assert http.get(url).status_code == 404


def test_live_bodies_are_deterministic(sandbox_clock: SandboxHandle, http: httpx.Client) -> None:
    sandbox = sandbox_clock
    event = _match(sandbox)
    at = _at(sandbox, event, 33 * 60 + 17)
    paths = [
        (sandbox.base_urls[Book.SPORTYBET], f"event?eventId={event.event_id(Book.SPORTYBET)}&productId=1"),
        (sandbox.extra_urls["bet9ja_live"], f"GetLiveEvent?EVENTID={event.event_id(Book.BET9JA)}"),
    ]
    with start_in_thread(sandbox_test_config(frozen_at=at)) as twin:
        twin_bases = {sandbox.base_urls[Book.SPORTYBET]: twin.base_urls[Book.SPORTYBET]}
        twin_bases[sandbox.extra_urls["bet9ja_live"]] = twin.extra_urls["bet9ja_live"]
        for base, path in paths:
            ours = http.get(base + path).content
            assert ours == http.get(twin_bases[base] + path).content
            assert ours == http.get(base + path).content


def test_live_endpoints_go_through_faults_and_stats(
    sandbox_clock: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client
) -> None:
    sandbox = sandbox_clock
    event = _match(sandbox)
    _at(sandbox, event, 30 * 60)
    assert _b9_live(sandbox, http, event.event_id(Book.BET9JA))["R"] == "OK"
    assert _b9_live(sandbox, http, 42)["R"] == "E"
    assert _not_found(_sporty(sandbox, http, event, product=3))
    assert sandbox.served(Book.BET9JA, "GetLiveEvent", "ok") == 1
    assert sandbox.served(Book.BET9JA, "GetLiveEvent", "not_found") == 1
    assert sandbox.served(Book.SPORTYBET, "event", "not_found") == 1
    sandbox_faults(Book.BET9JA, fail_status=503, retry_after_s=7)
    response = http.get(
        sandbox.extra_urls["bet9ja_live"] + "GetLiveEvent", params={"EVENTID": event.event_id(Book.BET9JA)}
    )
    assert response.status_code == 503 and response.headers["retry-after"] == "7"
    assert sandbox.served(Book.BET9JA, "GetLiveEvent", "fail_status") == 1
