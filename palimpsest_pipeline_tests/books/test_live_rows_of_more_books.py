"""The score, the half and the lines of Bet9ja's, Betway's and Betika's live rows, read from the real captures
(hand-read figures), and set aside where a fact's two places disagree or a value is hostile (the row still
counts)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from palimpsest_pipeline.books.bet9ja import live as bet9ja
from palimpsest_pipeline.books.betika import live as betika
from palimpsest_pipeline.books.betway import live as betway
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import LiveEvent
from palimpsest_pipeline_tests.books.payloads import captured

FOOTBALL = sport_by_key("football")
NAIROBI = ZoneInfo("Africa/Nairobi")


def _bet9ja_row() -> dict[str, Any]:
    """The captured GetLiveEvent as a live list row: its header (``D.AA``), its match state (``D.A``) and
    its odds (``D.O``), the row the live list is taken to carry."""
    body = captured("bet9ja", "GetLiveEvent_sr67645534_live.json")["D"]
    return {**body["AA"], **body["A"], "O": body["O"]}


def _bet9ja(row: dict[str, Any]) -> LiveEvent:
    rows, bad = bet9ja.parse_live_list({"E": [row]})
    assert not bad and len(rows) == 1
    return rows[0]


def _betway(row: dict[str, Any]) -> LiveEvent:
    rows, bad = betway.parse_live_list({"events": [row]}, FOOTBALL)
    assert not bad and len(rows) == 1
    return rows[0]


def _betika(row: dict[str, Any]) -> LiveEvent:
    rows, bad, _total = betika.parse_live_list({"data": [row]}, FOOTBALL, NAIROBI)
    assert not bad and len(rows) == 1
    return rows[0]


def test_bet9jas_captured_live_event_gives_its_score_half_and_lines() -> None:
    # hand-read: A.R.S "0:3", A.R.SS ["0:1", "0:2"], ES and BS "2nd Half", T 91; 69 odds keys on 23 lines
    # (LIVES_1X2, LIVES_OU@3.5, LIVES_GGNG, ...), every value {"v": 1}: all closed
    live = _bet9ja(_bet9ja_row())
    assert (live.score, live.half, live.minute) == ((0, 3), "second_half", 91)
    assert (live.markets, live.suspended) == (23, 23)
    assert all(suspended for *_, suspended in live.lines)
    keyed = {(market, specifier) for market, specifier, _ in live.lines}
    # LIVES_1X2, LIVES_DC, LIVES_DNB, LIVES_OU@3.5, LIVES_GGNG, LIVES_OE, LIVES_OUHOME@0.5, LIVES_OUAWAY@3.5
    assert keyed >= {(1, ""), (10, ""), (11, ""), (18, "total=3.5"), (29, ""), (26, "")}
    assert keyed >= {(19, "total=0.5"), (20, "total=3.5")}


def test_bet9ja_facts_whose_two_places_disagree_are_set_aside() -> None:
    row = _bet9ja_row()
    assert _bet9ja(row | {"BS": "1st Half"}).half is None  # ES and BS disagree
    assert _bet9ja(row | {"ES": "1st Half", "BS": "1st Half"}).half is None  # two periods' scores
    assert _bet9ja(row | {"R": {**row["R"], "SS": ["0:1"]}}).half is None
    assert _bet9ja(row | {"R": {**row["R"], "SS": ["0:1", "0:1"]}}).score is None  # the periods sum to 0:2
    assert _bet9ja(row | {"R": {"S": "0:3"}}).score == (0, 3)  # one place: kept
    half_time = row | {"ES": "Half Time", "BS": "Half Time", "R": {"S": "0:1", "SS": ["0:1"]}}
    assert (_bet9ja(half_time).score, _bet9ja(half_time).half) == ((0, 1), "half_time")


@pytest.mark.parametrize(
    "hostile",
    [
        {"R": {"S": "9" * 5000 + ":0", "SS": ["0:1", "0:2"]}},
        {"R": {"S": "0:3", "SS": "0:3"}},
        {"R": ["0:3"]},
        {"ES": 2, "BS": 2},
        {"ES": "2nd Half" * 1000, "BS": "2nd Half" * 1000},
        {"ES": None, "BS": None},
    ],
)
def test_a_hostile_bet9ja_state_costs_its_fact_not_the_row(hostile: dict[str, Any]) -> None:
    live = _bet9ja(_bet9ja_row() | hostile)
    assert live.score is None or live.half is None
    assert live.markets == 23


def _betway_live_markets() -> dict[str, Any]:
    """The captured in-play markets answer's ``sportEvent`` with its markets, as a live list row."""
    answer = captured("betway", "markets_sr70926700_live_next_goal.json")
    return answer["sportEvent"] | {"markets": answer["marketsInGroup"]}


