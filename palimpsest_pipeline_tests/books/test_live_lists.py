"""The live-list parsers: the real captured BetPawa LIVE rows (the home page's LIVE query), the sandbox's
rows held to the capture's keys, and surprises failing loudly (the poll) or costing their row."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from palimpsest_pipeline.books.bet9ja.live import parse_live_list as parse_bet9ja
from palimpsest_pipeline.books.betpawa.live import live_page_request, parse_live_page
from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.sports import SPORTS, sport_by_key
from palimpsest_pipeline.books.sportybet.live import parse_live_list as parse_sportybet
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.payloads import captured
from palimpsest_sandbox import SandboxHandle

HOME_PAGE = "lists_v3_cm/by-queries_home_skip000.json"
LIVE_QUERY = 2  # the home page's third query: {"eventType": "LIVE", "categories": ["2", "3", "452"]}


def _home_page() -> Any:
    return captured("betpawa", HOME_PAGE)["body"]


def test_the_captured_betpawa_live_rows_are_read() -> None:
    rows, bad = parse_live_page(_home_page(), query_index=LIVE_QUERY)
    assert bad == []
    # hand-read from the capture: four tennis matches of 27 September 2025, one moneyline line each; the third
    # shows price 0.0 on both sides (no price to back, though "suspended": false): a suspended line
    assert [(r.event.sr_id, r.event.event_id, r.event.sport, r.markets, r.suspended) for r in rows] == [
        (63851415, "30105157", "tennis", 1, 0),
        (64035971, "30097655", "tennis", 1, 0),
        (64036243, "30099907", "tennis", 1, 1),
        (63835079, "30104867", "tennis", 1, 0),
    ]
    first = rows[0].event
    assert (first.home, first.away, first.tournament_name, first.country) == (
        "Sinner, Jannik",
        "Atmane, Terence",
        "ATP Beijing, China Men Singles",
        "International",
    )
    assert first.kickoff == datetime(2025, 9, 27, 7, 0, tzinfo=UTC)


def test_a_suspended_price_suspends_its_line() -> None:
    page = _home_page()
    for price in page["responses"][LIVE_QUERY]["responses"][0]["markets"][0]["row"][0]["prices"]:
        price["suspended"] = True
    rows, _ = parse_live_page(page, query_index=LIVE_QUERY)
    assert [(r.markets, r.suspended) for r in rows] == [(1, 1), (1, 0), (1, 1), (1, 0)]


def test_the_sandbox_betpawa_live_row_keeps_to_the_captured_keys(sandbox_clock: SandboxHandle) -> None:
    captured_row = _home_page()["responses"][LIVE_QUERY]["responses"][0]
    sandbox_clock.set_clock(datetime(2026, 5, 4, 18, 40, tzinfo=UTC), frozen=True)
    request = live_page_request(SPORTS, 0)
    answer = httpx.get(
        sandbox_clock.base_urls[Book.BETPAWA] + request.path,
        params=dict(request.params),
        headers={"accept": "application/json", "x-pawa-brand": "betpawa-nigeria"},
    ).json()
    served = answer["responses"][0]["responses"]
    assert served
    for row in served:
        assert set(row) <= set(captured_row), set(row) - set(captured_row)
        assert row["additionalInfo"] == {"live": True}
        price_keys = {
            key for market in row["markets"] for line in market["row"] for p in line["prices"] for key in p
        }
        # v4 writes the price as "odds" (v3 "price") and omits "suspended" unless true
        assert price_keys <= set(captured_row["markets"][0]["row"][0]["prices"][0]) | {"odds"}


def test_a_sportybet_live_list_of_another_shape_fails_the_poll_loudly() -> None:
    with pytest.raises(PayloadError, match=r"data: expected a list"):
        parse_sportybet({"tournaments": []}, sport_by_key("football"))


def test_an_unreadable_live_row_costs_only_itself() -> None:
    good = {
        "ID": 1, "EXTID": "42", "DS": "A - B", "STARTDATE": "2026-05-04 17:00:00", "SID": 3000001,
        "O": {"LIVES_1X2_1": {"v": 2.1}, "LIVES_1X2_X": {"v": 3.2}, "LIVES_1X2_2": {"v": 3.9},
              "LIVES_GGNG_Y": {"v": 1}, "LIVES_GGNG_N": {"v": 1}},
    }  # fmt: skip
    broken = {**good, "ID": 2, "O": {"LIVES_1X2_1": [2.1]}}
    other_sport = {**good, "ID": 3, "SID": 3000099}  # a sport we do not compare: left out
    rows, bad = parse_bet9ja({"E": [good, broken, other_sport]})
    assert [(r.event.sr_id, r.markets, r.suspended) for r in rows] == [(42, 2, 1)]
    assert len(bad) == 1 and "O.LIVES_1X2_1" in bad[0].reason
    assert json.dumps(bad[0].value)  # kept whole for the quarantine


def test_the_guessed_live_lists_reuse_the_captured_live_events_keys(sandbox_clock: SandboxHandle) -> None:
    """SportyBet's and Bet9ja's live lists were never captured: their rows use only keys of the captured live
    events (SportyBet ``event?productId=1``; Bet9ja ``GetLiveEvent`` ``D.A`` and ``D.AA``) and of the
    documented ``GetEventsInGroupV2`` rows (``SG``, ``O``)."""
    sporty_event = captured("sportybet", "event_sr67645534_live.json")["data"]
    bet9ja_event = captured("bet9ja", "GetLiveEvent_sr67645534_live.json")["D"]
    sandbox_clock.set_clock(datetime(2026, 5, 4, 18, 40, tzinfo=UTC), frozen=True)
    sporty = httpx.get(
        sandbox_clock.base_urls[Book.SPORTYBET] + "liveOrPrematchEvents", params={"sportId": "sr:sport:1"}
    ).json()["data"]
    rows = [event for tournament in sporty for event in tournament["events"]]
    assert rows and all(set(row) <= set(sporty_event) for row in rows)
    live_base = sandbox_clock.base_urls[Book.BET9JA].replace("PalimpsestAjax", "PalimpsestLiveAjax")
    b9_rows = httpx.get(live_base + "GetLiveEventsV2").json()["D"]["E"]
    known = set(bet9ja_event["A"]) | set(bet9ja_event["AA"]) | {"SG", "O"}
    assert b9_rows and all(set(row) <= known for row in b9_rows)
