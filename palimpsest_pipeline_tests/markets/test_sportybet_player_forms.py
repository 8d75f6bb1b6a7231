"""SportyBet's player markets read once per form of their outcomes (id tail, side, count), not per player and
event (grammar/uof_labels.py): each player's key is the one the grammar gives reading the market itself, the
plan made on one event never keys another event's outcome that differs in a field it reads."""

from __future__ import annotations

from typing import Any

import pytest

from palimpsest_pipeline.markets.grammar import uof_labels as sportybet
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Refusal
from palimpsest_pipeline_tests.markets.conftest import load_capture


def _market(name: str, outcomes: list[tuple[str, str]]) -> dict[str, Any]:
    return {"id": "800291", "name": name, "desc": name, "status": 0, "outcomes": [
        {"id": ref, "desc": text, "odds": "2.00", "isActive": 1} for ref, text in outcomes
    ]}  # fmt: skip


def _fouls(match: int, home_player: int, away_player: int, home_team: str, away_team: str) -> dict[str, Any]:
    return _market("Player Fouls", [
        (f"pre:playerprops:{match}:{home_player}:1:1", f"Ann Smith ({home_team}) 1+"),
        (f"pre:playerprops:{match}:{home_player}:2:1", f"Ann Smith ({home_team}) 2+"),
        (f"pre:playerprops:{match}:{away_player}:1:2", f"Bo Li ({away_team}) 1+"),
    ])  # fmt: skip


def _fouls_key(player: int, total: str) -> tuple[int, str, int]:
    # a player's fouls "N+" is the over (UOF outcome 12) of N - 0.5, keyed canonically with the player's id
    return (DESCRIBED, f"market=fouls.match.player.total|player={player}|total={total}", 12)


def test_two_events_of_one_form_key_each_their_own_players() -> None:
    first = sportybet.read_market(_fouls(11, 501, 502, "Alpha Rovers", "Beta City"), "football",
                                  "FC Alpha Rovers", "Beta City")  # fmt: skip
    second = sportybet.read_market(_fouls(12, 601, 602, "Gamma", "Delta United"), "football",
                                   "Gamma", "Delta United")  # fmt: skip
    assert first == {
        "pre:playerprops:11:501:1:1": _fouls_key(501, "0.5"),
        "pre:playerprops:11:501:2:1": _fouls_key(501, "1.5"),
        "pre:playerprops:11:502:1:2": _fouls_key(502, "0.5"),
    }
    assert second == {
        "pre:playerprops:12:601:1:1": _fouls_key(601, "0.5"),
        "pre:playerprops:12:601:2:1": _fouls_key(601, "1.5"),
        "pre:playerprops:12:602:1:2": _fouls_key(602, "0.5"),
    }


@pytest.mark.parametrize(
    ("hostile_ref", "hostile_name"),
    [
        ("pre:playerprops:12:601:2:1", "Ann Smith (Nobody FC) 2+"),  # a team that is neither side
        ("pre:playerprops:12:601:3:1", "Ann Smith (Gamma) 2+"),  # the id's count is not the name's
        ("pre:playerprops:12:٦٠١:2:1", "Ann Smith (Gamma) 2+"),  # digits that are not ASCII
        ("pre:playerprops:12:601:2:1", "Ann Smith (Gamma) 2 +"),  # no "N+"
    ],
)
def test_an_outcome_unlike_the_plans_is_read_as_the_grammar_reads_it(
    hostile_ref: str, hostile_name: str
) -> None:
    sportybet.read_market(
        _fouls(11, 501, 502, "Alpha Rovers", "Beta City"), "football", "FC Alpha Rovers", "Beta City"
    )  # the plan for this form is made here
    market = _fouls(12, 601, 602, "Gamma", "Delta United")
    market["outcomes"][1].update(id=hostile_ref, desc=hostile_name)
    keys = sportybet.read_market(market, "football", "Gamma", "Delta United")
    # what the grammar says reading this market itself, without any plan
    assert keys == sportybet._read_market(market, "football", "Gamma", "Delta United")
    assert "player=501" not in str(keys)  # nothing of the first event's plan leaks into this one


def test_a_yes_bet_whose_team_is_not_the_side_its_id_names_is_refused() -> None:
    header = [("pre:playerprops:21:701:1", "Ann Smith (Alpha Rovers)"),
              ("pre:playerprops:21:702:2", "Bo Li (Beta City)")]  # fmt: skip
    keyed = sportybet.read_market(
        _market("To Score a Header", header), "football", "Alpha Rovers", "Beta City"
    )
    assert keyed["pre:playerprops:21:701:1"] == (
        DESCRIBED,
        "market=score.match.player.toscore.header|player=701",
        74,
    )
    swapped = [
        ("pre:playerprops:22:801:1", "Cy Ng (Beta City)"),
        ("pre:playerprops:22:802:2", "Di Ok (Beta City)"),
    ]
    keys = sportybet.read_market(
        _market("To Score a Header", swapped), "football", "Alpha Rovers", "Beta City"
    )
    assert isinstance(keys["pre:playerprops:22:801:1"], Refusal)  # side 1 is home; Beta City plays away
    assert keys["pre:playerprops:22:802:2"] == (
        DESCRIBED,
        "market=score.match.player.toscore.header|player=802",
        74,
    )


def test_player_markets_of_the_deep_capture_key_as_read_whole() -> None:
    data = load_capture("sportybet/event_sr71583282_asian_handicap.json")["data"]
    home, away = data["homeTeamName"], data["awayTeamName"]
    players = [m for m in data["markets"] if str(m["outcomes"][0]["id"]).startswith("pre:playerprops:")]
    assert len(players) > 10
    for market in players:
        assert sportybet.read_market(market, "football", home, away) == sportybet._read_market(
            market, "football", home, away
        ), market["name"]