def test_betways_captured_event_states_give_their_score_and_half() -> None:
    # hand-read: gameStateTimeScore score ["0", "3"], state "2nd half", gameEventPeriod "2", time 90
    state = captured("betway", "event_state_sr67645534_live.json")["sportEvent"]
    live = _betway(state)
    assert (live.score, live.half, live.minute, live.markets) == ((0, 3), "second_half", 90, 0)
    # hand-read: score ["0", "0"], state "1st half", gameEventPeriod "1", time 25; 100 markets, 49 of them
    # isActive false
    live = _betway(_betway_live_markets())
    assert (live.score, live.half, live.minute) == ((0, 0), "first_half", 25)
    assert (live.markets, live.suspended) == (100, 49)
    lines = {(market, specifier): suspended for market, specifier, suspended in live.lines}
    # "709267001" 1X2, "7092670010" double chance, "7092670011" draw no bet, active; the total goals' lines
    # "7092670018total=0.5~".."4.5~" (its squashed head "7092670018" is no line of its own)
    assert {key: lines[key] for key in [(1, ""), (10, ""), (11, "")]} == {
        (1, ""): 0,
        (10, ""): 0,
        (11, ""): 0,
    }
    assert {f"total={n}.5" for n in range(5)} <= {spec for market, spec in lines if market == 18}
    assert (18, "") not in lines
    assert all(market != 1601 for market, _ in lines)  # "709267001601xup=1~": Betway's own 1Up, not UOF's


def test_betway_facts_whose_two_places_disagree_are_set_aside() -> None:
    row = _betway_live_markets()
    clock = row["gameStateTimeScore"]
    assert _betway(row | {"gameStateTimeScore": clock | {"gameEventPeriod": "2"}}).half is None
    assert _betway(row | {"gameStateTimeScore": clock | {"state": "Halftime"}}).half == "half_time"
    assert _betway(row | {"gameStateTimeScore": clock | {"state": "Half time"}}).half == "half_time"
    one_x_two = row["markets"][0]
    for wrong in ({"subscriptionId": 18}, {"eventId": 1}, {"marketId": "11111111"}, {"subscriptionId": "1"}):
        live = _betway(row | {"markets": [one_x_two | wrong]})
        assert (live.markets, live.lines) == (1, ())  # counted, not read as a line


@pytest.mark.parametrize(
    "score", [["0", "0", "1"], ["9" * 5000, "0"], [0, 0], "0:0", ["-1", "0"], ["٣", "0"], None]
)
def test_a_hostile_betway_score_costs_its_fact_not_the_row(score: Any) -> None:
    row = _betway_live_markets()
    live = _betway(row | {"gameStateTimeScore": row["gameStateTimeScore"] | {"score": score}})
    assert live.score is None and live.half == "first_half" and live.markets == 100


def test_betikas_captured_live_row_gives_its_score_half_and_lines() -> None:
    # hand-read: current_score "0:0", set_score [{"score": "0:0", "set": "1"}], event_status "1st half",
    # match_time "35:51"; one group (sub_type_id 1, 1X2) of three active outcomes
    row = captured("betika", "matches_sr71463790_live.json")["data"][0]
    live = _betika(row)
    assert (live.score, live.half, live.minute) == ((0, 0), "first_half", 36)
    assert (live.markets, live.suspended, live.lines) == (1, 0, ((1, "", False),))


def test_betika_facts_whose_two_places_disagree_are_set_aside() -> None:
    row = captured("betika", "matches_sr71463790_live.json")["data"][0]
    assert _betika(row | {"current_score": "1:0"}).score is None  # its one set says 0:0
    assert _betika(row | {"event_status": "2nd half"}).half is None  # the last set is "1"
    second = {"event_status": "2nd half", "current_score": "1:2"}
    sets = [{"score": "0:1", "set": "1"}, {"score": "1:1", "set": "2"}]
    assert (
        _betika(row | second | {"set_score": sets}).score,
        _betika(row | second | {"set_score": sets}).half,
    ) == (
        (1, 2),
        "second_half",
    )
    assert _betika(row | {"set_score": None}).score == (0, 0)  # one place: kept
    assert _betika(row | {"set_score": None}).half is None  # no set to fit the status
    closed = row["odds"][0] | {"market_active": 0}
    assert _betika(row | {"odds": [closed]}).lines == ((1, "", True),)


@pytest.mark.parametrize(
    "hostile",
    [
        {"current_score": "9" * 5000 + ":0"},
        {"set_score": {"score": "0:0", "set": "1"}},
        {"set_score": [["0:0", "1"]]},
        {"set_score": [{"score": "0:0", "set": 10**30}]},
        {"event_status": ["1st half"]},
    ],
)
def test_a_hostile_betika_state_costs_its_fact_not_the_row(hostile: dict[str, Any]) -> None:
    row = captured("betika", "matches_sr71463790_live.json")["data"][0]
    live = _betika(row | hostile)
    assert live.score is None or live.half is None
    assert live.markets == 1
